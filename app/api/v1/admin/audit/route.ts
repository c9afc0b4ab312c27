import { listAuditEntries } from '@/db/queries/admin';
import { paginatedReply } from '@/lib/pagination';
import { auditQuerySchema } from '@/lib/schemas/admin';
import { parseQuery } from '@/lib/server/api/route';
import { serializeAuditEntry } from '@/lib/server/admin/audit';
import { withAdminAuth } from '@/lib/server/admin/route';

// GET /api/v1/admin/audit: the audit log, newest first, filtered by account, action, target or actor type; admins only
export const GET = withAdminAuth(async ({ req, db }) => {
  const query = parseQuery(req, auditQuerySchema);
  const { rows, total } = await listAuditEntries(db, query);
  return Response.json(paginatedReply(rows.map(serializeAuditEntry), query, total));
});
