import { sql, type SQL } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';

/**
 * A timestamptz column's YYYY-MM-DD date in the viewer's timezone (`tz` as Date#getTimezoneOffset
 * reports it). The offset is written into the SQL rather than bound, so that GROUP BY and
 * DISTINCT ON see one expression however often it appears; it must be a whole number of minutes.
 */
export function localDate(column: AnyPgColumn | SQL, tz: number) {
  if (!Number.isInteger(tz) || Math.abs(tz) > 24 * 60) throw new Error(`Invalid timezone offset ${tz}`);
  return sql<string>`to_char((${column} AT TIME ZONE 'UTC') - interval '${sql.raw(String(tz))} minutes', 'YYYY-MM-DD')`;
}
