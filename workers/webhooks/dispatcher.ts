import type { PgBoss } from 'pg-boss';
import type { Database, Transaction } from '@/db/client';
import { getJobChange } from '@/db/queries/changes';
import { findJob } from '@/db/queries/jobs';
import { getResultMeta } from '@/db/queries/results';
import {
  claimOutboxEvents,
  completeBatchIfDone,
  insertDeliveries,
  insertEventLog,
  listSubscribedEndpoints,
  requeueOutboxEvent,
  tallyBatch,
  type OutboxEvent,
} from '@/db/queries/webhooks';
import type { WebhookEvent } from '@/db/schema';
import { log } from '@/lib/log';
import type { WebhookEventPayload } from '@/lib/schemas/webhooks';
import { enqueueDelivery, type DeliveryRetry } from '@/lib/server/webhooks/enqueue';
import { batchEventPayload, crawlEventPayload, jobEventPayload } from '@/lib/server/webhooks/payload';
import { findCrawl } from '@/db/queries/crawls';
import { tallyCrawl } from '@/lib/server/crawls/read';

// The webhook dispatcher: turns outbox rows (written with each job's terminal state) into
// deliveries, one per target URL, each queued on `webhook-delivery` in the same transaction
// that deletes the row. Woken by NOTIFY at the finishing commit, with a poll as a fallback
// for a missed notification or a row left by a dispatcher that died.

const claimBatchSize = 50;

type Target = { url: string; endpointId: string | null };

export type DispatcherOptions = {
  db: Database;
  boss: PgBoss;
  retry: DeliveryRetry;
  /** Fallback poll interval. */
  pollIntervalMs?: number;
  /** LISTEN on the outbox channel; returns the unlisten. */
  listen: (onNotify: () => void) => Promise<{ unlisten(): Promise<void> }>;
};

export type Dispatcher = { stop(): Promise<void>; drain(): Promise<void> };

async function targetsFor(tx: Transaction, { accountId, event, ownUrl }: { accountId: string; event: WebhookEvent; ownUrl: string | null }): Promise<Target[]> {
  const endpoints = await listSubscribedEndpoints(tx, { accountId, event });
  return [...(ownUrl ? [{ url: ownUrl, endpointId: null }] : []), ...endpoints.map((endpoint) => ({ url: endpoint.url, endpointId: endpoint.id }))];
}

async function fanOut(
  tx: Transaction,
  options: Pick<DispatcherOptions, 'boss' | 'retry'>,
  { accountId, payload, targets, jobId, batchId, crawlId = null }: { accountId: string; payload: WebhookEventPayload; targets: Target[]; jobId: string | null; batchId: string | null; crawlId?: string | null },
): Promise<void> {
  // Recorded for GET /api/v1/events, which also gives the event its place in the sequence.
  const sequence = await insertEventLog(tx, {
    accountId,
    id: payload.id,
    type: payload.type,
    createdAt: new Date(payload.createdAt),
    payload: (value) => ({ ...payload, sequence: value }),
  });
  const sent = { ...payload, sequence } as unknown as Record<string, unknown>;
  const deliveries = await insertDeliveries(
    tx,
    targets.map((target) => ({
      accountId,
      eventId: payload.id,
      event: payload.type,
      jobId,
      batchId,
      crawlId,
      endpointId: target.endpointId,
      url: target.url,
      payload: sent,
    })),
  );
  for (const delivery of deliveries) {
    await enqueueDelivery(tx, { boss: options.boss, payload: { deliveryId: delivery.id, trigger: 'automatic' }, retry: options.retry });
  }
}

/** A job's terminal event, and its batch's completion when it was the batch's last job. */
async function dispatchEvent(tx: Transaction, options: Pick<DispatcherOptions, 'boss' | 'retry'>, event: OutboxEvent): Promise<void> {
  if (event.crawlId && (event.event === 'crawl.completed' || event.event === 'crawl.cancelled')) {
    await dispatchCrawlEvent(tx, options, { ...event, event: event.event, crawlId: event.crawlId });
    return;
  }
  if (event.jobId) {
    const job = await findJob(tx, event.jobId);
    if (job) {
      // A job's own webhookUrl gets its end; job.started and job.changed only go to the endpoints that subscribe.
      const ownUrl = event.event === 'job.started' || event.event === 'job.changed' ? null : job.job.webhookUrl;
      const targets = await targetsFor(tx, { accountId: event.accountId, event: event.event, ownUrl });
      if (targets.length > 0) {
        const withResult = event.event === 'job.completed' || event.event === 'job.changed';
        const result = withResult ? await getResultMeta(tx, { jobId: job.job.id, kind: 'content' }) : undefined;
        const change = event.event === 'job.changed' ? await getJobChange(tx, job.job.id) : undefined;
        const payload = jobEventPayload({ event: event.event, at: event.createdAt, job, result, change });
        await fanOut(tx, options, { accountId: event.accountId, payload, targets, jobId: job.job.id, batchId: job.job.batchId });
      }
    }
  }
  if (!event.batchId) return;
  // Only the dispatcher whose conditional update sets completed_at sends batch.completed.
  const completed = await completeBatchIfDone(tx, event.batchId);
  if (!completed) return;
  const targets = await targetsFor(tx, { accountId: completed.accountId, event: 'batch.completed', ownUrl: completed.webhookUrl });
  if (targets.length === 0) return;
  const payload = batchEventPayload({ at: completed.completedAt ?? new Date(), batch: completed, tally: await tallyBatch(tx, completed.id) });
  await fanOut(tx, options, { accountId: completed.accountId, payload, targets, jobId: null, batchId: completed.id });
}

/** A crawl's own event (once per crawl): to its webhookUrl and the endpoints subscribed, with the crawl as GET returns it. */
async function dispatchCrawlEvent(
  tx: Transaction,
  options: Pick<DispatcherOptions, 'boss' | 'retry'>,
  event: OutboxEvent & { crawlId: string; event: 'crawl.completed' | 'crawl.cancelled' },
): Promise<void> {
  const crawl = await findCrawl(tx, event.crawlId);
  if (!crawl) return;
  const targets = await targetsFor(tx, { accountId: event.accountId, event: event.event, ownUrl: crawl.webhookUrl });
  if (targets.length === 0) return;
  const payload = crawlEventPayload({ event: event.event, at: event.createdAt, crawl: await tallyCrawl(tx, crawl) });
  await fanOut(tx, options, { accountId: event.accountId, payload, targets, jobId: null, batchId: null, crawlId: crawl.id });
}

/** Claims and dispatches one slice of the outbox; returns how many rows it took. */
export async function dispatchOutbox(options: Pick<DispatcherOptions, 'db' | 'boss' | 'retry'>, limit = claimBatchSize): Promise<number> {
  return options.db.transaction(async (tx) => {
    const events = await claimOutboxEvents(tx, limit);
    for (const event of events) {
      try {
        // A savepoint per event: one that cannot be dispatched does not hold back the others.
        await tx.transaction((savepoint) => dispatchEvent(savepoint, options, event));
      } catch (error) {
        // Drizzle wraps the driver's error with the whole query and payload; the cause says enough.
        const cause = (error as { cause?: unknown }).cause ?? error;
        log.error('webhook event could not be dispatched; requeued behind the others', { outboxId: event.id, event: event.event, jobId: event.jobId, err: cause });
        await requeueOutboxEvent(tx, event);
      }
    }
    return events.length;
  });
}

export async function startDispatcher(options: DispatcherOptions): Promise<Dispatcher> {
  let running: Promise<void> | undefined;
  let again = false;
  let stopped = false;

  const drain = (): Promise<void> => {
    if (stopped) return Promise.resolve();
    if (running) {
      // A wake-up while draining: go round once more, since the rows may have come after the claim.
      again = true;
      return running;
    }
    running = (async () => {
      try {
        do {
          again = false;
          while (!stopped && (await dispatchOutbox(options)) === claimBatchSize);
        } while (again && !stopped);
      } catch (error) {
        // The claimed rows roll back with the transaction: the next wake-up or poll takes them again.
        log.error('webhook dispatch failed', { err: error });
      } finally {
        running = undefined;
      }
    })();
    return running;
  };

  const listener = await options.listen(() => void drain());
  const timer = setInterval(() => void drain(), options.pollIntervalMs ?? 3000);
  void drain();

  return {
    drain,
    async stop() {
      stopped = true;
      clearInterval(timer);
      await listener.unlisten();
      await running;
    },
  };
}
