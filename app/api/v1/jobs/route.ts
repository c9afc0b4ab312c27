import { listJobs } from '@/db/queries/jobs';
import { paginatedReply } from '@/lib/pagination';
import { createJobBodySchema, listJobsQuerySchema } from '@/lib/schemas/jobs';
import { requestActor } from '@/lib/server/admin/actor';
import { parseJsonBody, parseQuery, withApiAuth } from '@/lib/server/api/route';
import { replyResponse, withIdempotency } from '@/lib/server/idempotency';
import { expireBeforeRead } from '@/lib/server/jobs/read';
import type { JobJson } from '@/lib/server/jobs/serialize';
import { serializeJobSummary } from '@/lib/server/jobs/serialize';
import { submissionKey, submitJob } from '@/lib/server/jobs/submit';

const accepted = (job: JobJson) => ({ status: 202, body: job, headers: { Location: `/api/v1/jobs/${job.id}` } });

// POST /api/v1/jobs: submit a scrape (a dashboard session uses the account's default key); 202 with the job and its Location
export const POST = withApiAuth(async ({ req, db, account, apiKey }) =>
  withIdempotency({ req, db, account }, async (claim) => {
    const body = await parseJsonBody(req, createJobBodySchema);
    const key = await submissionKey(db, { account, apiKey });
    const actor = requestActor({ account, apiKey });
    const job = await submitJob(db, {
      account,
      apiKey: key,
      body,
      actor,
      idempotency: claim && { claim, reply: accepted },
      maskSecrets: apiKey === null,
    });
    return replyResponse(accepted(job));
  }),
  { rateLimit: 'create' },
);

// GET /api/v1/jobs: the account's jobs, filtered, sorted and paginated (spec section 9)
export const GET = withApiAuth(async ({ req, db, account }) => {
  const query = parseQuery(req, listJobsQuerySchema);
  await expireBeforeRead(db, account.id);
  const { rows, total, nextCursor } = await listJobs(db, { accountId: account.id, query });
  return Response.json({ ...paginatedReply(rows.map(serializeJobSummary), query, total), nextCursor });
}, { rateLimit: 'read' });
