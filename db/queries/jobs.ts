import { and, asc, desc, eq, gte, inArray, isNull, lt, sql, type SQL } from 'drizzle-orm';
import { localMidnight } from '@/lib/day-series';
import { activeStatuses, type JobStatus } from '@/lib/jobs';
import { jobFinishedChannel, webhookOutboxChannel } from '@/lib/queue';
import type { ErrorType } from '@/lib/scrape-errors';
import type { ListJobsQuery } from '@/lib/schemas/jobs';
import type { Db } from '../client';
import { accounts, apiKeys, jobAttempts, jobs, type Job } from '../schema';

export async function insertJob(db: Db, values: typeof jobs.$inferInsert): Promise<Job> {
  const [job] = await db.insert(jobs).values(values).returning();
  return job;
}

/**
 * Reserves a job's price from the balance of an account that may submit (not suspended, not
 * being deleted); no row back means it may not, or the balance is short. It runs for free jobs
 * too: the account row it locks until commit is what orders a submission against a concurrent
 * suspension or deletion request, so no job can slip in after either.
 */
export async function reserveCredits(db: Db, { accountId, amount }: { accountId: string; amount: number }) {
  const [account] = await db
    .update(accounts)
    .set({ reservedCredits: sql`${accounts.reservedCredits} + ${amount}` })
    .where(
      and(
        eq(accounts.id, accountId),
        isNull(accounts.suspendedAt),
        isNull(accounts.deletionRequestedAt),
        isNull(accounts.deletedAt),
        sql`${accounts.credits} - ${accounts.reservedCredits} >= ${amount}`,
      ),
    )
    .returning({ credits: accounts.credits });
  return account;
}

/** Jobs of this engine waiting ahead of (and including) a job created now. */
export async function queuePosition(db: Db, engine: string): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(jobs)
    .where(and(eq(jobs.status, 'queued'), eq(jobs.engine, engine as Job['engine'])));
  return row.n;
}

const keySummary = {
  id: apiKeys.id,
  name: apiKeys.name,
  kind: apiKeys.kind,
  revokedAt: apiKeys.revokedAt,
};

export type JobWithKey = { job: Job; apiKey: { id: string; name: string; kind: 'live' | 'test'; revokedAt: Date | null } };

/** Any account's job by id; callers check ownership so they can tell 403 from 404. */
export async function findJob(db: Db, id: string): Promise<JobWithKey | undefined> {
  const [row] = await db
    .select({ job: jobs, apiKey: keySummary })
    .from(jobs)
    .innerJoin(apiKeys, eq(apiKeys.id, jobs.apiKeyId))
    .where(eq(jobs.id, id));
  return row;
}

export async function listChildJobIds(db: Db, parentJobId: string): Promise<string[]> {
  const rows = await db
    .select({ id: jobs.id })
    .from(jobs)
    .where(and(eq(jobs.parentJobId, parentJobId), isNull(jobs.deletedAt)))
    .orderBy(asc(jobs.createdAt));
  return rows.map((row) => row.id);
}

export async function listAttempts(db: Db, jobId: string) {
  return db.select().from(jobAttempts).where(eq(jobAttempts.jobId, jobId)).orderBy(asc(jobAttempts.attempt));
}

export function jobFilters(accountId: string | null, query: Partial<ListJobsQuery>): SQL[] {
  const where: SQL[] = [isNull(jobs.deletedAt)];
  if (accountId) where.push(eq(jobs.accountId, accountId));
  if (query.status === 'active') where.push(inArray(jobs.status, [...activeStatuses]));
  else if (query.status) where.push(eq(jobs.status, query.status));
  if (query.engine) where.push(eq(jobs.engine, query.engine));
  if (query.key) where.push(eq(jobs.apiKeyId, query.key));
  const tz = query.tz ?? 0;
  if (query.from) where.push(gte(jobs.createdAt, localMidnight(query.from, tz)));
  if (query.to) where.push(lt(jobs.createdAt, localMidnight(query.to, tz, 1)));
  if (query.q) {
    const term = query.q.toLowerCase();
    const escaped = term.replace(/[\\%_]/g, (c) => `\\${c}`);
    where.push(sql`(${jobs.url} ILIKE ${`%${escaped}%`} OR ${jobs.id}::text LIKE ${`${escaped}%`})`);
  }
  if (query.name) where.push(sql`${jobs.name} ILIKE ${`%${escapeLike(query.name)}%`}`);
  // `&&` (overlaps: any of the tags) is what the GIN index on tags serves.
  if (query.tag?.length) where.push(sql`${jobs.tags} && ${toTextArray(query.tag)}`);
  if (query.priority) where.push(eq(jobs.priority, query.priority));
  return where;
}

function escapeLike(term: string): string {
  return term.replace(/[\\%_]/g, (c) => `\\${c}`);
}

function toTextArray(values: string[]): SQL {
  return sql`ARRAY[${sql.join(values.map((value) => sql`${value}`), sql`, `)}]::text[]`;
}

const sortExpressions = {
  status: jobs.status,
  engine: jobs.engine,
  apiKey: apiKeys.name,
  credits: sql`CASE WHEN ${jobs.status} IN ('queued', 'processing') THEN ${jobs.creditCost} ELSE ${jobs.creditsCharged} END`,
  duration: jobs.durationMs,
  createdAt: jobs.createdAt,
} as const;

export async function listJobs(db: Db, { accountId, query }: { accountId: string; query: ListJobsQuery }) {
  const where = and(...jobFilters(accountId, query));
  const column = sortExpressions[query.sort];
  const direction = query.order === 'asc' ? asc : desc;
  const nulls = query.order === 'asc' ? sql`NULLS FIRST` : sql`NULLS LAST`;
  const [rows, [{ total }]] = await Promise.all([
    db
      .select({ job: jobs, apiKey: keySummary })
      .from(jobs)
      .innerJoin(apiKeys, eq(apiKeys.id, jobs.apiKeyId))
      .where(where)
      .orderBy(sql`${direction(column)} ${nulls}`, desc(jobs.createdAt), desc(jobs.id))
      .limit(query.size)
      .offset((query.page - 1) * query.size),
    db.select({ total: sql<number>`count(*)::int` }).from(jobs).where(where),
  ]);
  return { rows, total };
}

// ---- Transitions. Each is one conditional UPDATE: the row that comes back is the truth. ----

/** queued → processing for a new attempt. Only one worker can win a job. */
export async function claimJob(db: Db, { id, workerId, leaseSeconds }: { id: string; workerId: string; leaseSeconds: number }) {
  const [job] = await db
    .update(jobs)
    .set({
      status: 'processing',
      attempts: sql`${jobs.attempts} + 1`,
      startedAt: sql`coalesce(${jobs.startedAt}, now())`,
      workerId,
      leaseExpiresAt: sql`now() + make_interval(secs => ${leaseSeconds})`,
    })
    .where(and(eq(jobs.id, id), eq(jobs.status, 'queued')))
    .returning();
  return job;
}

/** Moves a job to the next attempt counter while it stays processing (automatic retry). */
export async function bumpAttempt(db: Db, id: string) {
  const [job] = await db
    .update(jobs)
    .set({ attempts: sql`${jobs.attempts} + 1` })
    .where(and(eq(jobs.id, id), eq(jobs.status, 'processing')))
    .returning();
  return job;
}

export async function recordAttempt(
  db: Db,
  values: {
    jobId: string;
    attempt: number;
    outcome: (typeof jobAttempts.$inferInsert)['outcome'];
    errorType?: ErrorType | null;
    errorMessage?: string | null;
    finished?: boolean;
  },
) {
  const finishedAt = values.finished === false ? null : sql`now()`;
  await db
    .insert(jobAttempts)
    .values({
      jobId: values.jobId,
      attempt: values.attempt,
      startedAt: sql`now()`,
      finishedAt,
      outcome: values.outcome,
      errorType: values.errorType ?? null,
      errorMessage: values.errorMessage ?? null,
    })
    .onConflictDoUpdate({
      target: [jobAttempts.jobId, jobAttempts.attempt],
      set: { finishedAt, outcome: values.outcome, errorType: values.errorType ?? null, errorMessage: values.errorMessage ?? null },
    });
}

type FinishArgs = {
  id: string;
  accountId?: string;
  from: JobStatus[];
  to: 'completed' | 'failed' | 'cancelled' | 'expired';
  errorType?: ErrorType;
  errorMessage?: string;
};

/**
 * Moves a job from one of `from` to the terminal state `to`, and settles its credits in the
 * same transaction: the reserved price is charged for completed and failed jobs (one ledger row,
 * which a unique index makes impossible to write twice) and released otherwise.
 * Returns undefined when the job was not in `from`: another transition won the race.
 */
export async function finishJob(db: Db, args: FinishArgs): Promise<Job | undefined> {
  const job = await finishJobUnsettled(db, args);
  if (job) await settleCredits(db, job);
  return job;
}

/**
 * The transition half of finishJob, for a caller that writes more in the same transaction and
 * calls settleCredits last (see settleCredits for why last).
 */
export async function finishJobUnsettled(db: Db, args: FinishArgs): Promise<Job | undefined> {
  const charged = args.to === 'completed' || args.to === 'failed';
  const ownership = args.accountId ? [eq(jobs.accountId, args.accountId)] : [];
  const [job] = await db
    .update(jobs)
    .set({
      status: args.to,
      finishedAt: sql`now()`,
      durationMs: sql`CASE WHEN ${jobs.startedAt} IS NULL THEN NULL ELSE (extract(epoch FROM now() - ${jobs.startedAt}) * 1000)::int END`,
      creditsCharged: charged ? jobs.creditCost : 0,
      errorType: args.errorType ?? null,
      errorMessage: args.errorMessage ?? null,
      workerId: null,
      leaseExpiresAt: null,
    })
    .where(and(eq(jobs.id, args.id), inArray(jobs.status, args.from), ...ownership))
    .returning();
  if (job) await announceFinished(db, job);
  return job;
}

/**
 * In the transaction that finished the job, in one round trip: writes its webhook event to the
 * outbox when anyone may listen (its own webhookUrl, its batch, or an endpoint of the account),
 * and notifies at commit whoever waits on the job (POST /api/v1/scrape) and the dispatcher.
 */
async function announceFinished(db: Db, job: Job): Promise<void> {
  const direct = job.webhookUrl !== null || job.batchId !== null;
  await db.execute(sql`
    WITH event AS (
      INSERT INTO webhook_outbox (account_id, job_id, batch_id, event)
      SELECT ${job.accountId}, ${job.id}, ${job.batchId}, ${`job.${job.status}`}
      WHERE ${direct} OR EXISTS (
        SELECT 1 FROM webhook_endpoints
        WHERE account_id = ${job.accountId} AND deleted_at IS NULL AND disabled_at IS NULL
      )
      RETURNING 1
    )
    SELECT pg_notify(${jobFinishedChannel}, ${job.id}),
      (SELECT pg_notify(${webhookOutboxChannel}, '') FROM event)`);
}

/**
 * Charges (or releases) a finished job's reserved price and writes its ledger row, in one
 * statement. Every job of an account settles on the same account row, which stays locked until
 * the transaction commits, so a transaction should settle as its last write: that lock then
 * serializes one statement and the commit, not the whole transaction.
 */
export async function settleCredits(db: Db, job: Pick<Job, 'id' | 'accountId' | 'creditCost' | 'creditsCharged'>): Promise<void> {
  if (job.creditCost === 0) return;
  await db.execute(sql`
    WITH account AS (
      UPDATE accounts
      SET credits = credits - ${job.creditsCharged}, reserved_credits = reserved_credits - ${job.creditCost}
      WHERE id = ${job.accountId}
      RETURNING credits
    )
    INSERT INTO credit_ledger (account_id, job_id, amount, reason, balance_after)
    SELECT ${job.accountId}, ${job.id}, ${-job.creditsCharged}, 'job_charge', account.credits
    FROM account WHERE ${job.creditsCharged} > 0`);
}

/** A processing job whose worker vanished goes back to the queue for a fresh attempt. */
export async function requeueLostJob(db: Db, id: string) {
  const [job] = await db
    .update(jobs)
    .set({ status: 'queued', workerId: null, leaseExpiresAt: null })
    .where(and(eq(jobs.id, id), eq(jobs.status, 'processing'), lt(jobs.leaseExpiresAt, sql`now()`)))
    .returning();
  return job;
}

export async function findLostJobs(db: Db, limit = 100) {
  return db
    .select()
    .from(jobs)
    .where(and(eq(jobs.status, 'processing'), lt(jobs.leaseExpiresAt, sql`now()`)))
    .limit(limit);
}

/** Queued jobs that never started and have waited longer than the maximum queue wait. */
export async function findStaleQueuedJobs(
  db: Db,
  { maxWaitSeconds, accountId, limit = 500 }: { maxWaitSeconds: number; accountId?: string; limit?: number },
) {
  return db
    .select({ id: jobs.id, createdAt: jobs.createdAt })
    .from(jobs)
    .where(
      and(
        eq(jobs.status, 'queued'),
        isNull(jobs.startedAt),
        lt(jobs.createdAt, sql`now() - make_interval(secs => ${maxWaitSeconds})`),
        ...(accountId ? [eq(jobs.accountId, accountId)] : []),
      ),
    )
    .limit(limit);
}

/** Counts the 30-second queue-wait marks a queued job has passed but not yet logged. */
export async function advanceQueueWarnings(db: Db) {
  return db.execute<{ id: string; marks: number }>(sql`
    UPDATE jobs SET queue_warnings = floor(extract(epoch FROM now() - created_at) / 30)::int
    WHERE status = 'queued' AND started_at IS NULL
      AND created_at < now() - interval '30 seconds'
      AND floor(extract(epoch FROM now() - created_at) / 30)::int > queue_warnings
    RETURNING id, queue_warnings AS marks`);
}

/** Graceful shutdown: a job this worker could not finish goes back to the queue, the interrupted attempt uncounted. */
export async function handBackJob(db: Db, { id, workerId }: { id: string; workerId: string }) {
  const [job] = await db
    .update(jobs)
    .set({ status: 'queued', workerId: null, leaseExpiresAt: null, attempts: sql`greatest(${jobs.attempts} - 1, 0)` })
    .where(and(eq(jobs.id, id), eq(jobs.status, 'processing'), eq(jobs.workerId, workerId)))
    .returning();
  return job;
}

/** Extends the claim of every job this worker runs, in one statement; returns the ids still processing. */
export async function renewLeases(db: Db, { workerId, leaseSeconds }: { workerId: string; leaseSeconds: number }) {
  const rows = await db
    .update(jobs)
    .set({ leaseExpiresAt: sql`now() + make_interval(secs => ${leaseSeconds})` })
    .where(and(eq(jobs.workerId, workerId), eq(jobs.status, 'processing')))
    .returning({ id: jobs.id });
  return new Set(rows.map((row) => row.id));
}
