import { randomUUID } from 'node:crypto';
import type { Database } from '@/db/client';
import { defaultActiveKey, getAccount } from '@/db/queries/accounts';
import { insertJob, queuePosition, reserveCredits } from '@/db/queries/jobs';
import { appendLogs, type NewLogEntry } from '@/db/queries/logs';
import type { Account, ApiKey, Job } from '@/db/schema';
import { ApiError, accountSuspendedMessage } from '@/lib/api-errors';
import { maxAttempts } from '@/lib/jobs';
import { currentPrices } from '@/lib/pricing';
import type { CreateJobBody } from '@/lib/schemas/jobs';
import { enqueueScrape } from '@/lib/server/queue';

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

/**
 * Creates a job: writes the row, its first log entries and its queue entry, and reserves its
 * price, in one transaction. Priced at today's price (a retry does not inherit the original's).
 */
export async function submitJob(
  db: Database,
  { account, apiKey, body, parentJobId }: { account: Account; apiKey: Pick<ApiKey, 'id' | 'kind'>; body: CreateJobBody; parentJobId?: string },
): Promise<Job> {
  assertAccountActive(account);
  const isTest = apiKey.kind === 'test';
  const cost = isTest ? 0 : currentPrices()[body.engine];
  const { url, engine, name, tags, priority, webhookUrl, ...config } = body;

  return db.transaction(async (tx) => {
    const job = await insertJob(tx, {
      id: randomUUID(),
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
    });
    const now = new Date();
    const entries: NewLogEntry[] = [
      { timestamp: now, level: 'INFO', message: 'Job queued', metadata: parentJobId ? { parentJobId } : undefined },
      { timestamp: now, level: 'INFO', message: `Queue position: ${await queuePosition(tx, engine)}` },
    ];
    await appendLogs(tx, job.id, entries);
    await enqueueScrape(tx, { jobId: job.id, engine, priority });
    // Reserved last: every submission of an account waits on its row, so hold that lock for the
    // fewest round trips. A refusal here rolls back the job, its logs and its queue entry.
    if (!(await reserveCredits(tx, { accountId: account.id, amount: cost }))) {
      // Refused: say why from the row as it is now (it may have changed since authentication).
      const latest = (await getAccount(tx, account.id))!;
      assertAccountActive(latest);
      const available = latest.credits - latest.reservedCredits;
      throw new ApiError(
        'insufficient_credits',
        `Insufficient credits. You need ${cost} credits but have ${available}.`,
        { required: cost, available, balance: latest.credits },
      );
    }
    return job;
  });
}
