import { and, count, desc, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { JobStatus } from '@/lib/jobs';
import { webhookOutboxChannel } from '@/lib/queue';
import type { JobConfig } from '@/lib/schemas/jobs';
import type { Db } from '../client';
import { lonelySeries } from './changes';
import { batches, jobs, type Batch } from '../schema';
import { cancelledInBulk } from './job-cancels';

export async function insertBatch(db: Db, values: typeof batches.$inferInsert): Promise<Batch> {
  const [batch] = await db.insert(batches).values(values).returning();
  return batch;
}

type BatchJobsInsert = {
  batch: Pick<Batch, 'id' | 'accountId' | 'apiKeyId' | 'engine' | 'name' | 'tags' | 'priority'>;
  jobs: { id: string; url: string }[];
  config: JobConfig;
  maxAttempts: number;
  creditCost: number;
  isTest: boolean;
  /** jobs.schedule_id and jobs.change_series for every job (a schedule's run). */
  origin?: { scheduleId?: string | null; changeSeries?: string | null };
  /** The change series of every job; default: 'account' when the config tracks changes. */
  changeSeries?: string | null;
};

/**
 * Writes every job of a batch and its first two log entries ("Job queued", "Queue position: n"),
 * in two statements whatever the batch's size: the URLs travel as one JSON parameter. Queue
 * positions count the engine's queued jobs ahead, then each job's place in the batch.
 */
export async function insertBatchJobs(db: Db, args: BatchJobsInsert): Promise<void> {
  const { batch } = args;
  const payload = JSON.stringify(args.jobs.map((job, index) => ({ i: index, id: job.id, url: job.url })));
  await db.execute(sql`
    INSERT INTO jobs (id, account_id, api_key_id, url, engine, config, name, tags, priority, max_attempts,
      credit_cost, is_test, batch_id, log_seq, schedule_id, change_series)
    SELECT e.id, ${batch.accountId}, ${batch.apiKeyId}, e.url, ${batch.engine}, ${JSON.stringify(args.config)}::jsonb,
      ${batch.name}, ${toTextArray(batch.tags)}, ${batch.priority}, ${args.maxAttempts}, ${args.creditCost}, ${args.isTest},
      ${batch.id}, 2, ${args.origin?.scheduleId ?? null}::uuid,
      ${args.origin?.changeSeries ?? (args.changeSeries === undefined ? lonelySeries(args.config) : args.changeSeries)}::text
    FROM jsonb_to_recordset(${payload}::jsonb) AS e(i int, id uuid, url text)`);
  await db.execute(sql`
    WITH ahead AS (
      SELECT count(*)::int AS n FROM jobs
      WHERE status = 'queued' AND engine = ${batch.engine} AND (batch_id IS DISTINCT FROM ${batch.id})
    )
    INSERT INTO job_logs (job_id, seq, ts, level, message)
    SELECT e.id, m.seq, now(), 'INFO', CASE m.seq WHEN 1 THEN 'Job queued' ELSE 'Queue position: ' || (ahead.n + e.i + 1) END
    FROM jsonb_to_recordset(${payload}::jsonb) AS e(i int, id uuid), ahead, (VALUES (1), (2)) AS m(seq)`);
}

function toTextArray(values: string[]) {
  return values.length === 0 ? sql`'{}'::text[]` : sql`ARRAY[${sql.join(values.map((value) => sql`${value}`), sql`, `)}]::text[]`;
}

/** Any account's batch by id; callers check ownership so they can tell 403 from 404. */
export async function findBatch(db: Db, id: string): Promise<Batch | undefined> {
  const [batch] = await db.select().from(batches).where(eq(batches.id, id));
  return batch;
}

export async function listBatches(db: Db, { accountId, page, size }: { accountId: string; page: number; size: number }) {
  const where = and(eq(batches.accountId, accountId), isNull(batches.deletedAt));
  const [rows, [{ total }]] = await Promise.all([
    db
      .select()
      .from(batches)
      .where(where)
      .orderBy(desc(batches.createdAt), desc(batches.id))
      .limit(size)
      .offset((page - 1) * size),
    db.select({ total: count() }).from(batches).where(where),
  ]);
  return { rows, total };
}

export type BatchTally = { counts: Record<JobStatus, number>; creditsCharged: number; creditsReserved: number };

const emptyTally = (): BatchTally => ({
  counts: { queued: 0, processing: 0, completed: 0, failed: 0, cancelled: 0, expired: 0 },
  creditsCharged: 0,
  creditsReserved: 0,
});

/**
 * Jobs per state and credits of each batch, from one GROUP BY that the (batch_id, status) index
 * serves. Reserved credits are the prices of the jobs still queued or processing.
 */
export async function tallyBatches(db: Db, batchIds: string[]): Promise<Map<string, BatchTally>> {
  const tallies = new Map(batchIds.map((id) => [id, emptyTally()]));
  if (batchIds.length === 0) return tallies;
  const rows = await db
    .select({
      batchId: jobs.batchId,
      status: jobs.status,
      n: sql<number>`count(*)::int`,
      charged: sql<number>`coalesce(sum(${jobs.creditsCharged}), 0)::int`,
      cost: sql<number>`coalesce(sum(${jobs.creditCost}), 0)::int`,
    })
    .from(jobs)
    .where(inArray(jobs.batchId, batchIds))
    .groupBy(jobs.batchId, jobs.status);
  for (const row of rows) {
    const tally = tallies.get(row.batchId!)!;
    tally.counts[row.status] = row.n;
    tally.creditsCharged += row.charged;
    if (row.status === 'queued' || row.status === 'processing') tally.creditsReserved += row.cost;
  }
  return tallies;
}

/** The ids of a batch's jobs in a state, for the cancellations that go one job at a time. */
export async function batchJobIds(db: Db, { batchId, status }: { batchId: string; status: JobStatus }): Promise<string[]> {
  const rows = await db
    .select({ id: jobs.id })
    .from(jobs)
    .where(and(eq(jobs.batchId, batchId), eq(jobs.status, status)));
  return rows.map((row) => row.id);
}

/**
 * Cancels every still-queued job of a batch in one statement, with what a single cancel of a
 * queued job writes (db/queries/jobs.ts finishJob + lib/server/jobs/cancel.ts): the conditional
 * transition, the two log entries, the outbox event with one wake-up for the dispatcher, and the
 * release of the reserved credits, last (it locks the account row). No per-job "finished"
 * notification: only POST /api/v1/scrape waits on one, for its own jobs, never a batch's. A job a
 * worker claimed first is not queued any more and is left to the caller. Returns the ids
 * cancelled, for their queue entries.
 */
export async function cancelQueuedBatchJobs(db: Db, { batchId, accountId }: { batchId: string; accountId: string }): Promise<string[]> {
  const rows = await db.execute<{ id: string }>(sql`
    WITH cancelled AS (
      UPDATE jobs SET ${cancelledInBulk}
      WHERE batch_id = ${batchId} AND account_id = ${accountId} AND status = 'queued'
      RETURNING id, credit_cost, log_seq
    ), logs AS (
      INSERT INTO job_logs (job_id, seq, ts, level, message)
      SELECT c.id, c.log_seq - 2 + m.k, clock_timestamp(), 'INFO', m.message
      FROM cancelled c, (VALUES (1, 'Cancellation requested by user'), (2, 'Job cancelled successfully')) AS m(k, message)
    ), events AS (
      INSERT INTO webhook_outbox (account_id, job_id, batch_id, event)
      SELECT ${accountId}, c.id, ${batchId}, 'job.cancelled' FROM cancelled c
    ), released AS (
      UPDATE accounts SET reserved_credits = reserved_credits - (SELECT coalesce(sum(credit_cost), 0) FROM cancelled)
      WHERE id = ${accountId} AND EXISTS (SELECT 1 FROM cancelled WHERE credit_cost > 0)
    )
    SELECT id FROM cancelled`);
  const ids = rows.map((row) => row.id);
  if (ids.length > 0) await db.execute(sql`SELECT pg_notify(${webhookOutboxChannel}, '')`);
  return ids;
}

/** Marks a batch cancelled (once); returns it as it is now. */
export async function markBatchCancelled(db: Db, id: string): Promise<Batch | undefined> {
  await db.update(batches).set({ cancelledAt: sql`now()` }).where(and(eq(batches.id, id), isNull(batches.cancelledAt)));
  return findBatch(db, id);
}
