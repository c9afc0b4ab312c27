import type { JobWithMetadata } from 'pg-boss';
import type { Db } from '@/db/client';
import { accountSigningSecrets, ensureAccountWebhookSecret, findDeliveryToSend, recordDeliveryAttempt, startDeliveryAttempt } from '@/db/queries/webhooks';
import { log } from '@/lib/log';
import { webhookDeliveryPayloadSchema } from '@/lib/queue';
import { generateWebhookSecret, signWebhook, signatureHeader, signingSecrets } from '@/lib/server/webhooks/signature';
import type { EgressPolicy } from '@/workers/egress/policy';
import { postWebhook, WebhookBlockedError } from './post';

// One attempt of one delivery, as a pg-boss job on the `webhook-delivery` queue. A failed
// attempt throws, and pg-boss retries the job with backoff; after the last retry (or when the
// egress guard refuses the URL, which no retry can change) the delivery is marked failed.

export const webhookTimeoutMs = 10_000;
export const webhookUserAgent = 'Scrapifie-Webhooks/1.0';

export type DeliverDeps = { db: Db; policy: EgressPolicy; timeoutMs?: number };

/** A failed attempt that pg-boss should retry. */
export class DeliveryAttemptFailed extends Error {}

/** The endpoint's secrets (or the account's, for a job's or batch's own webhookUrl): the current one, and the previous while valid. */
async function signingSecretsFor(db: Db, found: NonNullable<Awaited<ReturnType<typeof findDeliveryToSend>>>): Promise<string[]> {
  if (found.endpointSecret) {
    return signingSecrets({ secret: found.endpointSecret, previous: found.endpointPreviousSecret, previousExpiresAt: found.endpointPreviousSecretExpiresAt });
  }
  const accountId = found.delivery.accountId;
  const secret = await ensureAccountWebhookSecret(db, { accountId, candidate: generateWebhookSecret() });
  const rotation = await accountSigningSecrets(db, accountId);
  return signingSecrets({ secret, previous: rotation?.previous ?? null, previousExpiresAt: rotation?.previousExpiresAt ?? null });
}

export async function deliverWebhook(job: JobWithMetadata<unknown>, deps: DeliverDeps): Promise<void> {
  const parsed = webhookDeliveryPayloadSchema.safeParse(job.data);
  if (!parsed.success) {
    log.error('malformed webhook delivery dropped', { queueJobId: job.id, issues: parsed.error.issues });
    return;
  }
  const { deliveryId, trigger } = parsed.data;
  const found = await findDeliveryToSend(deps.db, deliveryId);
  if (!found || found.delivery.status !== 'pending') return;
  const { delivery } = found;
  const attempt = await startDeliveryAttempt(deps.db, deliveryId);
  if (attempt === undefined) return;

  const startedAt = new Date();
  // jsonb stores keys in its own order; the envelope is sent in the documented one.
  const { id, type, createdAt, sequence, data } = delivery.payload;
  const body = JSON.stringify({ id, type, createdAt, sequence: sequence ?? null, data });
  const lastTry = job.retryCount >= job.retryLimit;
  const record = (outcome: { responseStatus?: number; responseTimeMs?: number; error?: string }, status: 'pending' | 'succeeded' | 'failed') =>
    recordDeliveryAttempt(deps.db, {
      attempt: { deliveryId, attempt, startedAt, trigger, responseStatus: outcome.responseStatus ?? null, responseTimeMs: outcome.responseTimeMs ?? null, error: outcome.error ?? null },
      status,
    });

  if (delivery.endpointId && found.endpointDeletedAt) {
    await record({ error: 'The endpoint was deleted' }, 'failed');
    return;
  }
  const secrets = await signingSecretsFor(deps.db, found);
  const headers: Record<string, string> = {
    'Content-Type': 'application/json',
    'User-Agent': webhookUserAgent,
    'Scrapifie-Event': delivery.event,
    'Scrapifie-Delivery': delivery.id,
    [signatureHeader]: signWebhook({ secrets, body, timestamp: Math.floor(Date.now() / 1000) }),
  };
  if (delivery.test) headers['Scrapifie-Test'] = 'true';

  let failure: string;
  let response: { status: number; responseTimeMs: number } | undefined;
  try {
    response = await postWebhook({ url: new URL(delivery.url), body, headers, policy: deps.policy, timeoutMs: deps.timeoutMs ?? webhookTimeoutMs });
    if (response.status >= 200 && response.status < 300) {
      await record({ responseStatus: response.status, responseTimeMs: response.responseTimeMs }, 'succeeded');
      return;
    }
    failure = response.status >= 300 && response.status < 400 ? `HTTP ${response.status}: redirects are not followed` : `HTTP ${response.status}`;
  } catch (error) {
    if (error instanceof WebhookBlockedError) {
      await record({ error: error.message }, 'failed');
      log.warn('webhook delivery blocked by the egress guard', { deliveryId, error: error.message });
      return;
    }
    failure = (error as Error).message;
  }
  await record({ responseStatus: response?.status, responseTimeMs: response?.responseTimeMs, error: failure }, lastTry ? 'failed' : 'pending');
  if (lastTry) log.warn('webhook delivery failed', { deliveryId, attempt, error: failure });
  else log.info('webhook attempt failed, retrying', { deliveryId, attempt, error: failure });
  if (!lastTry) throw new DeliveryAttemptFailed(`Webhook delivery ${deliveryId} attempt ${attempt} failed: ${failure}`);
}
