import { statusBadgeColors, statusLabels } from '@/components/jobs/status';
import { cn } from '@/components/ui/utils';
import type { BatchStatus } from '@/lib/schemas/batches';

export const batchStatusLabels: Record<BatchStatus, string> = { active: 'Active', completed: statusLabels.completed, cancelled: statusLabels.cancelled };

// A running batch in the processing colour; the ended ones as the job states of the same name.
const colors: Record<BatchStatus, string> = {
  active: statusBadgeColors.processing,
  completed: statusBadgeColors.completed,
  cancelled: statusBadgeColors.cancelled,
};

export function BatchStatusBadge({ status, className }: { status: BatchStatus; className?: string }) {
  return (
    <span
      data-testid="batch-status"
      data-status={status}
      className={cn('inline-flex w-fit items-center rounded-md border px-2 py-0.5 text-xs font-medium whitespace-nowrap', colors[status], className)}
    >
      {batchStatusLabels[status]}
    </span>
  );
}
