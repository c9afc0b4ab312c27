import type { Database } from '@/db/client';
import {
  ensureAccountWebhookSecret,
  getDelivery,
  getEndpoint,
  insertEndpoint,
  listEndpoints,
  reopenDelivery,
  rotateAccountWebhookSecret,
  rotateEndpointSecret,
  updateEndpoint,
} from '@/db/queries/webhooks';
import { ApiError } from '@/lib/api-errors';
import {
  maxEndpointsPerAccount,
  type CreateWebhookBody,
  type UpdateWebhookBody,
} from '@/lib/schemas/webhooks';
import { getProducerBoss } from '@/lib/server/queue';
import { assertWebhookUrlAllowed } from './egress';
import { enqueueDelivery } from './enqueue';
import { generateWebhookSecret, previousSecretValidMs } from './signature';

// What the webhook routes do: manage an account's endpoints, its signing secret, redeliveries.

function notFound(id: string): ApiError {
  return new ApiError('not_found', `No webhook endpoint with id ${id}`);
}

export async function createWebhookEndpoint(db: Database, { accountId, body }: { accountId: string; body: CreateWebhookBody }) {
  assertWebhookUrlAllowed(body.url);
  const existing = await listEndpoints(db, accountId);
  if (existing.length >= maxEndpointsPerAccount) {
    throw new ApiError('conflict', `An account can have at most ${maxEndpointsPerAccount} webhook endpoints. Delete one first.`);
  }
  return insertEndpoint(db, {
    accountId,
    url: body.url,
    description: body.description || null,
    events: body.events,
    secret: generateWebhookSecret(),
  });
}

export async function findWebhookEndpoint(db: Database, { id, accountId }: { id: string; accountId: string }) {
  const endpoint = await getEndpoint(db, { id, accountId });
  if (!endpoint) throw notFound(id);
  return endpoint;
}

export async function changeWebhookEndpoint(db: Database, { id, accountId, body }: { id: string; accountId: string; body: UpdateWebhookBody }) {
  if (body.url) assertWebhookUrlAllowed(body.url);
  const { description, ...rest } = body;
  const endpoint = await updateEndpoint(db, {
    id,
    accountId,
    changes: { ...rest, ...(description !== undefined ? { description: description || null } : {}) },
  });
  if (!endpoint) throw notFound(id);
  return endpoint;
}

/**
 * A new signing secret for the endpoint. For 24 hours deliveries carry both signatures (the new
 * secret's first), so the receiver can switch over whenever it likes within that time.
 */
export async function rotateWebhookSecret(db: Database, { id, accountId }: { id: string; accountId: string }) {
  const endpoint = await rotateEndpointSecret(db, { id, accountId, candidate: generateWebhookSecret(), previousValidMs: previousSecretValidMs });
  if (!endpoint) throw notFound(id);
  return { secret: endpoint.secret, previousSecretExpiresAt: endpoint.previousSecretExpiresAt!.toISOString() };
}

/** The same for the account secret (jobs' and batches' own webhookUrl); the first one has nothing to overlap with. */
export async function rotateAccountWebhookSecretNow(db: Database, accountId: string) {
  const rotated = await rotateAccountWebhookSecret(db, { accountId, candidate: generateWebhookSecret(), previousValidMs: previousSecretValidMs });
  return { secret: rotated.secret!, previousSecretExpiresAt: (rotated.previousExpiresAt ?? new Date()).toISOString() };
}

/** The secret that signs deliveries to jobs' and batches' own webhookUrl. */
export function accountWebhookSecret(db: Database, accountId: string): Promise<string> {
  return ensureAccountWebhookSecret(db, { accountId, candidate: generateWebhookSecret() });
}

/**
 * One more attempt of a delivery, now, outside its automatic schedule (no retries of its own).
 * 409 while an attempt is pending, so a delivery never has two in flight.
 */
export async function redeliverWebhook(db: Database, { id, accountId }: { id: string; accountId: string }) {
  const boss = await getProducerBoss();
  await db.transaction(async (tx) => {
    const found = await reopenDelivery(tx, { id, accountId });
    if (!found) throw new ApiError('not_found', `No webhook delivery with id ${id}`);
    if (!found.reopened) {
      throw new ApiError('conflict', 'This delivery still has an attempt pending. Redeliver once it has finished.', { status: found.delivery.status });
    }
    await enqueueDelivery(tx, { boss, payload: { deliveryId: id, trigger: 'redeliver' }, retry: { retryLimit: 0, retryDelaySeconds: 0 } });
  });
  const delivery = await getDelivery(db, { id, accountId });
  if (!delivery) throw new ApiError('not_found', `No webhook delivery with id ${id}`);
  return delivery;
}
