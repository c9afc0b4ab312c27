import { addDays, localToday } from '@/lib/date-ranges';

// Days in the viewer's timezone, for per-day charts and day-based filters. `tzOffsetMinutes` is
// what Date#getTimezoneOffset reports (minutes west of UTC are positive).

/** Midnight of a YYYY-MM-DD date in the viewer's timezone, as a UTC instant. */
export function localMidnight(date: string, tzOffsetMinutes: number, plusDays = 0): Date {
  const utc = Date.parse(`${date}T00:00:00Z`) + plusDays * 86_400_000;
  return new Date(utc + tzOffsetMinutes * 60_000);
}

/** The last `count` local dates ending today, oldest first, and the instant the first began. */
export function recentDays(tzOffsetMinutes: number, count: number, now = Date.now()): { days: string[]; since: Date } {
  const today = localToday(tzOffsetMinutes, now);
  const days = Array.from({ length: count }, (_, i) => addDays(today, i - (count - 1)));
  return { days, since: localMidnight(days[0], tzOffsetMinutes) };
}

/** The overview's window: its 30-day figures, jobs-per-day chart and balance history. */
export const statsWindowDays = 30;
