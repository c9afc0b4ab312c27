import { withApiAuth } from '@/lib/server/api/route';
import { findWebhookEndpoint } from '@/lib/server/webhooks/endpoints';
import { ownedEndpointId } from '@/lib/server/webhooks/params';

// GET /api/v1/webhooks/{id}/secret: the endpoint's full signing secret
export const GET = withApiAuth<{ id: string }>(async ({ params, db, account }) => {
  const endpoint = await findWebhookEndpoint(db, { id: ownedEndpointId(params.id), accountId: account.id });
  return Response.json({ secret: endpoint.secret }, { headers: { 'Cache-Control': 'no-store' } });
});
