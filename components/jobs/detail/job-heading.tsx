'use client';

import { CheckIcon, CopyIcon } from 'lucide-react';
import { useState } from 'react';
import { formatFull } from '@/components/time/format';
import { useNow, useTimeZone } from '@/components/time/time-context';
import { Button } from '@/components/ui/button';
import { cn } from '@/components/ui/utils';
import { engineLabels } from '@/lib/jobs';
import { jobProgress, type JobJson } from '../api-types';
import { StatusBadge } from '../status';

/** "Job {id}", its status and engine, and its progress while it runs (spec 001). */
export function JobHeading({ job, reserveProgress }: { job: JobJson; reserveProgress: boolean }) {
  const [copied, setCopied] = useState(false);
  const progress = jobProgress(job);
  const now = useNow();
  const timeZone = useTimeZone();
  // A crawl page spaced by the politeness delay is not waiting for a worker before its start.
  const scheduledAt = job.status === 'queued' && job.notBefore && Date.parse(job.notBefore) > now ? job.notBefore : null;
  return (
    <div className="flex flex-col gap-3">
      <h1 className="flex flex-wrap items-center gap-2 text-xl font-semibold tracking-tight">
        <span>Job</span>
        <span className="font-mono text-lg break-all" data-testid="job-id">
          {job.id}
        </span>
        <Button
          variant="ghost"
          size="icon-xs"
          aria-label={copied ? 'Job ID copied' : 'Copy job ID'}
          onClick={() => {
            void navigator.clipboard?.writeText(job.id).then(() => {
              setCopied(true);
              setTimeout(() => setCopied(false), 2000);
            });
          }}
        >
          {copied ? <CheckIcon className="text-green-600" /> : <CopyIcon />}
        </Button>
      </h1>
      <div className="flex flex-wrap items-center gap-x-6 gap-y-2 text-sm">
        <span className="flex items-center gap-2">
          <span className="text-muted-foreground">Status:</span>
          <StatusBadge status={job.status} />
        </span>
        <span>
          <span className="text-muted-foreground">Engine:</span> <span className="font-medium">{engineLabels[job.engine]}</span>
        </span>
      </div>
      {/* For a job that was active when the page opened, the same height throughout, so the page does not move when it finishes. */}
      <div className={cn(reserveProgress ? 'h-5' : 'empty:hidden')} data-testid="job-progress">
        {job.status === 'processing' && (
          <div className="flex max-w-md items-center gap-3">
            {progress?.percent != null ? (
              <>
                <div className="h-1.5 flex-1 overflow-hidden rounded-full bg-blue-100" role="progressbar" aria-valuenow={Math.round(progress.percent)} aria-valuemin={0} aria-valuemax={100}>
                  <div className="h-full rounded-full bg-blue-500 transition-[width]" style={{ width: `${Math.min(100, Math.max(0, progress.percent))}%` }} />
                </div>
                <span className="text-xs tabular text-muted-foreground">{Math.round(progress.percent)}%</span>
              </>
            ) : (
              <div className="relative h-1.5 flex-1 overflow-hidden rounded-full bg-blue-100" role="progressbar" aria-label="Processing">
                <div className="absolute inset-y-0 w-2/5 animate-indeterminate rounded-full bg-blue-500" />
              </div>
            )}
            {progress?.processed != null && progress.total != null && (
              <span className="text-xs whitespace-nowrap text-muted-foreground tabular">
                Processing {progress.processed} of {progress.total} items
              </span>
            )}
          </div>
        )}
        {job.status === 'queued' && (
          <p className="text-xs text-muted-foreground" data-testid="job-queued-note">
            {scheduledAt ? `Scheduled to start at ${formatFull(scheduledAt, timeZone)}, spaced by the crawl's politeness delay` : 'Waiting in the queue for a worker…'}
          </p>
        )}
      </div>
    </div>
  );
}
