import { z } from 'zod';
import type { ZodOpenApiPathsObject } from 'zod-openapi';
import type { BatchResponse } from '@/lib/schemas/batches';
import type { CrawlResponse } from '@/lib/schemas/crawls';
import { webhookEvents, type JobWebhookEvent, type WebhookEventPayload, type WebhookJobDataJson } from '@/lib/schemas/webhooks';
import { activeBatchExample, failedJobExample, jobSummaryExample } from './examples';
import { activeCrawlExample } from './paths/crawls';

// The document's `webhooks` section: what Scrapifie POSTs to a receiver, one operation per event,
// with the payload's schema and the signed headers. The bodies are lib/schemas/webhooks.ts's
// JobEvent and BatchCompletedEvent (lib/server/webhooks/payload.ts builds them), referred to by
// name: as request bodies zod-openapi would render them as input, with the defaults of a batch's
// config optional, whereas a receiver gets them as the API's replies are, every field present.

type WebhookEvent = (typeof webhookEvents)[number];

const deliveryHeaders = z.object({
  'Scrapifie-Event': z.enum(webhookEvents).meta({ description: 'The event type, as in the body.' }),
  'Scrapifie-Delivery': z.uuid().meta({ description: 'The delivery id: one per target URL of the event; listed at `GET /api/v1/jobs/{id}/webhooks`.' }),
  'Scrapifie-Signature': z.string().meta({
    description:
      '`t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">` keyed with the endpoint\'s secret (the account secret for a ' +
      "job's or batch's own `webhookUrl`). For 24 hours after a rotation a second `v1`, made with the previous secret, follows the " +
      'first: accept any that matches. Verify it on the raw body and refuse a `t` more than 5 minutes from your clock.',
    example: 't=1772361001,v1=5257a869e7ecebeda32affa62cdca3fa51cad7e77a0e56ff536d0ce8e108d8bd',
  }),
  'Scrapifie-Test': z.literal('true').optional().meta({ description: 'Sent only with a test event (`POST /api/v1/webhooks/{id}/test`), whose data is made up.' }),
});

const descriptions: Record<WebhookEvent, string> = {
  'job.started': 'A job started its first attempt (opt-in: sent only to endpoints that list it, never to a job\'s own `webhookUrl`).',
  'job.completed': 'A job completed: `data.result` says where to fetch its result.',
  'job.failed': 'A job failed: `data.error` says why.',
  'job.cancelled': 'A job was cancelled.',
  'job.expired': 'A job waited in the queue longer than the server allows and expired.',
  'batch.completed': 'Every job of a batch has finished: `data.counts` has them by state.',
  'crawl.completed': 'Every page job of a crawl is terminal: `data.progress` has the totals.',
  'crawl.cancelled': 'A crawl was cancelled: its unfinished pages were cancelled with it (one event, not one per page).',
  'job.changed':
    'A job that tracks changes (`trackChanges`, a schedule\'s runs, a crawl\'s pages) found its page changed since the previous run of the same URL, or removed (HTTP 404 or 410 after a run that found it): `data.change` has the status and the previous job (the diff is on `GET /api/v1/jobs/{id}`, under `change`). Never sent to a job\'s own `webhookUrl`.',
};

const answers = {
  '2XX': { description: 'Any 2xx answer within 10 seconds acknowledges the event.' },
  '4XX': { description: 'Any other answer (or none within 10 seconds; redirects are not followed) is a failed attempt, retried with backoff up to 5 times.' },
} as const;

const completedBatchExample = {
  ...activeBatchExample,
  completedAt: '2026-03-01T10:31:00.000Z',
  counts: { queued: 0, processing: 0, completed: 98, failed: 2, cancelled: 0, expired: 0 },
  finished: 100,
  percent: 100,
  creditsCharged: 100,
  creditsReserved: 0,
  status: 'completed',
} satisfies BatchResponse;

function jobExample(event: JobWebhookEvent): WebhookJobDataJson {
  if (event === 'job.started') {
    return { ...jobSummaryExample, status: 'processing', durationMs: null, finishedAt: null, result: null };
  }
  if (event === 'job.changed') {
    return {
      ...jobSummaryExample,
      result: { format: 'html', size: 18_234, contentType: 'text/html; charset=utf-8', url: `https://scrapifie.example.com/api/v1/jobs/${jobSummaryExample.id}/result` },
      change: { status: 'changed', previousJobId: '7c1d2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f' },
    };
  }
  const result =
    event === 'job.completed'
      ? { format: 'html', size: 18_234, contentType: 'text/html; charset=utf-8', url: `https://scrapifie.example.com/api/v1/jobs/${jobSummaryExample.id}/result` }
      : null;
  const error = event === 'job.failed' ? failedJobExample.error : null;
  return { ...jobSummaryExample, status: event.slice('job.'.length) as WebhookJobDataJson['status'], error, result };
}

const finishedCrawlExample = {
  ...activeCrawlExample,
  status: 'completed',
  progress: { discovered: 180, queued: 0, processing: 0, done: 155, failed: 5, skipped: 20, pages: 160, percent: 100 },
  creditsCharged: 160,
  creditsReserved: 0,
  completedAt: '2026-03-01T10:31:00.000Z',
} satisfies CrawlResponse;

function eventOperation(event: WebhookEvent, sequence: number) {
  const isBatch = event === 'batch.completed';
  const isCrawl = event.startsWith('crawl.');
  const example: WebhookEventPayload = {
    id: '0e9d8c7b-6a5f-4e3d-8c2b-1a0f9e8d7c6b',
    type: event,
    createdAt: '2026-03-01T10:31:00.000Z',
    sequence,
    data: isBatch ? completedBatchExample : isCrawl ? { ...finishedCrawlExample, ...(event === 'crawl.cancelled' ? { status: 'cancelled', cancelledAt: '2026-03-01T10:31:00.000Z' } : {}) } : jobExample(event as JobWebhookEvent),
  };
  const receivers =
    event === 'job.started' || event === 'job.changed'
      ? 'every enabled endpoint subscribed to it'
      : `the ${isBatch ? "batch's" : isCrawl ? "crawl's" : "job's"} own \`webhookUrl\` and to every enabled endpoint subscribed to \`${event}\``;
  return {
    post: {
      operationId: `${event.replace('.', '_')}_event`.replace(/_([a-z])/g, (_: string, letter: string) => letter.toUpperCase()),
      tags: ['Webhooks'],
      summary: `\`${event}\``,
      description: `${descriptions[event]} Sent to ${receivers}.`,
      security: [],
      requestParams: { header: deliveryHeaders },
      requestBody: {
        required: true,
        content: { 'application/json': { schema: { $ref: `#/components/schemas/${isBatch ? 'BatchCompletedEvent' : isCrawl ? 'CrawlEvent' : 'JobEvent'}` }, examples: { event: { value: example } } } },
      },
      responses: answers,
    },
  };
}

export const webhookEventOperations: ZodOpenApiPathsObject = Object.fromEntries(webhookEvents.map((event, index) => [event, eventOperation(event, 41 + index)]));
