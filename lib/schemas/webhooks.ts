import { z } from 'zod';
import type { WebhookEvent } from '@/db/schema/webhooks';
import { batchSchema } from './batches';
import { crawlSchema } from './crawls';
import { webhookChangeSchema } from './changes';
import { pageFields } from './jobs';
import { jobSummarySchema, paginated, timestamp } from './responses';

// Webhook endpoints and deliveries: request bodies and the replies' shapes (lib/server/webhooks/serialize.ts).

export const webhookEvents = ['job.started', 'job.completed', 'job.failed', 'job.cancelled', 'job.expired', 'batch.completed', 'crawl.completed', 'crawl.cancelled', 'job.changed'] as const satisfies readonly WebhookEvent[];
/** What an endpoint gets unless it says otherwise: every event but the opt-in `job.started`. */
export const defaultWebhookEvents = webhookEvents.filter((event) => event !== 'job.started');

export const maxEndpointsPerAccount = 20;
export const maxWebhookDescriptionLength = 200;

const webhookUrl = z
  .string({ error: 'url is required' })
  .trim()
  .min(1, 'url is required')
  .max(2048, 'url must be at most 2,048 characters')
  .refine((value) => {
    if (!URL.canParse(value)) return false;
    const { protocol } = new URL(value);
    return protocol === 'http:' || protocol === 'https:';
  }, 'url must be an absolute http:// or https:// URL')
  .meta({ description: 'Receives a signed POST for each subscribed event. Must be reachable from the internet.', example: 'https://example.com/hooks/scrapifie' });

const events = z
  .array(z.enum(webhookEvents))
  .min(1, 'subscribe to at least one event')
  .transform((list) => [...new Set(list)])
  .meta({ description: 'The events to send. Default: all but `job.started`, which is opt-in (sent when a job starts its first attempt).' });

export const createWebhookBodySchema = z.object({
  url: webhookUrl,
  description: z.string().trim().max(maxWebhookDescriptionLength, `description must be at most ${maxWebhookDescriptionLength} characters`).optional(),
  events: events.default([...defaultWebhookEvents]),
});

export const updateWebhookBodySchema = z.object({
  url: webhookUrl.optional(),
  description: z.string().trim().max(maxWebhookDescriptionLength, `description must be at most ${maxWebhookDescriptionLength} characters`).nullable().optional(),
  events: events.optional(),
  enabled: z.boolean().optional().meta({ description: '`false` stops deliveries to the endpoint until it is enabled again.' }),
});

export type CreateWebhookBody = z.infer<typeof createWebhookBodySchema>;
export type UpdateWebhookBody = z.infer<typeof updateWebhookBodySchema>;

export const webhookIdSchema = z.uuid('webhook id must be a UUID');

// ---- replies ----

export const webhookEndpointSchema = z.strictObject({
  id: z.uuid(),
  url: z.string(),
  description: z.string().nullable(),
  events: z.array(z.enum(webhookEvents)),
  enabled: z.boolean(),
  secret: z.string().describe('The signing secret, masked (`whsec_••••abcd`); the full secret is in the creation reply and at /secret.'),
  createdAt: timestamp,
  disabledAt: timestamp.nullable(),
});

export const createdWebhookEndpointSchema = webhookEndpointSchema.extend({
  secret: z.string().describe('The full signing secret (`whsec_...`). Verify each delivery\'s `Scrapifie-Signature` with it.'),
});

export const webhookEndpointListSchema = z.strictObject({ data: z.array(webhookEndpointSchema) });

export const webhookSecretSchema = z.strictObject({
  secret: z.string().describe('A signing secret (`whsec_...`).'),
});

export const webhookAttemptSchema = z.strictObject({
  attempt: z.number().int().min(1),
  startedAt: timestamp,
  responseStatus: z.number().int().nullable().describe('The receiver\'s HTTP status; null when no response came.'),
  responseTimeMs: z.number().int().min(0).nullable(),
  error: z.string().nullable().describe('Why the attempt failed: a non-2xx status, a timeout, a refused connection, or `Blocked: ...` by the egress guard.'),
  trigger: z.enum(['automatic', 'redeliver']),
});

export const webhookDeliverySchema = z.strictObject({
  id: z.uuid(),
  eventId: z.uuid(),
  event: z.enum(webhookEvents),
  jobId: z.uuid().nullable(),
  batchId: z.uuid().nullable(),
  endpointId: z.uuid().nullable().describe('The account endpoint; null for the job\'s or batch\'s own `webhookUrl`.'),
  url: z.string(),
  status: z.enum(['pending', 'succeeded', 'failed']),
  attempts: z.array(webhookAttemptSchema),
  createdAt: timestamp,
  lastAttemptAt: timestamp.nullable(),
});

export const webhookDeliveryListSchema = z.strictObject({ data: z.array(webhookDeliverySchema) });

/** The result a `job.completed` event announces: its description and where to fetch it (with the API key). */
export const webhookResultSchema = z.strictObject({
  format: z.string().describe('`html`, `json`, `markdown` or `text`: the format the job asked for.'),
  size: z.number().int().min(0).describe('Bytes.'),
  contentType: z.string(),
  url: z.string().describe('GET it with your API key: absolute when the server knows its public address (PUBLIC_URL), else the path.'),
});

/** A job event's data: the job as GET /api/v1/jobs lists it, and for job.completed its result. */
export const webhookJobDataSchema = jobSummarySchema.extend({
  result: webhookResultSchema.nullable().describe('The result of a completed job (null for the other events, or when it was purged).'),
  change: webhookChangeSchema.optional().describe('`job.changed` only: how the run compares with the previous run of its URL (`changed`, or `removed` for a page now not found), and that run.'),
});

/** `batch.completed`'s data: the batch exactly as GET /api/v1/batches/{id} returns it. */
export const webhookBatchSchema = batchSchema;

/** The JSON body of every delivery: `data` is the job (as in GET /api/v1/jobs) or, for batch.completed, the batch. */
export const webhookEventPayloadSchema = z.strictObject({
  id: z.uuid().describe('The event id: the same in every delivery and redelivery of the event; deduplicate on it.'),
  type: z.enum(webhookEvents),
  createdAt: timestamp.describe('When it happened (the job or batch change). Deliveries are not ordered: order by this, or by `sequence`.'),
  sequence: z
    .number()
    .int()
    .min(1)
    .nullable()
    .describe("Increases with each event the account's webhooks were sent, as they were recorded; null for a test event. GET /api/v1/events lists them in this order."),
  data: z.union([webhookJobDataSchema, webhookBatchSchema, crawlSchema]),
});

export type JobWebhookEvent = Exclude<WebhookEvent, 'batch.completed' | CrawlWebhookEvent>;
export const jobWebhookEvents = webhookEvents.filter((event): event is JobWebhookEvent => event.startsWith('job.'));

export const crawlWebhookEvents = ['crawl.completed', 'crawl.cancelled'] as const satisfies readonly WebhookEvent[];
export type CrawlWebhookEvent = (typeof crawlWebhookEvents)[number];

/** A job event's body, as the document's webhooks section shows it: the payload with the job as its data. */
export const jobEventSchema = webhookEventPayloadSchema.extend({ type: z.enum(jobWebhookEvents), data: webhookJobDataSchema });

/** batch.completed's body: the payload with the batch as its data. */
export const batchCompletedEventSchema = webhookEventPayloadSchema.extend({ type: z.literal('batch.completed'), data: webhookBatchSchema });

/** crawl.completed's and crawl.cancelled's body: the payload with the crawl (as GET /api/v1/crawls/{id} returns it) as its data. */
export const crawlEventSchema = webhookEventPayloadSchema.extend({ type: z.enum(crawlWebhookEvents), data: crawlSchema });

export const listEventsQuerySchema = z.object({
  type: z
    .string()
    .transform((value) => value.split(',').map((t) => t.trim()).filter(Boolean))
    .pipe(z.array(z.enum(webhookEvents, `type must be one of ${webhookEvents.join(', ')}`)).max(webhookEvents.length))
    .optional()
    .meta({ description: 'Only events of these types (comma-separated).' }),
  since: z.iso
    .datetime({ offset: true, error: 'since must be a date-time like 2026-03-01T10:00:00Z' })
    .optional()
    .meta({ description: 'Only events that happened at or after this time (ISO 8601).' }),
  after: z.coerce.number().int().min(0).optional().meta({ description: 'Only events whose `sequence` is greater than this: pass the last one you processed to catch up.' }),
  page: pageFields.page.meta({ description: 'Page number, from 1.' }),
  size: pageFields.size.meta({ description: 'Events per page: 25, 50 or 100.' }),
});
export type ListEventsQuery = z.infer<typeof listEventsQuerySchema>;

export const eventListSchema = paginated(webhookEventPayloadSchema);

export const sendTestEventBodySchema = z.object({
  type: z.enum(webhookEvents).default('job.completed').meta({ description: 'The event to imitate (default job.completed); its data is a made-up job or batch.' }),
});

export const rotatedSecretSchema = z.strictObject({
  secret: z.string().describe('The new signing secret (`whsec_...`).'),
  previousSecretExpiresAt: timestamp.describe('Until then deliveries carry a second `v1` signature, made with the previous secret.'),
});

export type WebhookJobDataJson = z.infer<typeof webhookJobDataSchema>;
export type WebhookEventPayload = z.infer<typeof webhookEventPayloadSchema>;

export type WebhookEndpointResponse = z.infer<typeof webhookEndpointSchema>;
export type WebhookDeliveryResponse = z.infer<typeof webhookDeliverySchema>;
export type WebhookAttemptResponse = z.infer<typeof webhookAttemptSchema>;
