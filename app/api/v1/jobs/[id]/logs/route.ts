import { listLogs } from '@/db/queries/logs';
import { listLogsQuerySchema } from '@/lib/schemas/jobs';
import { parseQuery, withApiAuth } from '@/lib/server/api/route';
import { getOwnedJob } from '@/lib/server/jobs/access';

// GET /api/v1/jobs/{id}/logs?after=<seq>: the job's log entries, only newer ones with `after`
export const GET = withApiAuth<{ id: string }>(async ({ req, params, db, account }) => {
  const { after } = parseQuery(req, listLogsQuerySchema);
  await getOwnedJob(db, { id: params.id, accountId: account.id });
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
  });
});
