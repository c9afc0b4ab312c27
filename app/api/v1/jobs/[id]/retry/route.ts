import { findJob } from '@/db/queries/jobs';
import { requestActor } from '@/lib/server/admin/actor';
import { withApiAuth } from '@/lib/server/api/route';
import { withIdempotency } from '@/lib/server/idempotency';
import { loadJobDetail } from '@/lib/server/jobs/read';
import { retryJob } from '@/lib/server/jobs/retry';

// POST /api/v1/jobs/{id}/retry: a new job with the same configuration, linked to this one
export const POST = withApiAuth<{ id: string }>(async ({ req, params, db, account, apiKey }) =>
  withIdempotency({ req, db, account }, async () => {
    const job = await retryJob(db, { id: params.id, account, actor: requestActor({ account, apiKey }) });
    const row = await findJob(db, job.id);
    return Response.json(await loadJobDetail(db, row!, { maskSecrets: apiKey === null }), {
      status: 201,
      headers: { Location: `/api/v1/jobs/${job.id}` },
    });
  }),
  { rateLimit: 'create' },
);
