import { jobStatuses } from '@/lib/jobs';
import { cn } from '@/components/ui/utils';
import { statusDotColors, statusLabels } from '@/components/jobs/status';
import type { BatchJson } from './api-types';

/** The jobs of a batch per state: only the states that have jobs, or every state with `all`. */
export function BatchCounts({ counts, all = false, className }: { counts: BatchJson['counts']; all?: boolean; className?: string }) {
  const shown = jobStatuses.filter((status) => all || counts[status] > 0);
  return (
    <ul className={cn('flex flex-wrap gap-x-3 gap-y-1 text-xs', className)} aria-label="Jobs per state">
      {shown.map((status) => (
        <li key={status} className="inline-flex items-center gap-1.5 whitespace-nowrap" data-testid={`batch-count-${status}`}>
          <span className={cn('inline-block size-2 rounded-full', statusDotColors[status])} aria-hidden />
          <span className="text-muted-foreground">{statusLabels[status]}</span>
          <span className="font-medium tabular">{counts[status].toLocaleString('en-US')}</span>
        </li>
      ))}
    </ul>
  );
}
