import { and, count, inArray, sql } from 'drizzle-orm';
import { addDays, datePresets, localToday } from '@/lib/date-ranges';
import { activeStatuses, type Engine, type JobStatus } from '@/lib/jobs';
import type { Priority } from '@/lib/queue';
import type { ListJobsQuery } from '@/lib/schemas/jobs';
import type { Db } from '../client';
import { jobs } from '../schema';
import { jobFilters } from './jobs';

export type JobCounts = {
  status: Partial<Record<JobStatus, number>>;
  engine: Partial<Record<Engine, number>>;
  key: Record<string, number>;
  priority: Partial<Record<Priority, number>>;
  date: Record<(typeof datePresets)[number]['id'], number>;
};

/**
 * The count beside each option of the jobs list filters (spec section 9): for every filter, the
 * jobs that match all the *other* active filters, grouped by that filter's values. The rules are
 * jobFilters', so a count always equals what choosing the option would list.
 */
export async function countJobsByFilter(
  db: Db,
  { accountId, query }: { accountId: string; query: Partial<ListJobsQuery> },
): Promise<JobCounts> {
  const without = (...omit: (keyof ListJobsQuery)[]) => {
    const rest: Partial<ListJobsQuery> = { ...query };
    for (const name of omit) delete rest[name];
    return and(...jobFilters(accountId, rest));
  };
  const tz = query.tz ?? 0;
  const today = localToday(tz);
  const presetCounts = Object.fromEntries(
    datePresets.map((preset) => {
      // jobFilters with no account gives [not deleted, from, to]; the account is in the outer WHERE.
      const inRange = and(...jobFilters(null, { from: addDays(today, -(preset.days - 1)), to: today, tz }));
      return [preset.id, sql<number>`count(*) filter (where ${inRange})::int`];
    }),
  ) as Record<keyof JobCounts['date'], ReturnType<typeof sql<number>>>;

  const [byStatus, byEngine, byKey, byPriority, [byDate]] = await Promise.all([
    db.select({ value: jobs.status, n: count() }).from(jobs).where(without('status')).groupBy(jobs.status),
    db.select({ value: jobs.engine, n: count() }).from(jobs).where(without('engine')).groupBy(jobs.engine),
    db.select({ value: jobs.apiKeyId, n: count() }).from(jobs).where(without('key')).groupBy(jobs.apiKeyId),
    db.select({ value: jobs.priority, n: count() }).from(jobs).where(without('priority')).groupBy(jobs.priority),
    db.select(presetCounts).from(jobs).where(without('from', 'to')),
  ]);
  const tally = <K extends string>(rows: { value: K; n: number }[]) =>
    Object.fromEntries(rows.map((row) => [row.value, row.n])) as Partial<Record<K, number>>;
  return {
    status: tally(byStatus),
    engine: tally(byEngine),
    key: tally(byKey) as Record<string, number>,
    priority: tally(byPriority),
    date: byDate as JobCounts['date'],
  };
}

/** The list filters alone, without paging or sorting (bulk delete, export). */
export type JobFilterQuery = Partial<Pick<ListJobsQuery, 'status' | 'engine' | 'key' | 'from' | 'to' | 'tz' | 'q' | 'name' | 'tag' | 'priority'>>;

/** Jobs the filters match (not deleted), and how many of them are still queued or processing. */
export async function countMatchingJobs(db: Db, { accountId, filters }: { accountId: string; filters: JobFilterQuery }) {
  const [row] = await db
    .select({
      total: sql<number>`count(*)::int`,
      active: sql<number>`(count(*) filter (where ${inArray(jobs.status, [...activeStatuses])}))::int`,
    })
    .from(jobs)
    .where(and(...jobFilters(accountId, filters)));
  return row;
}
