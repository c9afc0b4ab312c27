import { cn } from '@/components/ui/utils';
import type { CrawlJson } from './api-types';

type Progress = CrawlJson['progress'];

/**
 * A crawl's progress: its page jobs finished over the page jobs created so far (done green,
 * failed or cancelled red), with "12 of 20" beside it. Indeterminate while pages run and none
 * has finished yet, so a crawl that has just started does not read as stuck. The small size (a
 * list's rows) has a fixed width so the bars of all rows line up.
 */
export function CrawlProgress({ progress, size = 'md', className }: { progress: Progress; size?: 'sm' | 'md'; className?: string }) {
  const { done, failed, pages, percent } = progress;
  const finished = done + failed;
  const bar = cn(size === 'sm' ? 'h-1.5 w-28 shrink-0' : 'h-2.5 flex-1');
  const text = cn('text-xs whitespace-nowrap tabular', size === 'sm' && 'min-w-[5.5rem]');
  const count = (n: number) => n.toLocaleString('en-US');
  if (pages === 0 || finished === 0) {
    return (
      <div className={cn('flex items-center gap-3', className)}>
        <div
          className={cn('relative overflow-hidden rounded-full bg-blue-100', bar)}
          role="progressbar"
          aria-label={`0 of ${pages} pages finished, pages running`}
          data-testid="crawl-progress-indeterminate"
        >
          <div className="absolute inset-y-0 w-2/5 animate-indeterminate rounded-full bg-blue-500" />
        </div>
        <span className={cn(text, 'text-muted-foreground')} data-testid="crawl-progress-text">
          0 of {count(pages)}
        </span>
      </div>
    );
  }
  const outcome = [done > 0 && `${count(done)} done`, failed > 0 && `${count(failed)} failed or cancelled`].filter(Boolean).join(', ');
  return (
    <div className={cn('flex items-center gap-3', className)}>
      <div
        className={cn('flex overflow-hidden rounded-full bg-muted', bar)}
        role="progressbar"
        aria-label={`${finished} of ${pages} pages finished`}
        aria-valuemin={0}
        aria-valuemax={pages}
        aria-valuenow={finished}
        aria-valuetext={`${finished} of ${pages} finished: ${outcome}`}
        title={outcome}
      >
        {done > 0 && <div className="h-full bg-green-500 transition-[width] duration-500" style={{ width: `${(done / pages) * 100}%` }} data-testid="crawl-progress-done" />}
        {failed > 0 && <div className="h-full bg-destructive transition-[width] duration-500" style={{ width: `${(failed / pages) * 100}%` }} data-testid="crawl-progress-failed" />}
      </div>
      <span className={text} data-testid="crawl-progress-text">
        {count(finished)} of {count(pages)}
        {size === 'md' && <span className="text-muted-foreground"> ({percent}%)</span>}
      </span>
    </div>
  );
}
