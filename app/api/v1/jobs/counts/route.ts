import { countJobsByFilter } from '@/db/queries/counts';
import { countJobsQuerySchema } from '@/lib/schemas/jobs';
import { parseQuery, withApiAuth } from '@/lib/server/api/route';

// GET /api/v1/jobs/counts: per-option counts for the jobs list filters, under the same query parameters as GET /api/v1/jobs
export const GET = withApiAuth(async ({ req, db, account }) => {
  const query = parseQuery(req, countJobsQuerySchema);
  return Response.json(await countJobsByFilter(db, { accountId: account.id, query }));
}, { rateLimit: 'read' });
