// Timestamps in the viewer's timezone (spec sections 3, 4, 5). Pure: the timezone and "now"
// are passed in, so the server and the browser format the same instant the same way.

/** The cookie in which the browser reports its timezone, so the server formats times the same way. */
export const timeZoneCookie = 'tz';

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${timeZone}|${JSON.stringify(options)}`;
  let found = formatters.get(key);
  if (!found) {
    found = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', ...options });
    formatters.set(key, found);
  }
  return found;
}

function parts(date: Date, timeZone: string, options: Intl.DateTimeFormatOptions): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of formatter(timeZone, options).formatToParts(date)) out[part.type] = part.value;
  return out;
}

const dateTime: Intl.DateTimeFormatOptions = { month: 'short', day: 'numeric', year: 'numeric', hour: '2-digit', minute: '2-digit' };

/** "Feb 7, 2026 14:32" */
export function formatAbsolute(iso: string, timeZone: string): string {
  const p = parts(new Date(iso), timeZone, dateTime);
  return `${p.month} ${p.day}, ${p.year} ${p.hour}:${p.minute}`;
}

/** "Feb 8, 2026 09:14:32 UTC": the detail page's full timestamp with its timezone. */
export function formatFull(iso: string, timeZone: string): string {
  const p = parts(new Date(iso), timeZone, { ...dateTime, second: '2-digit', timeZoneName: 'short' });
  return `${p.month} ${p.day}, ${p.year} ${p.hour}:${p.minute}:${p.second} ${p.timeZoneName}`;
}

/** "09:14:32.001": a log entry's time, to the millisecond. */
export function formatLogTime(iso: string, timeZone: string): string {
  const date = new Date(iso);
  const p = parts(date, timeZone, { hour: '2-digit', minute: '2-digit', second: '2-digit' });
  return `${p.hour}:${p.minute}:${p.second}.${String(date.getUTCMilliseconds()).padStart(3, '0')}`;
}

/** "just now", "2 min ago", "3 hours ago". */
export function formatRelative(iso: string, now: number): string {
  const seconds = Math.max(0, Math.round((now - Date.parse(iso)) / 1000));
  if (seconds < 45) return 'just now';
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.floor(minutes / 60);
  return hours === 1 ? '1 hour ago' : `${hours} hours ago`;
}

/** Relative for the last 24 hours, an absolute date before that (the jobs list's Created column). */
export function formatCreated(iso: string, now: number, timeZone: string): string {
  return now - Date.parse(iso) < 24 * 60 * 60 * 1000 ? formatRelative(iso, now) : formatAbsolute(iso, timeZone);
}

/** "2.14s" on the detail page; the list keeps one decimal (lib/format formatDuration). */
export function formatPreciseDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return '--';
  return `${(ms / 1000).toFixed(2)}s`;
}

export function isValidTimeZone(value: string | undefined): value is string {
  if (!value) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: value });
    return true;
  } catch {
    return false;
  }
}

/** Minutes as Date#getTimezoneOffset reports them (west of UTC positive) for a timezone, now. */
export function timeZoneOffsetMinutes(timeZone: string, now = Date.now()): number {
  const p = parts(new Date(now), timeZone, { year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' });
  const asUtc = Date.UTC(Number(p.year), Number(p.month) - 1, Number(p.day), Number(p.hour), Number(p.minute), Number(p.second));
  return Math.round((Math.floor(now / 1000) * 1000 - asUtc) / 60_000);
}

/** "Feb 8" for a YYYY-MM-DD day that is already the viewer's local date (chart axes). */
export function formatDay(date: string): string {
  const p = parts(new Date(`${date}T00:00:00Z`), 'UTC', { month: 'short', day: 'numeric' });
  return `${p.month} ${p.day}`;
}

/** "Feb 7, 2026": a day, without the time. */
export function formatDate(iso: string, timeZone: string): string {
  const p = parts(new Date(iso), timeZone, { month: 'short', day: 'numeric', year: 'numeric' });
  return `${p.month} ${p.day}, ${p.year}`;
}
