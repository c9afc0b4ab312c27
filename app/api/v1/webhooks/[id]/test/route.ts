import { sendTestEventBodySchema } from '@/lib/schemas/webhooks';
import { parseJsonBody, withApiAuth } from '@/lib/server/api/route';
import { findWebhookEndpoint } from '@/lib/server/webhooks/endpoints';
import { ownedEndpointId } from '@/lib/server/webhooks/params';
import { serializeDelivery } from '@/lib/server/webhooks/serialize';
import { sendTestEvent } from '@/lib/server/webhooks/test-event';

// POST /api/v1/webhooks/{id}/test: send the endpoint a made-up event (default job.completed) once; 202 with the delivery
export const POST = withApiAuth<{ id: string }>(async ({ req, params, db, account }) => {
  const endpoint = await findWebhookEndpoint(db, { id: ownedEndpointId(params.id), accountId: account.id });
  const { type } = await parseJsonBody(req, sendTestEventBodySchema);
  const delivery = await sendTestEvent(db, { endpoint, type });
  return Response.json(serializeDelivery(delivery), { status: 202 });
});
