import { z } from 'zod';
import type { ZodOpenApiPathsObject } from 'zod-openapi';
import {
  createWebhookBodySchema,
  createdWebhookEndpointSchema,
  updateWebhookBodySchema,
  webhookDeliveryListSchema,
  webhookDeliverySchema,
  webhookEndpointListSchema,
  webhookEndpointSchema,
  webhookSecretSchema,
  type WebhookDeliveryResponse,
  type WebhookEndpointResponse,
} from '@/lib/schemas/webhooks';
import { errorResponses } from '../errors';
import { jobSummaryExample } from '../examples';
import { idempotencyHeaders, jobPathParams, json, jsonBody, jsonResponse, locationResponse } from '../operations';

// Webhook endpoints, the signing secrets and deliveries: app/api/v1/webhooks/** and
// app/api/v1/jobs/{id}/webhooks. The tag's description is the receiver's guide.

const endpointId = '6d1f2a3b-4c5d-4e6f-8a7b-9c0d1e2f3a4b';
const deliveryId = 'c2d3e4f5-a6b7-4c8d-9e0f-1a2b3c4d5e6f';

const endpointExample: WebhookEndpointResponse = {
  id: endpointId,
  url: 'https://example.com/hooks/scrapifie',
  description: 'Order pipeline',
  events: ['job.completed', 'job.failed'],
  enabled: true,
  secret: 'whsec_••••••••x9Qa',
  createdAt: '2026-03-01T09:00:00.000Z',
  disabledAt: null,
};

const deliveryExample: WebhookDeliveryResponse = {
  id: deliveryId,
  eventId: '0e9d8c7b-6a5f-4e3d-8c2b-1a0f9e8d7c6b',
  event: 'job.completed',
  jobId: jobSummaryExample.id,
  batchId: null,
  endpointId,
  url: 'https://example.com/hooks/scrapifie',
  status: 'succeeded',
  attempts: [
    { attempt: 1, startedAt: '2026-03-01T10:30:01.020Z', responseStatus: 500, responseTimeMs: 132, error: 'HTTP 500', trigger: 'automatic' },
    { attempt: 2, startedAt: '2026-03-01T10:30:45.310Z', responseStatus: 200, responseTimeMs: 87, error: null, trigger: 'automatic' },
  ],
  createdAt: '2026-03-01T10:30:01.000Z',
  lastAttemptAt: '2026-03-01T10:30:45.310Z',
};

const webhookPathParams = z.object({
  id: z.uuid().meta({ description: 'The webhook endpoint id (a UUID).', example: endpointId }),
});

const deliveryPathParams = z.object({
  id: z.uuid().meta({ description: 'The delivery id (a UUID; also sent as `Scrapifie-Delivery`).', example: deliveryId }),
});

export const webhooksDescription = `Scrapifie POSTs an event to your URL when a job reaches a terminal state or a batch finishes.

**Events**: \`job.completed\`, \`job.failed\`, \`job.cancelled\`, \`job.expired\` (each with the job, as \`GET /api/v1/jobs\` lists it,
plus \`result\`: for \`job.completed\` its format, size, content type and the URL to fetch it) and \`batch.completed\` (the batch as
\`GET /api/v1/batches/{id}\` returns it), sent to the job's (or batch's) own \`webhookUrl\` and to every enabled endpoint of the
account that subscribes to the event; \`job.started\` (opt-in) only to endpoints that list it.

**Body**: \`{"id": "<event id>", "type": "job.completed", "createdAt": "...", "sequence": 42, "data": {...}}\`. The event id is the
same in every retry and redelivery: deduplicate on it. Deliveries are not ordered: order by \`createdAt\` or \`sequence\`, and catch
up on missed ones with \`GET /api/v1/events?after=<sequence>\`.

**Headers**: \`Content-Type: application/json\`, \`User-Agent: Scrapifie-Webhooks/1.0\`, \`Scrapifie-Event\` (the type),
\`Scrapifie-Delivery\` (the delivery id), and \`Scrapifie-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256>\`, computed with the
endpoint's secret (or, for a job's own \`webhookUrl\`, the account secret from \`GET /api/v1/webhooks/secret\`) over
\`<t>.<raw body>\`. For 24 hours after a rotation a second \`v1\` is made with the previous secret: accept any that matches.

**Verify** (Node):

\`\`\`js
const crypto = require('node:crypto');
function verify(secret, header, rawBody) {
  const parts = header.split(',').map((part) => part.split('='));
  const t = Number(parts.find(([key]) => key === 't')?.[1]);
  if (!Number.isInteger(t) || Math.abs(Date.now() / 1000 - t) > 300) return false; // 5 minutes
  const expected = Buffer.from(crypto.createHmac('sha256', secret).update(\`\${t}.\${rawBody}\`).digest('hex'));
  return parts.some(([key, value = '']) => key === 'v1' && value.length === expected.length && crypto.timingSafeEqual(Buffer.from(value), expected));
}
\`\`\`

**Retries**: any answer other than 2xx within 10 seconds (redirects are not followed) is retried up to 5 times with
exponential backoff: about 30 s, 1, 2, 4 and 8 minutes (with jitter). Every attempt is recorded and listed at
\`GET /api/v1/jobs/{id}/webhooks\`; \`POST /api/v1/webhooks/deliveries/{id}/redeliver\` sends one more attempt now.

**Egress guard**: like scrapes, deliveries only go to public addresses. A URL whose host is (or resolves to) a loopback,
private, link-local or metadata address is refused without a request and without retries (\`Blocked: ...\`).`;

export const webhookPaths: ZodOpenApiPathsObject = {
  '/api/v1/webhooks': {
    get: {
      operationId: 'listWebhookEndpoints',
      tags: ['Webhooks'],
      summary: 'List webhook endpoints',
      description: 'Newest first; secrets are masked.',
      responses: {
        '200': jsonResponse('The endpoints.', webhookEndpointListSchema, { endpoints: { data: [endpointExample] } }),
        ...errorResponses([]),
      },
    },
    post: {
      operationId: 'createWebhookEndpoint',
      tags: ['Webhooks'],
      summary: 'Add a webhook endpoint',
      description:
        'The reply carries the full signing secret; later it is at `GET /api/v1/webhooks/{id}/secret`. A URL whose host is obviously ' +
        'internal (localhost, a private or loopback IP) is refused here; every delivery is checked again by the egress guard. At most 20 endpoints.',
      requestParams: { header: idempotencyHeaders },
      requestBody: jsonBody(createWebhookBodySchema, {
        all: { url: 'https://example.com/hooks/scrapifie' },
        some: { url: 'https://example.com/hooks/scrapifie', description: 'Order pipeline', events: ['job.completed', 'job.failed'] },
      }),
      responses: {
        '201': locationResponse(
          'The endpoint, with its full `secret`.',
          createdWebhookEndpointSchema,
          { created: { ...endpointExample, secret: 'whsec_4fJq0bXy7LmN2pRs8TuVw1Xz3Ab5Cd9x9Qa' } },
          { rateLimited: false },
        ),
        ...errorResponses(['validation_error', 'conflict', 'idempotency_in_flight', 'payload_too_large', 'idempotency_mismatch']),
      },
    },
  },
  '/api/v1/webhooks/{id}': {
    get: {
      operationId: 'getWebhookEndpoint',
      tags: ['Webhooks'],
      summary: 'Get a webhook endpoint',
      requestParams: { path: webhookPathParams },
      responses: {
        '200': jsonResponse('The endpoint, its secret masked.', webhookEndpointSchema, { endpoint: endpointExample }),
        ...errorResponses(['not_found']),
      },
    },
    post: {
      operationId: 'updateWebhookEndpoint',
      tags: ['Webhooks'],
      summary: 'Change or enable/disable a webhook endpoint',
      description: 'Only the fields sent change. `enabled: false` stops deliveries to it until it is enabled again.',
      requestParams: { path: webhookPathParams },
      requestBody: jsonBody(updateWebhookBodySchema, { disable: { enabled: false }, events: { events: ['job.failed'] } }),
      responses: {
        '200': jsonResponse('The endpoint as it is now.', webhookEndpointSchema, {
          disabled: { ...endpointExample, enabled: false, disabledAt: '2026-03-02T08:00:00.000Z' },
        }),
        ...errorResponses(['validation_error', 'not_found', 'payload_too_large']),
      },
    },
    delete: {
      operationId: 'deleteWebhookEndpoint',
      tags: ['Webhooks'],
      summary: 'Delete a webhook endpoint',
      description: 'No more deliveries go to it; its past deliveries stay listed on their jobs.',
      requestParams: { path: webhookPathParams },
      responses: {
        '200': jsonResponse('The deleted endpoint.', webhookEndpointSchema, { deleted: endpointExample }),
        ...errorResponses(['not_found']),
      },
    },
  },
  '/api/v1/webhooks/{id}/secret': {
    get: {
      operationId: 'getWebhookEndpointSecret',
      tags: ['Webhooks'],
      summary: "An endpoint's signing secret",
      requestParams: { path: webhookPathParams },
      responses: {
        '200': jsonResponse('The full secret.', webhookSecretSchema, { secret: { secret: 'whsec_4fJq0bXy7LmN2pRs8TuVw1Xz3Ab5Cd9x9Qa' } }),
        ...errorResponses(['not_found']),
      },
    },
  },
  '/api/v1/webhooks/secret': {
    get: {
      operationId: 'getAccountWebhookSecret',
      tags: ['Webhooks'],
      summary: "The account's signing secret",
      description: "Signs deliveries to jobs' and batches' own `webhookUrl`. Created on first use, then stable.",
      responses: {
        '200': jsonResponse('The full secret.', webhookSecretSchema, { secret: { secret: 'whsec_Zx8Yw7Vu6Ts5Rq4Po3Nm2Lk1Ji0Hg9Fe8Dc' } }),
        ...errorResponses([]),
      },
    },
  },
  '/api/v1/webhooks/deliveries/{id}/redeliver': {
    post: {
      operationId: 'redeliverWebhook',
      tags: ['Webhooks'],
      summary: 'Redeliver',
      description:
        'Sends the same event (same event id and body, freshly signed) once more, now, as a new attempt marked `redeliver`. ' +
        '409 while the delivery still has an attempt pending.',
      requestParams: { path: deliveryPathParams },
      responses: {
        '202': jsonResponse('The delivery, pending until the attempt is made.', webhookDeliverySchema, {
          pending: { ...deliveryExample, status: 'pending' },
        }),
        ...errorResponses(['not_found', 'conflict']),
      },
    },
  },
  '/api/v1/jobs/{id}/webhooks': {
    get: {
      operationId: 'listJobWebhookDeliveries',
      tags: ['Webhooks'],
      summary: "A job's webhook deliveries",
      description: 'One delivery per target URL of each event of the job, with every attempt: status, response time, error.',
      requestParams: { path: jobPathParams },
      responses: {
        '200': jsonResponse('The deliveries, oldest first.', webhookDeliveryListSchema, { deliveries: { data: [deliveryExample] } }),
        ...errorResponses(['forbidden', 'not_found', 'gone']),
      },
    },
  },
};
