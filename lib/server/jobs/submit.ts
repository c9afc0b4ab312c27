import { randomUUID } from 'node:crypto';
import type { PgBoss } from 'pg-boss';
import type { Database, Db, Transaction } from '@/db/client';
import { defaultActiveKey, findKeySummary, getAccount } from '@/db/queries/accounts';
import { lonelySeries } from '@/db/queries/changes';
import { insertQueuedJob, reserveCredits } from '@/db/queries/jobs';
import { auditInsert, type AuditActor } from '@/db/queries/audit';
import type { Account, ApiKey } from '@/db/schema';
import { ApiError, accountSuspendedMessage } from '@/lib/api-errors';
import { maxAttempts, type Engine } from '@/lib/jobs';
import { currentPrices } from '@/lib/pricing';
import type { CreateJobBody } from '@/lib/schemas/jobs';
import type { IdempotencyClaim, IdempotentReply } from '@/lib/server/idempotency';
import { enqueueScrape } from '@/lib/server/queue';
import { assertWebhookUrlAllowed } from '@/lib/server/webhooks/egress';
import { submittedJobDetail } from './read';
import type { JobJson } from './serialize';

export function assertAccountActive(account: Pick<Account, 'suspendedAt' | 'deletionRequestedAt' | 'deletedAt'>): void {
  if (account.suspendedAt) throw new ApiError('account_suspended', accountSuspendedMessage);
  if (account.deletionRequestedAt || account.deletedAt) {
    throw new ApiError('forbidden', 'This account is scheduled for deletion and cannot submit new jobs.');
  }
}

/**
 * The key a submission runs under: the request's own, or for a dashboard session the account's
 * default key (its first active live key, else its first active test key).
 */
export async function submissionKey(db: Database, { account, apiKey }: { account: Account; apiKey: ApiKey | null }) {
  if (apiKey) return apiKey;
  const key = await defaultActiveKey(db, account.id);
  if (!key) throw new ApiError('conflict', 'No active API keys. Create a new key to submit jobs.');
  return key;
}

/** The jobs columns a schedule's run sets (db/schema/jobs.ts). */
export type JobOrigin = { scheduleId?: string | null; changeSeries?: string | null };

/**
 * The reply a keyed request keeps for replay, built from the job inside the transaction that
 * wrote it; with the claim, the key is taken first and the reply kept last, in that transaction.
 */
export type KeyedReply = { claim: IdempotencyClaim; reply: (job: JobJson) => IdempotentReply };

/**
 * Creates a job: writes the row, its first log entries, its queue entry and its audit entry, and
 * reserves its price, in one transaction. Priced at today's price (a retry does not inherit the
 * original's). `actor` is who the audit log names (default: the key the job runs under). Returns
 * the job as its reply shows it, read inside that transaction (queued, no attempt yet), so the
 * reply cannot mix in what a worker does after the commit. `maskSecrets` for a dashboard session.
 */
export async function submitJob(
  db: Db,
  {
    account,
    apiKey,
    body,
    parentJobId,
    actor = { type: 'api_key', accountId: account.id, apiKeyId: apiKey.id },
    idempotency,
    maskSecrets = false,
    origin,
    boss,
  }: {
    account: Account;
    apiKey: Pick<ApiKey, 'id' | 'kind'>;
    body: CreateJobBody;
    parentJobId?: string;
    actor?: AuditActor;
    idempotency?: KeyedReply | null;
    maskSecrets?: boolean;
    /** Where the job came from beyond the request (a schedule's run) and the change series it joins. */
    origin?: JobOrigin;
    /** The queue client to send with: a worker's own (a schedule's run); default the web app's producer. */
    boss?: PgBoss;
  },
): Promise<JobJson> {
  assertAccountActive(account);
  assertWebhookUrlAllowed(body.webhookUrl, 'webhookUrl');
  const isTest = apiKey.kind === 'test';
  const cost = jobPrice(apiKey, body.engine);
  const { url, engine, name, tags, priority, webhookUrl, ...config } = body;

  const id = randomUUID();
  return db.transaction(async (tx) => {
    // First, so a second request with the same key waits here and then replays this one.
    await idempotency?.claim.take(tx);
    // The job's statement, its queue entry and the key's name for the reply in one round trip:
    // postgres.js pipelines them on the transaction's connection, and none needs another's result.
    const [job, , key] = await allOrFirstError([
      // The row, its first logs, its audit entry and, for a retry, the original's `job.retry` entry.
      insertQueuedJob(tx, {
        values: {
          id,
          accountId: account.id,
          apiKeyId: apiKey.id,
          url,
          engine,
          config,
          name: name ?? null,
          tags,
          priority,
          webhookUrl: webhookUrl ?? null,
          maxAttempts,
          creditCost: cost,
          isTest,
          parentJobId,
          changeSeries: lonelySeries(config),
          ...origin,
        },
        timestamp: new Date(),
        metadata: parentJobId ? { parentJobId } : undefined,
        audit: auditInsert(actor, [
          { action: 'job.create', targetType: 'job', targetId: id, accountId: account.id, details: parentJobId ? { parentJobId } : null },
          ...(parentJobId
            ? [{ action: 'job.retry', targetType: 'job' as const, targetId: parentJobId, accountId: account.id, details: { newJobId: id } }]
            : []),
        ]),
      }),
      enqueueScrape(tx, { jobId: id, engine, priority, boss }),
      findKeySummary(tx, apiKey.id),
    ]);
    // Reserved last: every submission of the account waits on its row, so hold that lock for the
    // fewest round trips. A refusal here rolls back the job, its logs and its queue entry.
    await reserveOrRefuse(tx, { accountId: account.id, amount: cost });
    const detail = submittedJobDetail({ job, apiKey: key }, { maskSecrets });
    if (idempotency) await idempotency.claim.keep(tx, idempotency.reply(detail));
    return detail;
  });
}

/**
 * Waits for every promise, then returns their values, or throws the error of the first one in
 * the list that failed. In a transaction the first failing statement is the cause; the ones
 * after it fail only because the transaction is aborted.
 */
async function allOrFirstError<const T extends readonly unknown[]>(promises: T): Promise<{ -readonly [K in keyof T]: Awaited<T[K]> }> {
  const results = await Promise.allSettled(promises);
  const failed = results.find((result) => result.status === 'rejected');
  if (failed) throw failed.reason;
  return results.map((result) => (result as PromiseFulfilledResult<unknown>).value) as { -readonly [K in keyof T]: Awaited<T[K]> };
}

/** What one job on this engine costs under this key today: nothing with a test key. */
export function jobPrice(apiKey: Pick<ApiKey, 'kind'>, engine: Engine): number {
  return apiKey.kind === 'test' ? 0 : currentPrices()[engine];
}

/**
 * Reserves `amount` credits inside the submitting transaction, or throws the refusal (402 with
 * required/available, or the account's state) so the transaction rolls back everything it wrote.
 */
export async function reserveOrRefuse(tx: Transaction, { accountId, amount }: { accountId: string; amount: number }): Promise<void> {
  if (await reserveCredits(tx, { accountId, amount })) return;
  // Refused: say why from the row as it is now (it may have changed since authentication).
  const latest = (await getAccount(tx, accountId))!;
  assertAccountActive(latest);
  const available = latest.credits - latest.reservedCredits;
  throw new ApiError(
    'insufficient_credits',
    `Insufficient credits. You need ${amount.toLocaleString('en-US')} credits but have ${available.toLocaleString('en-US')}.`,
    { required: amount, available, balance: latest.credits },
  );
}
