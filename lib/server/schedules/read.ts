import type { Db } from '@/db/client';
import { lastRuns, listScheduleRuns, listSchedules } from '@/db/queries/schedules';
import type { Schedule } from '@/db/schema';
import { paginatedReply } from '@/lib/pagination';
import { serializeSchedule, serializeScheduleRun, type ScheduleJson } from './serialize';

type Page = { page: number; size: number };

/** One schedule with its next 5 runs and its last run. */
export async function loadSchedule(db: Db, schedule: Schedule, { maskSecrets = false } = {}): Promise<ScheduleJson> {
  const last = await lastRuns(db, [schedule.id]);
  return serializeSchedule(schedule, last.get(schedule.id), { maskSecrets });
}

/** A page of the account's schedules, newest first, each with its last run. */
export async function loadScheduleList(db: Db, { accountId, query, maskSecrets = false }: { accountId: string; query: Page; maskSecrets?: boolean }) {
  const { rows, total } = await listSchedules(db, { accountId, page: query.page, size: query.size });
  const last = await lastRuns(db, rows.map((row) => row.id));
  return paginatedReply(rows.map((row) => serializeSchedule(row, last.get(row.id), { maskSecrets })), query, total);
}

/** A page of a schedule's runs, the latest scheduled time first. */
export async function loadScheduleRuns(db: Db, { scheduleId, query }: { scheduleId: string; query: Page }) {
  const { rows, total } = await listScheduleRuns(db, { scheduleId, page: query.page, size: query.size });
  return paginatedReply(rows.map(serializeScheduleRun), query, total);
}

export type ScheduleListJson = Awaited<ReturnType<typeof loadScheduleList>>;
