import { deleteEndpoint } from '@/db/queries/webhooks';
import { updateWebhookBodySchema } from '@/lib/schemas/webhooks';
import { parseJsonBody, withApiAuth } from '@/lib/server/api/route';
import { changeWebhookEndpoint, findWebhookEndpoint } from '@/lib/server/webhooks/endpoints';
import { serializeEndpoint } from '@/lib/server/webhooks/serialize';
import { ownedEndpointId } from '@/lib/server/webhooks/params';

// GET /api/v1/webhooks/{id}: one endpoint, its secret masked
export const GET = withApiAuth<{ id: string }>(async ({ params, db, account }) => {
  const endpoint = await findWebhookEndpoint(db, { id: ownedEndpointId(params.id), accountId: account.id });
  return Response.json(serializeEndpoint(endpoint));
});

// POST /api/v1/webhooks/{id}: change the URL, description or events, or enable/disable it
export const POST = withApiAuth<{ id: string }>(async ({ req, params, db, account }) => {
  const id = ownedEndpointId(params.id);
  await findWebhookEndpoint(db, { id, accountId: account.id });
  const body = await parseJsonBody(req, updateWebhookBodySchema);
  const endpoint = await changeWebhookEndpoint(db, { id, accountId: account.id, body });
  return Response.json(serializeEndpoint(endpoint));
});

// DELETE /api/v1/webhooks/{id}: stop sending to it; its past deliveries stay listed on their jobs
export const DELETE = withApiAuth<{ id: string }>(async ({ params, db, account }) => {
  const id = ownedEndpointId(params.id);
  await findWebhookEndpoint(db, { id, accountId: account.id });
  const deleted = await deleteEndpoint(db, { id, accountId: account.id });
  return Response.json(serializeEndpoint(deleted ?? (await findWebhookEndpoint(db, { id, accountId: account.id }))));
});
