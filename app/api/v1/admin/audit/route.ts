import { listAuditEntries } from '@/db/queries/admin';
import { auditQuerySchema } from '@/lib/schemas/admin';
import { parseQuery } from '@/lib/server/api/route';
import { serializeAuditEntry } from '@/lib/server/admin/audit';
import { withAdminAuth } from '@/lib/server/admin/route';

// GET /api/v1/admin/audit: the audit log, newest first, filtered by account, action, target or actor type; admins only
export const GET = withAdminAuth(async ({ req, db }) => {
  const query = parseQuery(req, auditQuerySchema);
  const { rows, total } = await listAuditEntries(db, query);
  return Response.json({
    data: rows.map(serializeAuditEntry),
    page: query.page,
    size: query.size,
    total,
    totalPages: Math.max(1, Math.ceil(total / query.size)),
  });
});
