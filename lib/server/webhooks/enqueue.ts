import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { fromDrizzle, type PgBoss } from 'pg-boss';
import type { Transaction } from '@/db/client';
import { webhookDeliveryQueue, type WebhookDeliveryPayload } from '@/lib/queue';

export type DeliveryRetry = { retryLimit: number; retryDelaySeconds: number };

/**
 * Queues one attempt series for a delivery inside the caller's transaction, so the delivery row
 * and its queue entry commit together. Backoff doubles from `retryDelaySeconds` (with jitter,
 * capped at an hour); 0 retries at once, which is what tests use.
 */
export async function enqueueDelivery(
  tx: Transaction,
  { boss, payload, retry }: { boss: PgBoss; payload: WebhookDeliveryPayload; retry: DeliveryRetry },
): Promise<void> {
  const backoff = retry.retryDelaySeconds > 0;
  await boss.send(webhookDeliveryQueue.name, payload, {
    id: randomUUID(),
    retryLimit: retry.retryLimit,
    retryDelay: retry.retryDelaySeconds,
    retryBackoff: backoff,
    ...(backoff ? { retryDelayMax: webhookDeliveryQueue.options.retryDelayMax } : {}),
    db: fromDrizzle(tx, sql),
  });
}
