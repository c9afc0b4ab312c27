import { cn } from '@/components/ui/utils';
import type { BatchStatus } from '@/lib/schemas/batches';

export const batchStatusLabels: Record<BatchStatus, string> = { active: 'Active', completed: 'Completed', cancelled: 'Cancelled' };

const colors: Record<BatchStatus, string> = {
  active: 'border-blue-200 bg-blue-50 text-blue-700',
  completed: 'border-green-200 bg-green-50 text-green-700',
  cancelled: 'border-gray-200 bg-gray-100 text-gray-700',
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
