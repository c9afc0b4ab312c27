import { getDb } from '@/db/client';
import { authorizeMetrics } from '@/lib/server/metrics/auth';
import { collectMetrics } from '@/lib/server/metrics/collect';
import { withRequestLog } from '@/lib/server/request-log';

// GET /api/metrics: Prometheus text format for operators (queue, jobs, attempts, webhooks, rate
// limits, workers), behind METRICS_TOKEN (Authorization: Bearer); 404 while no token is set.
export const GET = withRequestLog(async (req: Request) => {
  const refused = authorizeMetrics(req);
  if (refused) return refused;
  const { contentType, body } = await collectMetrics(getDb());
  return new Response(body, { headers: { 'Content-Type': contentType, 'Cache-Control': 'no-store' } });
});
