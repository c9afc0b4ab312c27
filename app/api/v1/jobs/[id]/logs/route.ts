import { listLogsQuerySchema } from '@/lib/schemas/jobs';
import { parseQuery, withApiAuth } from '@/lib/server/api/route';
import { readJobLogs } from '@/lib/server/jobs/logs';
import { conditionalHeaders, jobLogsTag, notModified, readJobVersion } from '@/lib/server/jobs/version';

// GET /api/v1/jobs/{id}/logs?after=<seq>: the job's log entries, only newer ones with `after`;
// `purged: true` (and no entries) once retention removed them
// (with If-None-Match and no new entry, a 304)
export const GET = withApiAuth<{ id: string }>(async ({ req, params, db, account }) => {
  const { after } = parseQuery(req, listLogsQuerySchema);
  const version = await readJobVersion(db, { id: params.id, accountId: account.id });
  const etag = jobLogsTag(version, { after });
  return (
    notModified(req, etag) ??
    Response.json(await readJobLogs(db, { jobId: params.id, logsPurged: version.logsPurgedAt !== null, after }), { headers: conditionalHeaders(etag) })
  );
});
