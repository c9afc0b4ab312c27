'use client';

import { Area, AreaChart, CartesianGrid, Tooltip, XAxis, YAxis, type TooltipContentProps, type TooltipValueType } from 'recharts';
import { formatCredits } from '@/components/account/credits';
import { countAxisProps, dayAxisProps } from '@/components/charts/axes';
import { formatDay } from '@/components/time/format';
import type { CreditsJson } from '../jobs/api-types';

/** The balance at the end of each of the last 30 days. */
export function BalanceChart({ history }: { history: CreditsJson['history'] }) {
  const last = history.at(-1)?.balance ?? 0;
  return (
    <div data-testid="balance-chart">
      <AreaChart
        responsive
        data={history}
        style={{ width: '100%', height: 200 }}
        margin={{ top: 6, right: 6, bottom: 0, left: 0 }}
        accessibilityLayer
        aria-label={`Balance over the last 30 days, ending at ${formatCredits(last)}`}
      >
        <defs>
          <linearGradient id="balance-fill" x1="0" y1="0" x2="0" y2="1">
            <stop offset="0%" stopColor="var(--primary)" stopOpacity={0.25} />
            <stop offset="100%" stopColor="var(--primary)" stopOpacity={0.02} />
          </linearGradient>
        </defs>
        <CartesianGrid vertical={false} stroke="var(--border)" />
        <XAxis {...dayAxisProps} minTickGap={28} />
        <YAxis {...countAxisProps} domain={[0, 'auto']} />
        <Tooltip content={BalanceTooltip} cursor={{ stroke: 'var(--ring)', strokeDasharray: '3 3' }} />
        <Area type="stepAfter" dataKey="balance" name="Balance" stroke="var(--primary)" strokeWidth={2} fill="url(#balance-fill)" isAnimationActive={false} />
      </AreaChart>
    </div>
  );
}

function BalanceTooltip({ active, payload, label }: TooltipContentProps<TooltipValueType, string | number>) {
  if (!active || !payload?.length) return null;
  return (
    <div className="rounded-md border bg-popover px-3 py-2 text-xs text-popover-foreground shadow-md">
      <p className="font-medium">{formatDay(String(label))}</p>
      <p className="tabular">{formatCredits(Number(payload[0].value ?? 0))}</p>
    </div>
  );
}
