import { requestActor } from '@/lib/server/admin/actor';
import { withApiAuth } from '@/lib/server/api/route';
import { cancelJob } from '@/lib/server/jobs/cancel';
import { readJob } from '@/lib/server/jobs/read';

// POST /api/v1/jobs/{id}/cancel: cancel a queued or processing job; replies with its actual final state
export const POST = withApiAuth<{ id: string }>(async ({ params, db, account, apiKey }) => {
  await cancelJob(db, { id: params.id, accountId: account.id, actor: requestActor({ account, apiKey }) });
  return Response.json(await readJob(db, { id: params.id, accountId: account.id, maskSecrets: apiKey === null }));
});
