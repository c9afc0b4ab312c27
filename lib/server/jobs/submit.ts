import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { Database } from '@/db/client';
import { insertJob, queuePosition, reserveCredits } from '@/db/queries/jobs';
import { appendLogs, type NewLogEntry } from '@/db/queries/logs';
import { accounts, type Account, type ApiKey, type Job } from '@/db/schema';
import { ApiError } from '@/lib/api-errors';
import { enginePrices, maxAttempts } from '@/lib/jobs';
import type { CreateJobBody } from '@/lib/schemas/jobs';
import { enqueueScrape } from '@/lib/server/queue';

export function assertAccountActive(account: Account): void {
  if (account.suspendedAt) {
    throw new ApiError('account_suspended', 'This account is suspended. Contact support to restore access.');
  }
}

/**
 * Creates a job: reserves its price, writes the row, its first log entries and its queue entry
 * in one transaction. Priced at today's price (a retry does not inherit the original's).
 */
export async function submitJob(
  db: Database,
  { account, apiKey, body, parentJobId }: { account: Account; apiKey: Pick<ApiKey, 'id' | 'kind'>; body: CreateJobBody; parentJobId?: string },
): Promise<Job> {
  assertAccountActive(account);
  const isTest = apiKey.kind === 'test';
  const cost = isTest ? 0 : enginePrices[body.engine];
  const { url, engine, ...config } = body;

  return db.transaction(async (tx) => {
    if (cost > 0 && !(await reserveCredits(tx, { accountId: account.id, amount: cost }))) {
      const [balance] = await tx
        .select({ credits: accounts.credits, reserved: accounts.reservedCredits })
        .from(accounts)
        .where(eq(accounts.id, account.id));
      const available = balance.credits - balance.reserved;
      throw new ApiError(
        'insufficient_credits',
        `Insufficient credits. You need ${cost} credits but have ${available}.`,
        { required: cost, available, balance: balance.credits },
      );
    }
    const job = await insertJob(tx, {
      id: randomUUID(),
      accountId: account.id,
      apiKeyId: apiKey.id,
      url,
      engine,
      config,
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
    await enqueueScrape(tx, { jobId: job.id, engine });
    return job;
  });
}
