import { cn } from '@/components/ui/utils';
import type { BatchJson } from './api-types';

type Counts = BatchJson['counts'];

// The finished jobs by outcome, in the bar's order: successes, failures, then the ones that never ran.
const segments = [
  { id: 'completed', label: 'completed', className: 'bg-green-500', count: (counts: Counts) => counts.completed },
  { id: 'failed', label: 'failed', className: 'bg-destructive', count: (counts: Counts) => counts.failed },
  { id: 'stopped', label: 'cancelled or expired', className: 'bg-gray-400', count: (counts: Counts) => counts.cancelled + counts.expired },
] as const;

/** "12 completed, 4 failed": the finished jobs by outcome, for the bar's accessible text. */
function outcomeText(counts: Counts): string {
  const parts = segments.filter((segment) => segment.count(counts) > 0).map((segment) => `${segment.count(counts).toLocaleString('en-US')} ${segment.label}`);
  return parts.length > 0 ? parts.join(', ') : 'none finished';
}

/**
 * A batch's progress: a bar split by outcome (completed green, failed red, cancelled or expired
 * gray, the unfinished rest empty) with "25 of 100" beside it. Where progress is unknown the bar
 * is indeterminate: while the counts are not loaded (or the batch has no jobs), and while jobs
 * run but none has finished yet (an empty bar would read as "stuck"). The small size (a list's
 * rows) has a fixed width so the bars of all rows line up.
 */
export function BatchProgress({
  counts,
  finished,
  total,
  percent,
  size = 'md',
  className,
}: {
  counts: Counts | undefined;
  finished: number | undefined;
  total: number | undefined;
  percent?: number;
  size?: 'sm' | 'md';
  className?: string;
}) {
  const known = counts !== undefined && finished !== undefined && total !== undefined && total > 0;
  const working = (counts?.processing ?? 0) > 0;
  const bar = cn(size === 'sm' ? 'h-1.5 w-28 shrink-0' : 'h-2.5 flex-1');
  const text = cn('text-xs whitespace-nowrap tabular', size === 'sm' && 'min-w-[5.5rem]');
  if (!known || (finished === 0 && working)) {
    return (
      <div className={cn('flex items-center gap-3', className)}>
        <div
          className={cn('relative overflow-hidden rounded-full bg-blue-100', bar)}
          role="progressbar"
          aria-label={known ? `0 of ${total} jobs finished, jobs running` : 'Progress unknown'}
          data-testid="batch-progress-indeterminate"
        >
          <div className="absolute inset-y-0 w-2/5 animate-indeterminate rounded-full bg-blue-500" />
        </div>
        <span className={cn(text, 'text-muted-foreground')} data-testid="batch-progress-text">
          {known ? `0 of ${total.toLocaleString('en-US')}` : 'Counting…'}
        </span>
      </div>
    );
  }
  const shown = percent ?? Math.floor((finished / total) * 1000) / 10;
  const outcome = outcomeText(counts);
  return (
    <div className={cn('flex items-center gap-3', className)}>
      <div
        className={cn('flex overflow-hidden rounded-full bg-muted', bar)}
        role="progressbar"
        aria-label={`${finished} of ${total} jobs finished`}
        aria-valuemin={0}
        aria-valuemax={total}
        aria-valuenow={finished}
        aria-valuetext={`${finished} of ${total} finished: ${outcome}`}
        title={outcome}
      >
        {segments.map((segment) => {
          const count = segment.count(counts);
          if (count === 0) return null;
          return (
            <div
              key={segment.id}
              className={cn('h-full transition-[width] duration-500', segment.className)}
              style={{ width: `${(count / total) * 100}%` }}
              data-testid={`batch-progress-${segment.id}`}
            />
          );
        })}
      </div>
      <span className={text} data-testid="batch-progress-text">
        {finished.toLocaleString('en-US')} of {total.toLocaleString('en-US')}
        {size === 'md' && <span className="text-muted-foreground"> ({shown}%)</span>}
      </span>
    </div>
  );
}
