import { exportJobsQuerySchema } from '@/lib/schemas/jobs';
import { parseQuery, withApiAuth } from '@/lib/server/api/route';
import { expireBeforeRead } from '@/lib/server/jobs/read';
import { exportSummary, startExport } from '@/lib/server/jobs/export';

// GET /api/v1/jobs/export?format=csv|json&<list filters>: the matching jobs as a streamed file (spec section 10);
// with count=1, only how many would be exported (and the warning), without using one of the hour's 5 exports
export const GET = withApiAuth(async ({ req, db, account }) => {
  const { format, count, extracted, ...filters } = parseQuery(req, exportJobsQuerySchema);
  await expireBeforeRead(db, account.id);
  if (count) return Response.json(await exportSummary(db, { accountId: account.id, filters }));
  const { headers, body } = await startExport(db, { accountId: account.id, filters, format, extracted });
  return new Response(body, { headers });
}, { rateLimit: 'read' });
