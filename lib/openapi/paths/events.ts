import { z } from 'zod';
import type { ZodOpenApiPathsObject } from 'zod-openapi';
import { eventListSchema, listEventsQuerySchema, rotatedSecretSchema, sendTestEventBodySchema, webhookDeliverySchema } from '@/lib/schemas/webhooks';
import { errorResponses } from '../errors';
import { jsonBody, jsonResponse } from '../operations';

// Catching up on events, test events and secret rotation: app/api/v1/events and the webhook
// actions app/api/v1/webhooks/{id}/test, /{id}/secret/rotate and /secret/rotate.

const webhookPathParams = z.object({
  id: z.uuid().meta({ description: 'The webhook endpoint id (a UUID).', example: '6d1f2a3b-4c5d-4e6f-8a7b-9c0d1e2f3a4b' }),
});

const rotation = 'For 24 hours deliveries carry two `v1` signatures in `Scrapifie-Signature`, the new secret\'s first: switch your receiver over within that time.';

export const eventPaths: ZodOpenApiPathsObject = {
  '/api/v1/events': {
    get: {
      operationId: 'listEvents',
      tags: ['Webhooks'],
      summary: 'List the events sent to your webhooks',
      description:
        'Every event the account\'s webhooks were sent (not test events), exactly as delivered, oldest first by `sequence`. Deliveries are ' +
        'not ordered and may fail: to catch up, page through `after=<the last sequence you processed>` and deduplicate on `id`.',
      requestParams: { query: listEventsQuerySchema },
      responses: {
        '200': jsonResponse('A page of events.', eventListSchema),
        ...errorResponses(['validation_error']),
      },
    },
  },
  '/api/v1/webhooks/{id}/test': {
    post: {
      operationId: 'sendWebhookTestEvent',
      tags: ['Webhooks'],
      summary: 'Send a test event',
      description:
        'Sends the endpoint one made-up event of the type asked for (default `job.completed`), signed like any other and marked ' +
        '`Scrapifie-Test: true`, attempted once. The reply is the delivery, pending; it is not in `GET /api/v1/events`.',
      requestParams: { path: webhookPathParams },
      requestBody: { ...jsonBody(sendTestEventBodySchema, { completed: {}, failed: { type: 'job.failed' } }), required: false },
      responses: {
        '202': jsonResponse('The test delivery, queued.', webhookDeliverySchema),
        ...errorResponses(['validation_error', 'not_found']),
      },
    },
  },
  '/api/v1/webhooks/{id}/secret/rotate': {
    post: {
      operationId: 'rotateWebhookSecret',
      tags: ['Webhooks'],
      summary: 'Rotate an endpoint\'s signing secret',
      description: `A new signing secret for the endpoint. ${rotation}`,
      requestParams: { path: webhookPathParams },
      responses: {
        '200': jsonResponse('The new secret.', rotatedSecretSchema),
        ...errorResponses(['not_found']),
      },
    },
  },
  '/api/v1/webhooks/secret/rotate': {
    post: {
      operationId: 'rotateAccountWebhookSecret',
      tags: ['Webhooks'],
      summary: 'Rotate the account signing secret',
      description: `A new secret for deliveries to jobs' and batches' own \`webhookUrl\`. ${rotation}`,
      responses: {
        '200': jsonResponse('The new secret.', rotatedSecretSchema),
        ...errorResponses([]),
      },
    },
  },
};
