import { checkHealth } from '@/lib/server/health';
import { withRequestLog } from '@/lib/server/request-log';

// GET /api/health: public, no key. 200 when the database, the queue and the migrations are all
// right, else 503; the body says which part is not. Never cached.
export const GET = withRequestLog(async () => {
  const report = await checkHealth();
  return Response.json(report, { status: report.status === 'ok' ? 200 : 503, headers: { 'Cache-Control': 'no-store' } });
});
