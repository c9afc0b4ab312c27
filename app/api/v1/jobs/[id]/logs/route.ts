import { listLogsQuerySchema } from '@/lib/schemas/jobs';
import { parseQuery, withApiAuth } from '@/lib/server/api/route';
import { getOwnedJob } from '@/lib/server/jobs/access';
import { readJobLogs } from '@/lib/server/jobs/logs';

// GET /api/v1/jobs/{id}/logs?after=<seq>: the job's log entries, only newer ones with `after`;
// `purged: true` (and no entries) once retention removed them
export const GET = withApiAuth<{ id: string }>(async ({ req, params, db, account }) => {
  const { after } = parseQuery(req, listLogsQuerySchema);
  const { job } = await getOwnedJob(db, { id: params.id, accountId: account.id });
  return Response.json(await readJobLogs(db, { jobId: job.id, logsPurged: job.logsPurgedAt !== null, after }));
});
