import { statusBadgeColors } from '@/components/jobs/status';
import { cn } from '@/components/ui/utils';
import type { CrawlStatus } from '@/lib/schemas/crawls';
import { crawlStatusLabels } from './labels';

// A running crawl in the processing colour; the ended ones as the job states they resemble.
const colors: Record<CrawlStatus, string> = {
  active: statusBadgeColors.processing,
  completed: statusBadgeColors.completed,
  stopped: statusBadgeColors.expired,
  cancelled: statusBadgeColors.cancelled,
};

export function CrawlStatusBadge({ status, className }: { status: CrawlStatus; className?: string }) {
  return (
    <span
      data-testid="crawl-status"
      data-status={status}
      className={cn('inline-flex w-fit items-center rounded-md border px-2 py-0.5 text-xs font-medium whitespace-nowrap', colors[status], className)}
    >
      {crawlStatusLabels[status]}
    </span>
  );
}
