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

const compact = new Intl.NumberFormat('en-US', { notation: 'compact', maximumFractionDigits: 1 });

/** 950, 1.2K, 15K, 1M: short enough that a tick label never outgrows the axis. */
export const formatCompact = (n: number) => compact.format(n);

/**
 * A Y axis of whole numbers, labelled compactly and sized to its widest label (`width: 'auto'`)
 * so that "1.2K" or "1M" is never clipped at the chart's left edge.
 */
export const countAxisProps = { allowDecimals: false, tickLine: false, axisLine: false, tick: axisTick, tickFormatter: formatCompact, width: 'auto' } as const;
