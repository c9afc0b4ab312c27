import { requestActor } from '@/lib/server/admin/actor';
import { withApiAuth } from '@/lib/server/api/route';
import { replyResponse, withIdempotency } from '@/lib/server/idempotency';
import { retryJob } from '@/lib/server/jobs/retry';
import type { JobJson } from '@/lib/server/jobs/serialize';

const created = (job: JobJson) => ({ status: 201, body: job, headers: { Location: `/api/v1/jobs/${job.id}` } });

// POST /api/v1/jobs/{id}/retry: a new job with the same configuration, linked to this one
export const POST = withApiAuth<{ id: string }>(async ({ req, params, db, account, apiKey }) =>
  withIdempotency({ req, db, account }, async (claim) => {
    const job = await retryJob(db, {
      id: params.id,
      account,
      actor: requestActor({ account, apiKey }),
      idempotency: claim && { claim, reply: created },
      maskSecrets: apiKey === null,
    });
    return replyResponse(created(job));
  }),
  { rateLimit: 'create' },
);
