import { cn } from '@/components/ui/utils';

/**
 * A batch's progress: a bar filled to finished/total with "25 of 100" beside it. Where progress
 * is unknown the bar is indeterminate: while the counts are not loaded (or the batch has no
 * jobs), and while jobs run but none has finished yet (an empty bar would read as "stuck").
 */
export function BatchProgress({
  finished,
  total,
  percent,
  working = false,
  size = 'md',
  className,
}: {
  finished: number | undefined;
  total: number | undefined;
  percent?: number;
  /** Some of the batch's jobs are processing. */
  working?: boolean;
  size?: 'sm' | 'md';
  className?: string;
}) {
  const known = finished !== undefined && total !== undefined && total > 0;
  const bar = size === 'sm' ? 'h-1.5' : 'h-2.5';
  if (!known || (finished === 0 && working)) {
    return (
      <div className={cn('flex items-center gap-3', className)}>
        <div
          className={cn('relative flex-1 overflow-hidden rounded-full bg-blue-100', bar)}
          role="progressbar"
          aria-label={known ? `0 of ${total} jobs finished, jobs running` : 'Progress unknown'}
          data-testid="batch-progress-indeterminate"
        >
          <div className="absolute inset-y-0 w-2/5 animate-indeterminate rounded-full bg-blue-500" />
        </div>
        <span className="text-xs whitespace-nowrap text-muted-foreground tabular" data-testid="batch-progress-text">
          {known ? `0 of ${total.toLocaleString('en-US')}` : 'Counting…'}
        </span>
      </div>
    );
  }
  const shown = percent ?? Math.floor((finished / total) * 1000) / 10;
  const done = finished >= total;
  return (
    <div className={cn('flex items-center gap-3', className)}>
      <div
        className={cn('flex-1 overflow-hidden rounded-full bg-muted', bar)}
        role="progressbar"
        aria-label={`${finished} of ${total} jobs finished`}
        aria-valuemin={0}
        aria-valuemax={total}
        aria-valuenow={finished}
        aria-valuetext={`${finished} of ${total}`}
      >
        <div className={cn('h-full rounded-full transition-[width] duration-500', done ? 'bg-green-500' : 'bg-blue-500')} style={{ width: `${shown}%` }} />
      </div>
      <span className="text-xs whitespace-nowrap tabular" data-testid="batch-progress-text">
        {finished.toLocaleString('en-US')} of {total.toLocaleString('en-US')}
        {size === 'md' && <span className="text-muted-foreground"> ({shown}%)</span>}
      </span>
    </div>
  );
}
