import { and, eq, gte, inArray, isNull, sql } from 'drizzle-orm';
import type { Db } from '../client';
import { jobs } from '../schema';
import { matchingJobGroups } from './counts';
import { countJobsPerLocalDay, jobCountsReady } from './job-counts';
import { localDate } from './local-date';

/** The account's jobs (not deleted) in all: how many, and how many are queued or processing now. */
export async function countJobTotals(db: Db, accountId: string) {
  const groups = await matchingJobGroups(db, { accountId, filters: {} });
  const count = (pick: (status: string) => boolean) => groups.reduce((n, row) => n + (pick(row.status) ? row.n : 0), 0);
  return { total: count(() => true), queued: count((s) => s === 'queued'), processing: count((s) => s === 'processing') };
}

/**
 * Jobs created since `since` (not deleted), per local day and status, with the run time of the
 * finished-and-charged ones (completed, failed) for the average duration: from the roll-ups, or
 * from the jobs themselves while the account's are not filled yet.
 */
export async function countJobsByDay(db: Db, { accountId, since, tz }: { accountId: string; since: Date; tz: number }) {
  if (await jobCountsReady(db, accountId)) {
    const rows = await countJobsPerLocalDay(db, { accountId, since, tz });
    return rows.map((row) => ({ day: row.day, status: row.status, count: row.n, ranCount: row.ranN, ranMs: row.ranMs }));
  }
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
