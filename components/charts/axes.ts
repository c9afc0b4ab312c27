import { formatDay } from '@/components/time/format';

// The look the dashboard's day charts share (balance, jobs per day): muted small ticks, no axis
// lines, days along the bottom.

export const axisTick = { fontSize: 11, fill: 'var(--muted-foreground)' };

/** An X axis of days (`date` as YYYY-MM-DD), thinned so labels never collide. */
export const dayAxisProps = {
  dataKey: 'date',
  tickFormatter: formatDay,
  tickLine: false,
  axisLine: false,
  interval: 'preserveStartEnd',
  tick: axisTick,
} as const;

/** A Y axis of whole numbers. */
export const countAxisProps = { allowDecimals: false, tickLine: false, axisLine: false, tick: axisTick } as const;
