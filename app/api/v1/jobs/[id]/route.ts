import { requestActor } from '@/lib/server/admin/actor';
import { withApiAuth } from '@/lib/server/api/route';
import { deleteJob } from '@/lib/server/jobs/delete';
import { readJob } from '@/lib/server/jobs/read';
import { conditionalHeaders, jobReplyTag, notModified, readJobVersion } from '@/lib/server/jobs/version';

// GET /api/v1/jobs/{id}: one job with its attempts, children and result description; with
// If-None-Match and nothing changed, a 304
export const GET = withApiAuth<{ id: string }>(async ({ req, params, db, account, apiKey }) => {
  const maskSecrets = apiKey === null;
  const etag = jobReplyTag(await readJobVersion(db, { id: params.id, accountId: account.id }), { maskSecrets });
  return notModified(req, etag) ?? Response.json(await readJob(db, { id: params.id, accountId: account.id, maskSecrets }), { headers: conditionalHeaders(etag) });
});

// DELETE /api/v1/jobs/{id}: soft-delete a job (an active one is cancelled first); its charge stays in the ledger
export const DELETE = withApiAuth<{ id: string }>(async ({ params, db, account, apiKey }) => {
  const job = await deleteJob(db, { id: params.id, accountId: account.id, actor: requestActor({ account, apiKey }) });
  return Response.json({ id: job.id, status: job.status, deletedAt: job.deletedAt!.toISOString() });
});
