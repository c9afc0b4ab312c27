import { listEndpoints } from '@/db/queries/webhooks';
import { createWebhookBodySchema } from '@/lib/schemas/webhooks';
import { parseJsonBody, withApiAuth } from '@/lib/server/api/route';
import { withIdempotency } from '@/lib/server/idempotency';
import { createWebhookEndpoint } from '@/lib/server/webhooks/endpoints';
import { serializeEndpoint } from '@/lib/server/webhooks/serialize';

// GET /api/v1/webhooks: the account's webhook endpoints, newest first, secrets masked
export const GET = withApiAuth(async ({ db, account }) => {
  const endpoints = await listEndpoints(db, account.id);
  return Response.json({ data: endpoints.map((endpoint) => serializeEndpoint(endpoint)) });
});

// POST /api/v1/webhooks: add an endpoint; 201 with its full signing secret
export const POST = withApiAuth(async ({ req, db, account }) =>
  withIdempotency({ req, db, account }, async () => {
    const body = await parseJsonBody(req, createWebhookBodySchema);
    const endpoint = await createWebhookEndpoint(db, { accountId: account.id, body });
    return Response.json(serializeEndpoint(endpoint, { revealSecret: true }), {
      status: 201,
      headers: { Location: `/api/v1/webhooks/${endpoint.id}`, 'Cache-Control': 'no-store' },
    });
  }),
);
