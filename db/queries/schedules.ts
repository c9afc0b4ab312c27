import { and, asc, count, desc, eq, inArray, isNull, lt, lte, notInArray, sql } from 'drizzle-orm';
import { activeStatuses } from '@/lib/jobs';
import type { Db } from '../client';
import { crawls, jobs, scheduleRuns, schedules, type Schedule, type ScheduleRun } from '../schema';

export async function insertSchedule(db: Db, values: typeof schedules.$inferInsert): Promise<Schedule> {
  const [schedule] = await db.insert(schedules).values(values).returning();
  return schedule;
}

/** Any account's schedule by id; callers check ownership so they can tell 403 from 404. */
export async function findSchedule(db: Db, id: string): Promise<Schedule | undefined> {
  const [schedule] = await db.select().from(schedules).where(eq(schedules.id, id));
  return schedule;
}

export async function updateSchedule(
  db: Db,
  { id, accountId, values }: { id: string; accountId: string; values: Partial<typeof schedules.$inferInsert> },
): Promise<Schedule | undefined> {
  const [schedule] = await db
    .update(schedules)
    .set({ ...values, updatedAt: new Date() })
    .where(and(eq(schedules.id, id), eq(schedules.accountId, accountId)))
    .returning();
  return schedule;
}

export async function deleteSchedule(db: Db, { id, accountId }: { id: string; accountId: string }): Promise<boolean> {
  const rows = await db
    .delete(schedules)
    .where(and(eq(schedules.id, id), eq(schedules.accountId, accountId)))
    .returning({ id: schedules.id });
  return rows.length > 0;
}

export async function listSchedules(db: Db, { accountId, page, size }: { accountId: string; page: number; size: number }) {
  const where = eq(schedules.accountId, accountId);
  const [rows, [{ total }]] = await Promise.all([
    db
      .select()
      .from(schedules)
      .where(where)
      .orderBy(desc(schedules.createdAt), desc(schedules.id))
      .limit(size)
      .offset((page - 1) * size),
    db.select({ total: count() }).from(schedules).where(where),
  ]);
  return { rows, total };
}

/** The latest run of each schedule, from the (schedule_id, scheduled_for) unique index. */
export async function lastRuns(db: Db, scheduleIds: string[]): Promise<Map<string, ScheduleRun>> {
  if (scheduleIds.length === 0) return new Map();
  const rows = await db
    .selectDistinctOn([scheduleRuns.scheduleId])
    .from(scheduleRuns)
    .where(inArray(scheduleRuns.scheduleId, scheduleIds))
    .orderBy(scheduleRuns.scheduleId, desc(scheduleRuns.scheduledFor));
  return new Map(rows.map((run) => [run.scheduleId, run]));
}

export async function listScheduleRuns(db: Db, { scheduleId, page, size }: { scheduleId: string; page: number; size: number }) {
  const where = eq(scheduleRuns.scheduleId, scheduleId);
  const [rows, [{ total }]] = await Promise.all([
    db
      .select()
      .from(scheduleRuns)
      .where(where)
      .orderBy(desc(scheduleRuns.scheduledFor))
      .limit(size)
      .offset((page - 1) * size),
    db.select({ total: count() }).from(scheduleRuns).where(where),
  ]);
  return { rows, total };
}

/**
 * Locks one due schedule for this transaction, skipping those another worker holds: the trigger
 * loops of every worker share the due ones out this way. `skip` holds ids this tick already
 * tried and failed on, so one broken schedule does not stop the rest.
 */
export async function claimDueSchedule(db: Db, { now, skip }: { now: Date; skip: string[] }): Promise<Schedule | undefined> {
  const [schedule] = await db
    .select()
    .from(schedules)
    .where(and(isNull(schedules.pausedAt), lte(schedules.nextRunAt, now), skip.length ? notInArray(schedules.id, skip) : undefined))
    .orderBy(asc(schedules.nextRunAt))
    .limit(1)
    .for('update', { skipLocked: true });
  return schedule;
}

/**
 * Takes the (schedule, scheduled time) key: null when a run for that time exists already. The
 * row is written with its outcome in the transaction that creates the run's job, batch or crawl.
 */
export async function insertScheduleRun(db: Db, values: typeof scheduleRuns.$inferInsert): Promise<ScheduleRun | null> {
  const [run] = await db.insert(scheduleRuns).values(values).onConflictDoNothing().returning();
  return run ?? null;
}

/** The latest run before `before` that created something: what overlap `skip` waits on. */
export async function lastCreatedRun(db: Db, { scheduleId, before }: { scheduleId: string; before: Date }): Promise<ScheduleRun | undefined> {
  const [run] = await db
    .select()
    .from(scheduleRuns)
    .where(and(eq(scheduleRuns.scheduleId, scheduleId), eq(scheduleRuns.outcome, 'created'), lt(scheduleRuns.scheduledFor, before)))
    .orderBy(desc(scheduleRuns.scheduledFor))
    .limit(1);
  return run;
}

/**
 * Whether a job, or any job of a batch, is still queued or processing (by primary key or the
 * batch_id index); a crawl until it is completed or cancelled (completed_at is set for both), so
 * one between pages, its next ones not yet discovered, counts as running too.
 */
export async function runStillActive(db: Db, run: Pick<ScheduleRun, 'jobId' | 'batchId' | 'crawlId'>): Promise<boolean> {
  if (run.crawlId) {
    const [crawl] = await db.select({ one: sql<number>`1` }).from(crawls).where(and(eq(crawls.id, run.crawlId), isNull(crawls.completedAt)));
    return crawl !== undefined;
  }
  const where = run.jobId ? eq(jobs.id, run.jobId) : run.batchId ? eq(jobs.batchId, run.batchId) : undefined;
  if (!where) return false;
  const [row] = await db
    .select({ one: sql<number>`1` })
    .from(jobs)
    .where(and(where, inArray(jobs.status, [...activeStatuses])))
    .limit(1);
  return row !== undefined;
}

/** The run's outcome, once what it started (or why it did not) is known. */
export async function finishScheduleRun(
  db: Db,
  { id, outcome, reason, jobId, batchId, crawlId }: Pick<ScheduleRun, 'id' | 'outcome'> & Partial<Pick<ScheduleRun, 'reason' | 'jobId' | 'batchId' | 'crawlId'>>,
): Promise<void> {
  await db
    .update(scheduleRuns)
    .set({ outcome, reason: reason ?? null, jobId: jobId ?? null, batchId: batchId ?? null, crawlId: crawlId ?? null })
    .where(eq(scheduleRuns.id, id));
}

/** Moves the schedule to its next time (null: the expression has no time left, so it is paused). */
export async function advanceSchedule(db: Db, { id, nextRunAt, now }: { id: string; nextRunAt: Date | null; now: Date }): Promise<void> {
  await db
    .update(schedules)
    .set(nextRunAt ? { nextRunAt } : { pausedAt: now })
    .where(eq(schedules.id, id));
}
