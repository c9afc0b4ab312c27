import type { PgBoss } from 'pg-boss';
import type { Sql } from 'postgres';
import type { Database } from '@/db/client';
import { webhookDeliveryQueue, webhookOutboxChannel } from '@/lib/queue';
import type { DeliveryRetry } from '@/lib/server/webhooks/enqueue';
import type { EgressPolicy } from '@/workers/egress/policy';
import { deliverWebhook } from './deliver';
import { startDispatcher } from './dispatcher';

// Webhooks in the worker: the outbox dispatcher and the delivery consumer, started and stopped together.

export type WebhookWorkerOptions = {
  db: Database;
  client: Sql;
  boss: PgBoss;
  policy: EgressPolicy;
  retry: DeliveryRetry;
  /** Deliveries attempted at once by this worker. */
  concurrency?: number;
  pollIntervalMs?: number;
  timeoutMs?: number;
};

export async function startWebhooks(options: WebhookWorkerOptions): Promise<{ stop(): Promise<void> }> {
  const dispatcher = await startDispatcher({
    db: options.db,
    boss: options.boss,
    retry: options.retry,
    pollIntervalMs: options.pollIntervalMs,
    listen: (onNotify) => options.client.listen(webhookOutboxChannel, onNotify),
  });
  await options.boss.work(
    webhookDeliveryQueue.name,
    { batchSize: 1, localConcurrency: options.concurrency ?? 4, includeMetadata: true, pollingIntervalSeconds: 2, notifyPollingIntervalSeconds: 2 },
    async ([job]) => deliverWebhook(job, { db: options.db, policy: options.policy, timeoutMs: options.timeoutMs }),
  );
  return {
    // Deliveries in flight finish (or are retried) under pg-boss's graceful stop.
    stop: () => dispatcher.stop(),
  };
}
