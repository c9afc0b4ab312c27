import { listJobs } from '@/db/queries/jobs';
import { getEnv } from '@/lib/env';
import { paginatedReply } from '@/lib/pagination';
import { createJobBodySchema, listJobsQuerySchema } from '@/lib/schemas/jobs';
import { requestActor } from '@/lib/server/admin/actor';
import { parseJsonBody, parseQuery, withApiAuth } from '@/lib/server/api/route';
import { withIdempotency } from '@/lib/server/idempotency';
import { expireStaleJobs } from '@/lib/server/jobs/expire';
import { loadJobDetail } from '@/lib/server/jobs/read';
import { serializeJobSummary } from '@/lib/server/jobs/serialize';
import { submissionKey, submitJob } from '@/lib/server/jobs/submit';
import { findJob } from '@/db/queries/jobs';

// POST /api/v1/jobs: submit a scrape (a dashboard session uses the account's default key); 202 with the job and its Location
export const POST = withApiAuth(async ({ req, db, account, apiKey }) =>
  withIdempotency({ req, db, account }, async () => {
    const body = await parseJsonBody(req, createJobBodySchema);
    const key = await submissionKey(db, { account, apiKey });
    const job = await submitJob(db, { account, apiKey: key, body, actor: requestActor({ account, apiKey }) });
    const row = await findJob(db, job.id);
    return Response.json(await loadJobDetail(db, row!, { maskSecrets: apiKey === null }), {
      status: 202,
      headers: { Location: `/api/v1/jobs/${job.id}` },
    });
  }),
  { rateLimit: 'create' },
);

// GET /api/v1/jobs: the account's jobs, filtered, sorted and paginated (spec section 9)
export const GET = withApiAuth(async ({ req, db, account }) => {
  const query = parseQuery(req, listJobsQuerySchema);
  await expireStaleJobs(db, { maxWaitSeconds: getEnv().MAX_QUEUE_WAIT_SECONDS, accountId: account.id });
  const { rows, total, nextCursor } = await listJobs(db, { accountId: account.id, query });
  return Response.json({ ...paginatedReply(rows.map(serializeJobSummary), query, total), nextCursor });
}, { rateLimit: 'read' });
