import { statsQuerySchema } from '@/lib/schemas/jobs';
import { parseQuery, withApiAuth } from '@/lib/server/api/route';
import { expireBeforeRead } from '@/lib/server/jobs/read';
import { loadStats } from '@/lib/server/stats';

// GET /api/v1/stats?tz: the overview's cards, jobs per day by status for 30 days, and the 10 most recent jobs
export const GET = withApiAuth(async ({ req, db, account }) => {
  const { tz } = parseQuery(req, statsQuerySchema);
  await expireBeforeRead(db, account.id);
  return Response.json(await loadStats(db, { accountId: account.id, tz }));
}, { rateLimit: 'read' });
