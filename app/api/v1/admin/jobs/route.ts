import { listAllJobs } from '@/db/queries/admin';
import { paginatedReply } from '@/lib/pagination';
import { adminListJobsQuerySchema } from '@/lib/schemas/admin';
import { parseQuery } from '@/lib/server/api/route';
import { serializeAdminJob } from '@/lib/server/admin/jobs';
import { withAdminAuth } from '@/lib/server/admin/route';
import { expireBeforeRead } from '@/lib/server/jobs/read';

// GET /api/v1/admin/jobs: every account's jobs with GET /api/v1/jobs's filters, sort and pages, plus `account`; admins only
export const GET = withAdminAuth(async ({ req, db }) => {
  const query = parseQuery(req, adminListJobsQuerySchema);
  await expireBeforeRead(db);
  const { rows, total } = await listAllJobs(db, query);
  return Response.json(paginatedReply(rows.map(serializeAdminJob), query, total));
});
