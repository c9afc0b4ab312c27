'use client';

import { Badge } from '@/components/ui/badge';
import { RowLink } from '@/components/ui/row-link';
import { cn } from '@/components/ui/utils';
import { CreatedTime } from '@/components/time/created-time';
import { engineLabels } from '@/lib/jobs';
import { jobProgress, type JobSummaryJson } from './api-types';
import { rememberListUrl } from './back-link';
import { durationText, RunningIndicator } from './job-duration';
import { StatusDot } from './status';
import { UrlText } from './url-text';

/**
 * The jobs list under 640 px: one card per job, the URL on a line of its own. The Job ID link is
 * stretched over the whole card, so a tap anywhere opens the job, as a row click does.
 */
export function JobCards({ jobs, dimmed, openable, fromList }: { jobs: JobSummaryJson[]; dimmed?: boolean; openable: boolean; fromList: boolean }) {
  return (
    <ul className={cn('flex flex-col gap-2 transition-opacity sm:hidden', dimmed && 'opacity-60')} aria-busy={dimmed || undefined} aria-label="Jobs">
      {jobs.map((job) => {
        const progress = jobProgress(job);
        return (
          <li
            key={job.id}
            data-testid="job-card"
            data-job-id={job.id}
            data-status={job.status}
            className="relative flex flex-col gap-1.5 rounded-lg border bg-card px-3 py-2.5 shadow-xs has-[a:hover]:bg-muted/60 has-[a:focus-visible]:ring-[3px] has-[a:focus-visible]:ring-ring/50"
          >
            <div className="flex items-center gap-2">
              <StatusDot status={job.status} />
              {openable ? (
                <RowLink
                  href={`/dashboard/jobs/${job.id}`}
                  onClick={() => fromList && rememberListUrl(job.id)}
                  className="font-mono text-[13px] text-primary outline-none after:absolute after:inset-0 after:rounded-lg"
                  aria-label={`Job ${job.id.slice(0, 8)}: ${job.url}`}
                >
                  {job.id.slice(0, 8)}…
                </RowLink>
              ) : (
                <span className="font-mono text-[13px]">{job.id.slice(0, 8)}…</span>
              )}
              {job.apiKey.test && (
                <Badge variant="warning" className="px-1 py-0 text-[10px]">
                  Test
                </Badge>
              )}
              <span className="ml-auto text-xs text-muted-foreground">
                <CreatedTime at={job.createdAt} />
              </span>
            </div>
            <UrlText url={job.url} title={job.url} />
            <div className="flex items-center gap-3 text-xs text-muted-foreground tabular">
              <span>{engineLabels[job.engine]}</span>
              <span>
                {job.credits} {job.credits === 1 ? 'credit' : 'credits'}
              </span>
              <span className="ml-auto" data-testid="job-duration">
                {job.status === 'processing' ? <RunningIndicator percent={progress?.percent ?? null} /> : durationText(job)}
              </span>
            </div>
          </li>
        );
      })}
    </ul>
  );
}
