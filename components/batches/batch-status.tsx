import { statusBadgeColors, statusLabels } from '@/components/jobs/status';
import { cn } from '@/components/ui/utils';
import type { BatchStatus } from '@/lib/schemas/batches';
import type { BatchJson } from './api-types';

export const batchStatusLabels: Record<BatchStatus, string> = { active: 'Active', completed: statusLabels.completed, cancelled: statusLabels.cancelled };

/** How a batch reads on screen: its status, and for a completed one how its jobs ended. */
type BatchOutcome = 'active' | 'completed' | 'partial' | 'failed' | 'stopped' | 'cancelled';

const outcomeLabels: Record<BatchOutcome, string> = {
  active: batchStatusLabels.active,
  completed: batchStatusLabels.completed,
  partial: 'Completed with failures',
  failed: 'Failed',
  stopped: 'Partly cancelled',
  cancelled: batchStatusLabels.cancelled,
};

// A running batch in the processing colour; the ended ones as the job states they resemble.
const colors: Record<BatchOutcome, string> = {
  active: statusBadgeColors.processing,
  completed: statusBadgeColors.completed,
  partial: statusBadgeColors.expired,
  failed: statusBadgeColors.failed,
  stopped: statusBadgeColors.cancelled,
  cancelled: statusBadgeColors.cancelled,
};

/**
 * The API's status is "completed" once every job is terminal, however the jobs ended; on screen a
 * completed batch is labelled by its outcome so that one whose jobs all failed does not read as a
 * success. Display only: the status values themselves do not change.
 */
export function batchOutcome(status: BatchStatus, counts: BatchJson['counts'] | undefined): BatchOutcome {
  if (status !== 'completed' || !counts) return status;
  const failed = counts.failed + counts.expired;
  if (counts.completed === 0 && failed === 0 && counts.cancelled > 0) return 'cancelled';
  if (counts.completed === 0 && failed > 0) return 'failed';
  if (failed > 0) return 'partial';
  if (counts.cancelled > 0) return 'stopped';
  return 'completed';
}

function countsText(counts: BatchJson['counts']): string {
  const parts = (['completed', 'failed', 'expired', 'cancelled'] as const).filter((status) => counts[status] > 0).map((status) => `${counts[status].toLocaleString('en-US')} ${statusLabels[status].toLowerCase()}`);
  return parts.join(', ');
}

export function BatchStatusBadge({ status, counts, className }: { status: BatchStatus; counts?: BatchJson['counts']; className?: string }) {
  const outcome = batchOutcome(status, counts);
  return (
    <span
      data-testid="batch-status"
      data-status={status}
      data-outcome={outcome}
      title={status === 'completed' && counts ? countsText(counts) || undefined : undefined}
      className={cn('inline-flex w-fit items-center rounded-md border px-2 py-0.5 text-xs font-medium whitespace-nowrap', colors[outcome], className)}
    >
      {outcomeLabels[outcome]}
    </span>
  );
}
