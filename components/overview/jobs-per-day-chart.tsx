'use client';

import { Bar, BarChart, CartesianGrid, Tooltip, XAxis, YAxis, type TooltipContentProps, type TooltipValueType } from 'recharts';
import { countAxisProps, dayAxisProps } from '@/components/charts/axes';
import { formatDay } from '@/components/time/format';
import type { JobStatus } from '@/lib/jobs';
import type { StatsJson } from '../jobs/api-types';
import { statusChartColors, statusLabels } from '../jobs/status';

// Bottom to top: finished outcomes first, what is still waiting on top.
const stack: JobStatus[] = ['completed', 'failed', 'cancelled', 'expired', 'processing', 'queued'];

/** Jobs created per day over the last 30 days, stacked by their status now. */
export function JobsPerDayChart({ perDay }: { perDay: StatsJson['perDay'] }) {
  const total = perDay.reduce((n, day) => n + stack.reduce((m, status) => m + day[status], 0), 0);
  return (
    <div className="flex flex-col gap-3" data-testid="jobs-per-day-chart" data-total={total}>
      <BarChart
        responsive
        data={perDay}
        style={{ width: '100%', height: 240 }}
        margin={{ top: 4, right: 4, bottom: 0, left: 0 }}
        barCategoryGap="18%"
        accessibilityLayer
        aria-label={`Jobs per day over the last 30 days: ${total} in all`}
      >
        <CartesianGrid vertical={false} stroke="var(--border)" />
        <XAxis {...dayAxisProps} minTickGap={24} />
        <YAxis {...countAxisProps} />
        <Tooltip cursor={{ fill: 'var(--muted)' }} content={DayTooltip} />
        {stack.map((status, index) => (
          <Bar
            key={status}
            dataKey={status}
            name={statusLabels[status]}
            stackId="jobs"
            fill={statusChartColors[status]}
            radius={index === stack.length - 1 ? [3, 3, 0, 0] : 0}
            isAnimationActive={false}
            maxBarSize={28}
          />
        ))}
      </BarChart>
      <ul className="flex flex-wrap justify-center gap-x-4 gap-y-1 text-xs text-muted-foreground" aria-label="Legend">
        {stack.map((status) => (
          <li key={status} className="flex items-center gap-1.5">
            <span className="size-2.5 rounded-sm" style={{ backgroundColor: statusChartColors[status] }} />
            {statusLabels[status]}
          </li>
        ))}
      </ul>
    </div>
  );
}

function DayTooltip({ active, payload, label }: TooltipContentProps<TooltipValueType, string | number>) {
  if (!active || !payload?.length) return null;
  const rows = [...payload].reverse().filter((item) => Number(item.value) > 0);
  const total = payload.reduce((n, item) => n + Number(item.value ?? 0), 0);
  return (
    <div className="rounded-md border bg-popover px-3 py-2 text-xs text-popover-foreground shadow-md">
      <p className="mb-1 font-medium">
        {formatDay(String(label))} · {total} {total === 1 ? 'job' : 'jobs'}
      </p>
      {rows.map((item) => (
        <p key={String(item.dataKey)} className="flex items-center gap-2">
          <span className="size-2 rounded-sm" style={{ backgroundColor: item.color }} />
          <span className="flex-1">{item.name}</span>
          <span className="tabular">{item.value}</span>
        </p>
      ))}
    </div>
  );
}
