import { getEnv } from '@/lib/env';
import { requestActor } from '@/lib/server/admin/actor';
import { withApiAuth } from '@/lib/server/api/route';
import { getOwnedJob } from '@/lib/server/jobs/access';
import { deleteJob } from '@/lib/server/jobs/delete';
import { expireStaleJobs } from '@/lib/server/jobs/expire';
import { loadJobDetail } from '@/lib/server/jobs/read';

// GET /api/v1/jobs/{id}: one job with its attempts, children and result description
export const GET = withApiAuth<{ id: string }>(async ({ params, db, account, apiKey }) => {
  let row = await getOwnedJob(db, { id: params.id, accountId: account.id });
  if (row.job.status === 'queued') {
    const expired = await expireStaleJobs(db, { maxWaitSeconds: getEnv().MAX_QUEUE_WAIT_SECONDS, accountId: account.id });
    if (expired > 0) row = await getOwnedJob(db, { id: params.id, accountId: account.id });
  }
  return Response.json(await loadJobDetail(db, row, { maskSecrets: apiKey === null }));
});

// DELETE /api/v1/jobs/{id}: soft-delete a job (an active one is cancelled first); its charge stays in the ledger
export const DELETE = withApiAuth<{ id: string }>(async ({ params, db, account, apiKey }) => {
  const job = await deleteJob(db, { id: params.id, accountId: account.id, actor: requestActor({ account, apiKey }) });
  return Response.json({ id: job.id, status: job.status, deletedAt: job.deletedAt!.toISOString() });
});
