import { formatDuration } from '@/lib/format';
import type { JobSummaryJson } from './api-types';

/** Spec section 3: a duration only for jobs that ran to an end or are running; "--" otherwise. */
export function durationText(job: Pick<JobSummaryJson, 'status' | 'durationMs'>): string {
  return job.status === 'queued' || job.status === 'cancelled' || job.status === 'expired' ? '--' : formatDuration(job.durationMs);
}

/** Processing: the reported percentage, or an indeterminate bar when the job reports none. */
export function RunningIndicator({ percent }: { percent: number | null }) {
  if (percent !== null) return <span className="text-blue-700">{Math.round(percent)}%</span>;
  return (
    <span className="relative block h-1 w-12 overflow-hidden rounded-full bg-blue-100" role="progressbar" aria-label="Processing">
      <span className="absolute inset-y-0 w-1/2 animate-indeterminate rounded-full bg-blue-500" />
    </span>
  );
}
