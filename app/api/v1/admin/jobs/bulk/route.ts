import { bulkJobsBodySchema } from '@/lib/schemas/admin';
import { parseJsonBody } from '@/lib/server/api/route';
import { runBulkAction } from '@/lib/server/admin/bulk';
import { withAdminAuth } from '@/lib/server/admin/route';

// POST /api/v1/admin/jobs/bulk: cancel or retry the jobs given by ids or matched by a filter, any account's; `dryRun` only counts; admins only
export const POST = withAdminAuth(async ({ req, db, admin }) => {
  const body = await parseJsonBody(req, bulkJobsBodySchema);
  return Response.json(await runBulkAction(db, { admin, body }));
});
