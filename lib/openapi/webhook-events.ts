import { z } from 'zod';
import type { ZodOpenApiPathsObject } from 'zod-openapi';
import { jobSummarySchema, timestamp } from '@/lib/schemas/responses';
import { webhookBatchSchema, webhookEvents } from '@/lib/schemas/webhooks';
import { jobSummaryExample, queuedJobExample } from './examples';
import { jsonBody } from './operations';

// The document's `webhooks` section: what Scrapifie POSTs to a receiver, one operation per event,
// with the payload's schema (lib/server/webhooks/payload.ts builds it) and the signed headers.

type WebhookEvent = (typeof webhookEvents)[number];
const jobEvents = webhookEvents.filter((event): event is Exclude<WebhookEvent, 'batch.completed'> => event !== 'batch.completed');

const eventId = z.uuid().describe('The event id: the same in every delivery and redelivery of the event; deduplicate on it.');

export const jobEventSchema = z
  .strictObject({ id: eventId, type: z.enum(jobEvents), createdAt: timestamp, data: jobSummarySchema.describe('The job, as `GET /api/v1/jobs` lists it.') })
  .meta({ id: 'JobEvent' });

export const batchCompletedEventSchema = z
  .strictObject({ id: eventId, type: z.literal('batch.completed'), createdAt: timestamp, data: webhookBatchSchema })
  .meta({ id: 'BatchCompletedEvent' });

const deliveryHeaders = z.object({
  'Scrapifie-Event': z.enum(webhookEvents).meta({ description: 'The event type, as in the body.' }),
  'Scrapifie-Delivery': z.uuid().meta({ description: 'The delivery id: one per target URL of the event; listed at `GET /api/v1/jobs/{id}/webhooks`.' }),
  'Scrapifie-Signature': z.string().meta({
    description:
      '`t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">` keyed with the endpoint\'s secret (the account secret for a ' +
      "job's or batch's own `webhookUrl`). Verify it on the raw body and refuse a `t` more than 5 minutes from your clock.",
    example: 't=1772361001,v1=5257a869e7ecebeda32affa62cdca3fa51cad7e77a0e56ff536d0ce8e108d8bd',
  }),
});

const descriptions: Record<WebhookEvent, string> = {
  'job.started': 'A job started its first attempt: `data` shows it as it started. Opt-in: not among the default events.',
  'job.completed': 'A job completed: its result can be fetched.',
  'job.failed': 'A job failed: `data.error` says why.',
  'job.cancelled': 'A job was cancelled.',
  'job.expired': 'A job waited in the queue longer than the server allows and expired.',
  'batch.completed': 'Every job of a batch has finished: `data.counts` has them by state.',
};

const answers = {
  '2XX': { description: 'Any 2xx answer within 10 seconds acknowledges the event.' },
  '4XX': { description: 'Any other answer (or none within 10 seconds; redirects are not followed) is a failed attempt, retried with backoff up to 5 times.' },
} as const;

const exampleBatch = {
  id: '7c9e6679-7425-40de-944b-e07fc1f90ae7',
  name: 'Catalog refresh',
  tags: ['daily'],
  priority: 'normal',
  engine: 'http',
  config: queuedJobExample.config,
  total: 2,
  counts: { queued: 0, processing: 0, completed: 2, failed: 0, cancelled: 0, expired: 0 },
  webhookUrl: 'https://hooks.example.com/scrapifie',
  createdAt: '2026-03-01T10:30:00.000Z',
  cancelledAt: null,
  completedAt: '2026-03-01T10:31:00.000Z',
  finished: 2,
  percent: 100,
  creditsCharged: 2,
  creditsReserved: 0,
  status: 'completed',
};

function eventOperation(event: WebhookEvent) {
  const isBatch = event === 'batch.completed';
  // A job.started event shows the job as it started: processing, not yet finished.
  const data = isBatch
    ? exampleBatch
    : event === 'job.started'
      ? { ...jobSummaryExample, status: 'processing', finishedAt: null, durationMs: null }
      : { ...jobSummaryExample, status: event.slice(4) };
  return {
    post: {
      operationId: `${event.replace('.', '_')}_event`.replace(/_([a-z])/g, (_: string, letter: string) => letter.toUpperCase()),
      tags: ['Webhooks'],
      summary: `\`${event}\``,
      description: `${descriptions[event]} Sent to the ${isBatch ? "batch's" : "job's"} own \`webhookUrl\` and to every enabled endpoint subscribed to \`${event}\`.`,
      security: [],
      requestParams: { header: deliveryHeaders },
      requestBody: jsonBody(isBatch ? batchCompletedEventSchema : jobEventSchema, {
        event: { id: '0e9d8c7b-6a5f-4e3d-8c2b-1a0f9e8d7c6b', type: event, createdAt: '2026-03-01T10:31:00.000Z', data },
      }),
      responses: answers,
    },
  };
}

export const webhookEventOperations: ZodOpenApiPathsObject = Object.fromEntries(webhookEvents.map((event) => [event, eventOperation(event)]));
