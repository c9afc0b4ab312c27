import { z } from 'zod';
import type { Engine } from '@/lib/jobs';

// The queues are defined once here and shared by the producer (API) and the worker.
// A pg-boss job only carries the id: the `jobs` row is the single source of truth for state.

export const queueNames: Record<Engine, string> = {
  http: 'scrape-http',
  browser: 'scrape-browser',
  stealth: 'scrape-stealth',
};

export const scrapePayloadSchema = z.object({ jobId: z.uuid() });
export type ScrapePayload = z.infer<typeof scrapePayloadSchema>;

export const queueOptions = {
  // Retries happen inside a job (spec section 2) and crash recovery through the job's lease,
  // so pg-boss itself never retries a delivery.
  retryLimit: 0,
  expireInSeconds: 60 * 60,
  deleteAfterSeconds: 24 * 60 * 60,
  notify: true,
} as const;

/** Job priorities map to pg-boss priorities (higher is fetched first). */
export const priorityValues = { low: -10, normal: 0, high: 10, urgent: 20 } as const;
export const priorities = ['low', 'normal', 'high', 'urgent'] as const;
export type Priority = (typeof priorities)[number];

/** NOTIFY channel on which a job's id is announced when it reaches a terminal state (at commit). */
export const jobFinishedChannel = 'scrapifie_job_finished';

/**
 * NOTIFY channels of the live streams, sent by triggers (db/migrations/0006): a job inserted or
 * changing status (`<jobId> <accountId> <batchId or empty>`, `*` for the job when one statement
 * inserted more than 100), and log entries appended (`<jobId>`, or `*`).
 */
export const jobChangedChannel = 'scrapifie_job_changed';
export const jobLogChannel = 'scrapifie_job_log';

/** NOTIFY channel that wakes the webhook dispatcher when a terminal event is written to the outbox. */
export const webhookOutboxChannel = 'scrapifie_webhook_outbox';

/**
 * One webhook delivery (an event to one URL) per pg-boss job; retried with exponential backoff by
 * pg-boss itself (the worker passes the limit and delay from WEBHOOK_RETRY_* on send).
 */
export const webhookDeliveryQueue = {
  name: 'webhook-delivery',
  options: { retryLimit: 5, retryDelay: 30, retryBackoff: true, retryDelayMax: 60 * 60, expireInSeconds: 5 * 60, deleteAfterSeconds: 7 * 24 * 60 * 60, notify: true },
} as const;

export const webhookDeliveryPayloadSchema = z.object({
  deliveryId: z.uuid(),
  trigger: z.enum(['automatic', 'redeliver']).default('automatic'),
});
export type WebhookDeliveryPayload = z.infer<typeof webhookDeliveryPayloadSchema>;

/** NOTIFY channel on which a cancelled processing job's id is announced to the workers. */
export const cancelChannel = 'scrapifie_cancel';

/**
 * The daily retention purge (spec section 11), scheduled by the workers. `exclusive`: at most one
 * run queued or active at a time, however many workers share the schedule.
 */
export const retentionQueue = {
  name: 'retention-purge',
  options: {
    policy: 'exclusive',
    retryLimit: 2,
    retryDelay: 10 * 60,
    expireInSeconds: 6 * 60 * 60,
    deleteAfterSeconds: 30 * 24 * 60 * 60,
    notify: true,
  },
} as const;
