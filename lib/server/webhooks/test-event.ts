import { randomUUID } from 'node:crypto';
import type { Database } from '@/db/client';
import { getDelivery, insertDeliveries } from '@/db/queries/webhooks';
import type { WebhookEndpoint, WebhookEvent } from '@/db/schema';
import { ApiError } from '@/lib/api-errors';
import { errorSuggestions } from '@/lib/scrape-errors';
import type { WebhookEventPayload } from '@/lib/schemas/webhooks';
import { getProducerBoss } from '@/lib/server/queue';
import { enqueueDelivery } from './enqueue';
import { resultUrl } from './payload';

// "Send test event": one delivery of a made-up event to an endpoint, signed with its secret and
// attempted once, so a receiver can be checked before real jobs depend on it. Its data has the
// real shape with invented ids; it is marked `Scrapifie-Test: true` and stays out of the event log.

function sampleData(type: WebhookEvent, at: string): WebhookEventPayload['data'] {
  if (type === 'batch.completed') {
    return {
      id: randomUUID(),
      name: 'Test batch',
      tags: ['test'],
      priority: 'normal',
      engine: 'http',
      config: { method: 'GET', format: 'html', timeoutMs: 30_000 } as never,
      webhookUrl: null,
      createdAt: at,
      cancelledAt: null,
      completedAt: at,
      total: 2,
      counts: { queued: 0, processing: 0, completed: 2, failed: 0, cancelled: 0, expired: 0 },
      finished: 2,
      percent: 100,
      creditsCharged: 2,
      creditsReserved: 0,
      status: 'completed',
    };
  }
  if (type === 'crawl.completed' || type === 'crawl.cancelled') {
    const options = { maxPages: 10, maxDepth: 2, include: [], exclude: [], sameHost: true, allowedHosts: [], sitemap: false, robots: true, concurrencyPerHost: 2, delayMs: 0, stripTrackingParams: true };
    const cancelled = type === 'crawl.cancelled';
    return {
      id: randomUUID(),
      url: 'https://example.com/',
      mode: 'crawl',
      engine: 'http',
      name: 'Test crawl',
      tags: ['test'],
      priority: 'normal',
      config: { method: 'GET', format: 'html', timeoutMs: 30_000 } as never,
      options,
      webhookUrl: null,
      scheduleId: null,
      status: cancelled ? 'cancelled' : 'completed',
      stopReason: null,
      progress: { discovered: 3, queued: 0, processing: 0, done: 2, failed: 0, skipped: 1, pages: 2, percent: 100 },
      skipReasons: { other_host: 1 },
      depths: [{ depth: 0, fetched: 1, skipped: 0 }, { depth: 1, fetched: 1, skipped: 1 }],
      creditsCharged: 2,
      creditsReserved: 0,
      createdAt: at,
      cancelledAt: cancelled ? at : null,
      completedAt: at,
    };
  }
  const id = randomUUID();
  const status = type === 'job.started' ? 'processing' : type === 'job.changed' ? 'completed' : (type.slice('job.'.length) as 'completed' | 'failed' | 'cancelled' | 'expired');
  const ended = status !== 'processing';
  return {
    id,
    status,
    url: 'https://example.com/',
    engine: 'http',
    apiKey: { id: randomUUID(), name: 'Test key', revoked: false, test: true },
    credits: status === 'completed' || status === 'failed' ? 1 : 0,
    attempts: status === 'expired' ? 0 : 1,
    maxAttempts: 3,
    durationMs: ended && status !== 'expired' ? 842 : null,
    createdAt: at,
    notBefore: null,
    startedAt: status === 'expired' ? null : at,
    finishedAt: ended ? at : null,
    parentJobId: null,
    error: status === 'failed' ? { type: 'TARGET_BLOCKED', message: 'Access denied (HTTP 403)', suggestions: errorSuggestions.TARGET_BLOCKED } : null,
    name: 'Test event',
    tags: ['test'],
    priority: 'normal',
    batchId: null,
    webhookUrl: null,
    result: status === 'completed' ? { format: 'html', size: 1256, contentType: 'text/html; charset=utf-8', url: resultUrl(id) } : null,
    ...(type === 'job.changed' ? { change: { status: 'changed' as const, previousJobId: randomUUID() } } : {}),
  };
}

/** Queues one attempt of a test event to the endpoint; the delivery (pending) is returned. */
export async function sendTestEvent(db: Database, { endpoint, type }: { endpoint: WebhookEndpoint; type: WebhookEvent }) {
  const at = new Date().toISOString();
  const payload: WebhookEventPayload = { id: randomUUID(), type, createdAt: at, sequence: null, data: sampleData(type, at) };
  const boss = await getProducerBoss();
  const deliveryId = await db.transaction(async (tx) => {
    const [delivery] = await insertDeliveries(tx, [
      {
        accountId: endpoint.accountId,
        eventId: payload.id,
        event: type,
        endpointId: endpoint.id,
        url: endpoint.url,
        payload: payload as unknown as Record<string, unknown>,
        test: true,
      },
    ]);
    await enqueueDelivery(tx, { boss, payload: { deliveryId: delivery.id, trigger: 'automatic' }, retry: { retryLimit: 0, retryDelaySeconds: 0 } });
    return delivery.id;
  });
  const delivery = await getDelivery(db, { id: deliveryId, accountId: endpoint.accountId });
  if (!delivery) throw new ApiError('not_found', `No webhook delivery with id ${deliveryId}`);
  return delivery;
}
