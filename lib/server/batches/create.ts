import { randomUUID } from 'node:crypto';
import type { PgBoss } from 'pg-boss';
import type { Db } from '@/db/client';
import { recordAudit, type AuditActor } from '@/db/queries/audit';
import { insertBatch, insertBatchJobs } from '@/db/queries/batches';
import type { Account, ApiKey } from '@/db/schema';
import { maxAttempts } from '@/lib/jobs';
import type { CreateBatchBody } from '@/lib/schemas/batches';
import type { IdempotencyClaim, IdempotentReply } from '@/lib/server/idempotency';
import { assertAccountActive, jobPrice, reserveOrRefuse, type JobOrigin } from '@/lib/server/jobs/submit';
import { enqueueScrapes } from './queue';
import { assertWebhookUrlAllowed } from '@/lib/server/webhooks/egress';
import { tallyBatch } from './read';
import type { BatchJson } from './serialize';

/**
 * Creates a batch: its row, one job per URL (each an ordinary job: logged, queued, charged on
 * its own), their queue entries, the reservation of every job's price and the audit entry, in one
 * transaction of a handful of statements however many URLs there are. If the available balance
 * cannot cover the whole batch, nothing is written (402). Returns the batch as its reply shows it,
 * read in that transaction; with an Idempotency-Key claim, the key is taken first and the reply
 * kept last in it too.
 */
export async function createBatch(
  db: Db,
  {
    account,
    apiKey,
    actor,
    body,
    idempotency,
    maskSecrets = false,
    origin,
    boss,
  }: {
    account: Account;
    apiKey: Pick<ApiKey, 'id' | 'kind'>;
    actor: AuditActor;
    body: CreateBatchBody;
    idempotency?: { claim: IdempotencyClaim; reply: (batch: BatchJson) => IdempotentReply } | null;
    /** For a dashboard session: the reply's request headers and cookies masked. */
    maskSecrets?: boolean;
    /** Set on every job of the batch: the schedule whose run made it and the change series. */
    origin?: JobOrigin;
    /** The queue client to send with: a worker's own (a schedule's run); default the web app's producer. */
    boss?: PgBoss;
  },
): Promise<BatchJson> {
  assertAccountActive(account);
  assertWebhookUrlAllowed(body.webhookUrl, 'webhookUrl');
  const { urls, engine, name, tags, priority, webhookUrl, ...config } = body;
  const price = jobPrice(apiKey, engine);
  const jobs = urls.map((url) => ({ id: randomUUID(), url }));

  return db.transaction(async (tx) => {
    await idempotency?.claim.take(tx);
    const batch = await insertBatch(tx, {
      id: randomUUID(),
      accountId: account.id,
      apiKeyId: apiKey.id,
      name: name ?? null,
      tags,
      priority,
      engine,
      config,
      total: jobs.length,
      webhookUrl: webhookUrl ?? null,
    });
    await insertBatchJobs(tx, { batch, jobs, config, maxAttempts, creditCost: price, isTest: apiKey.kind === 'test', origin });
    await enqueueScrapes(tx, { jobIds: jobs.map((job) => job.id), engine, priority, boss });
    await recordAudit(tx, actor, {
      action: 'batch.create',
      targetType: 'batch',
      targetId: batch.id,
      accountId: account.id,
      details: { jobs: jobs.length },
    });
    // Reserved last, as for a single job: the account row stays locked from here to the commit.
    await reserveOrRefuse(tx, { accountId: account.id, amount: price * jobs.length });
    const reply = await tallyBatch(tx, batch, { maskSecrets });
    if (idempotency) await idempotency.claim.keep(tx, idempotency.reply(reply));
    return reply;
  });
}
