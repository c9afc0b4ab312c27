'use client';

import type { JobStatus } from '@/lib/jobs';
import { Tooltip } from '@/components/ui/tooltip';
import { cn } from '@/components/ui/utils';

// Status colours and texts of spec section 3, in one place for the dot, the badge and the filters.

export const statusLabels: Record<JobStatus, string> = {
  queued: 'Queued',
  processing: 'Processing',
  completed: 'Completed',
  failed: 'Failed',
  cancelled: 'Cancelled',
  expired: 'Expired',
};

export const statusTooltips: Record<JobStatus, string> = {
  queued: 'Queued - waiting to process',
  processing: 'Processing - currently running',
  completed: 'Completed successfully',
  failed: 'Failed - see details',
  cancelled: 'Cancelled by user',
  expired: 'Expired - queue timeout',
};

export const statusDotColors: Record<JobStatus, string> = {
  queued: 'bg-yellow-400',
  processing: 'bg-blue-500',
  completed: 'bg-green-500',
  failed: 'bg-red-500',
  cancelled: 'bg-gray-400',
  expired: 'bg-orange-500',
};

export const statusBadgeColors: Record<JobStatus, string> = {
  queued: 'border-yellow-200 bg-yellow-50 text-yellow-800',
  processing: 'border-blue-200 bg-blue-50 text-blue-700',
  completed: 'border-green-200 bg-green-50 text-green-700',
  failed: 'border-red-200 bg-red-50 text-red-700',
  cancelled: 'border-gray-200 bg-gray-100 text-gray-700',
  expired: 'border-orange-200 bg-orange-50 text-orange-700',
};

function Dot({ status, className }: { status: JobStatus; className?: string }) {
  return (
    <span className={cn('relative inline-flex size-2.5 shrink-0', className)}>
      {status === 'processing' && <span className="absolute inline-flex size-full animate-ping rounded-full bg-blue-400 opacity-75" />}
      <span className={cn('relative inline-flex size-2.5 rounded-full', statusDotColors[status])} />
    </span>
  );
}

/** The list's coloured dot, with the spec's tooltip; pulsing while processing. */
export function StatusDot({ status }: { status: JobStatus }) {
  return (
    <Tooltip content={statusTooltips[status]}>
      <span
        role="img"
        aria-label={statusTooltips[status]}
        data-status={status}
        tabIndex={-1}
        className="inline-flex size-5 items-center justify-center rounded-full outline-none"
      >
        <Dot status={status} />
      </span>
    </Tooltip>
  );
}

export function StatusBadge({ status, className }: { status: JobStatus; className?: string }) {
  return (
    <span
      data-testid="job-status"
      data-status={status}
      title={statusTooltips[status]}
      className={cn('inline-flex items-center gap-1.5 rounded-full border px-2.5 py-0.5 text-xs font-medium', statusBadgeColors[status], className)}
    >
      <Dot status={status} className="size-2 [&>span]:size-2" />
      {statusLabels[status]}
    </span>
  );
}

/** The dot colours as values, for charts (Tailwind's 400/500 shades used above). */
export const statusChartColors: Record<JobStatus, string> = {
  completed: '#22c55e',
  failed: '#ef4444',
  cancelled: '#9ca3af',
  expired: '#f97316',
  queued: '#facc15',
  processing: '#3b82f6',
};
