import { withApiAuth } from '@/lib/server/api/route';
import { rotateWebhookSecret } from '@/lib/server/webhooks/endpoints';
import { ownedEndpointId } from '@/lib/server/webhooks/params';

// POST /api/v1/webhooks/{id}/secret/rotate: a new signing secret; the old one also signs for 24 hours
export const POST = withApiAuth<{ id: string }>(async ({ params, db, account }) => {
  const rotated = await rotateWebhookSecret(db, { id: ownedEndpointId(params.id), accountId: account.id });
  return Response.json(rotated, { headers: { 'Cache-Control': 'no-store' } });
});
