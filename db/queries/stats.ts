import { and, eq, gte, inArray, isNull, sql } from 'drizzle-orm';
import type { Db } from '../client';
import { jobs } from '../schema';
import { localDate } from './local-date';

/** The account's jobs (not deleted) in all: how many, and how many are queued or processing now. */
export async function countJobTotals(db: Db, accountId: string) {
  const [row] = await db
    .select({
      total: sql<number>`count(*)::int`,
      queued: sql<number>`(count(*) filter (where ${eq(jobs.status, 'queued')}))::int`,
      processing: sql<number>`(count(*) filter (where ${eq(jobs.status, 'processing')}))::int`,
    })
    .from(jobs)
    .where(and(eq(jobs.accountId, accountId), isNull(jobs.deletedAt)));
  return row;
}

/**
 * Jobs created since `since` (not deleted), per local day and status, with the run time of the
 * finished-and-charged ones (completed, failed) for the average duration.
 */
export async function countJobsByDay(db: Db, { accountId, since, tz }: { accountId: string; since: Date; tz: number }) {
  const day = localDate(jobs.createdAt, tz);
  const ran = and(inArray(jobs.status, ['completed', 'failed']), sql`${jobs.durationMs} IS NOT NULL`);
  return db
    .select({
      day,
      status: jobs.status,
      count: sql<number>`count(*)::int`,
      ranCount: sql<number>`(count(*) filter (where ${ran}))::int`,
      ranMs: sql<number>`coalesce(sum(${jobs.durationMs}) filter (where ${ran}), 0)::float8`,
    })
    .from(jobs)
    .where(and(eq(jobs.accountId, accountId), isNull(jobs.deletedAt), gte(jobs.createdAt, since)))
    .groupBy(day, jobs.status);
}
