import { listLogs } from '@/db/queries/logs';
import { retentionMessages } from '@/lib/retention';
import { listLogsQuerySchema } from '@/lib/schemas/jobs';
import { parseQuery, withApiAuth } from '@/lib/server/api/route';
import { getOwnedJob } from '@/lib/server/jobs/access';
import { retentionSettings } from '@/lib/server/retention';

// GET /api/v1/jobs/{id}/logs?after=<seq>: the job's log entries, only newer ones with `after`;
// `purged: true` (and no entries) once retention removed them
export const GET = withApiAuth<{ id: string }>(async ({ req, params, db, account }) => {
  const { after } = parseQuery(req, listLogsQuerySchema);
  const { job } = await getOwnedJob(db, { id: params.id, accountId: account.id });
  if (job.logsPurgedAt) {
    return Response.json({ data: [], total: 0, purged: true, message: retentionMessages.logsPurged(retentionSettings()) });
  }
  const { data, total } = await listLogs(db, { jobId: params.id, after });
  return Response.json({
    data: data.map((entry) => ({
      seq: entry.seq,
      timestamp: entry.timestamp.toISOString(),
      level: entry.level,
      message: entry.message,
      metadata: entry.metadata ?? null,
    })),
    total,
    purged: false,
  });
});
