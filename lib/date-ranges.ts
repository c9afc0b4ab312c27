import { z } from 'zod';

// Date-range presets of the jobs list filter (spec section 9). Dates are YYYY-MM-DD in the
// viewer's timezone; the API turns them into instants with the `tz` offset.

export const maxRangeDays = 90;

export const datePresets = [
  { id: 'today', label: 'Today', days: 1 },
  { id: 'last7', label: 'Last 7 days', days: 7 },
  { id: 'last30', label: 'Last 30 days', days: 30 },
  { id: 'last90', label: 'Last 90 days', days: 90 },
] as const;

export type DatePresetId = (typeof datePresets)[number]['id'];

/** Today's date where the viewer is; `tzOffsetMinutes` as Date#getTimezoneOffset reports it. */
export function localToday(tzOffsetMinutes: number, now = Date.now()): string {
  return new Date(now - tzOffsetMinutes * 60_000).toISOString().slice(0, 10);
}

export function addDays(isoDate: string, days: number): string {
  return new Date(Date.parse(`${isoDate}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

/** Inclusive number of days from `from` to `to`. */
export function rangeDays(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000) + 1;
}

export function presetRange(id: DatePresetId, today: string): { from: string; to: string } {
  const preset = datePresets.find((p) => p.id === id)!;
  return { from: addDays(today, -(preset.days - 1)), to: today };
}

export function matchPreset(from: string | undefined, to: string | undefined, today: string): DatePresetId | null {
  if (!from || !to) return null;
  return datePresets.find((p) => to === today && from === addDays(today, -(p.days - 1)))?.id ?? null;
}

/** A real calendar date as YYYY-MM-DD (2026-02-30 and 2026-13-01 are not), as the API's schemas check it. */
export function isIsoDate(value: string | null | undefined): value is string {
  return typeof value === 'string' && z.iso.date().safeParse(value).success;
}
