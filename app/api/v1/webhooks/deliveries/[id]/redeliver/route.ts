import { withApiAuth } from '@/lib/server/api/route';
import { redeliverWebhook } from '@/lib/server/webhooks/endpoints';
import { ownedDeliveryId } from '@/lib/server/webhooks/params';
import { serializeDelivery } from '@/lib/server/webhooks/serialize';

// POST /api/v1/webhooks/deliveries/{id}/redeliver: one more attempt now; 202 with the delivery pending
export const POST = withApiAuth<{ id: string }>(async ({ params, db, account }) => {
  const delivery = await redeliverWebhook(db, { id: ownedDeliveryId(params.id), accountId: account.id });
  return Response.json(serializeDelivery(delivery), { status: 202 });
});
