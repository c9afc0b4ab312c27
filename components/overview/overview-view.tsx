'use client';

import { ArrowRightIcon, BookOpenIcon, InboxIcon } from 'lucide-react';
import Link from 'next/link';
import { useCanChange } from '@/components/account/account-banner';
import { fetcher } from '@/components/api/fetcher';
import { useFetchOnMount, usePolling } from '@/components/api/use-polling';
import { Button } from '@/components/ui/button';
import { Card, CardContent, CardHeader, CardTitle } from '@/components/ui/card';
import { Skeleton } from '@/components/ui/skeleton';
import { useNow, useTimeZoneOffset } from '@/components/time/time-context';
import { localToday, presetRange } from '@/lib/date-ranges';
import { formatDuration } from '@/lib/format';
import type { StatsJson } from '../jobs/api-types';
import { JobsTable } from '../jobs/jobs-table';
import { NewJobButton } from '../jobs/new-job-button';
import { RefreshIndicator, StaleBanner } from '../jobs/live-status';
import { QueueStatsPanel } from '../queue/queue-stats-panel';
import { JobsPerDayChart } from './jobs-per-day-chart';
import { StatCard } from './stat-card';
import { statsApiUrl } from './stats-url';

const count = (n: number) => n.toLocaleString('en-US');

/**
 * /dashboard: the account's figures, jobs per day for 30 days and the latest jobs (spec 002
 * section 1.1). Live, at the list's interval, while any job is queued or processing.
 */
export function OverviewView({ intervalMs }: { intervalMs: number }) {
  const tz = useTimeZoneOffset();
  const now = useNow();
  const key = statsApiUrl(tz);
  const stats = usePolling<StatsJson>(key, fetcher, { intervalMs, isActive: (data) => data.activeNow > 0, revalidateOnMount: useFetchOnMount(key) });
  const canChange = useCanChange();
  const data = stats.data;

  // The 30-day cards open the list filtered the same way: "Last 30 days" in the viewer's timezone.
  const last30 = new URLSearchParams(presetRange('last30', localToday(tz, now)));
  const listUrl = (query: Record<string, string>) => `/dashboard/jobs?${new URLSearchParams(query)}`;

  return (
    <div className="flex flex-col gap-5">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <div className="flex items-center gap-3">
          <h1 className="text-2xl font-semibold tracking-tight">Dashboard</h1>
          <RefreshIndicator live={stats.active && !stats.stale} refreshing={stats.isValidating && Boolean(data)} />
        </div>
        <NewJobButton />
      </div>

      {stats.stale && data && <StaleBanner onRefresh={() => void stats.refresh()} refreshing={stats.isValidating} />}

      {!data ? (
        <OverviewSkeleton failed={Boolean(stats.error)} onRetry={() => void stats.refresh()} />
      ) : (
        <>
          <section aria-label="Statistics" className="grid grid-cols-2 gap-3 md:grid-cols-4">
            <StatCard id="totalJobs" label="Total jobs" value={count(data.totalJobs)} hint="All time" href="/dashboard/jobs" />
            <StatCard
              id="activeNow"
              label="Active now"
              tone={data.activeNow > 0 ? 'live' : undefined}
              value={count(data.activeNow)}
              hint={`${count(data.queued)} queued · ${count(data.processing)} running`}
              href={listUrl({ status: 'active' })}
            />
            <StatCard
              id="completed30d"
              label="Completed"
              tone="good"
              value={count(data.completed30d)}
              hint="Last 30 days"
              href={listUrl({ status: 'completed', ...Object.fromEntries(last30) })}
            />
            <StatCard
              id="failed30d"
              label="Failed"
              tone="bad"
              value={count(data.failed30d)}
              hint="Last 30 days"
              href={listUrl({ status: 'failed', ...Object.fromEntries(last30) })}
            />
            <StatCard id="queued" label="Queued" value={count(data.queued)} hint="Waiting for a worker" href={listUrl({ status: 'queued' })} />
            <StatCard id="creditsUsed30d" label="Credits used" value={count(data.creditsUsed30d)} hint="Last 30 days" href="/dashboard/billing" />
            <StatCard
              id="successRate30d"
              label="Success rate"
              value={data.successRate30d === null ? '—' : `${(data.successRate30d * 100).toFixed(1)}%`}
              hint={data.successRate30d === null ? 'Nothing finished yet' : 'Last 30 days'}
              title="Completed jobs out of completed and failed ones, last 30 days"
              href={listUrl(Object.fromEntries(last30))}
            />
            <StatCard
              id="avgDuration30d"
              label="Average duration"
              value={data.avgDurationMs30d === null ? '—' : formatDuration(data.avgDurationMs30d)}
              hint="Last 30 days"
              title="How long completed and failed jobs ran, last 30 days"
              href={listUrl({ sort: 'duration', order: 'desc', ...Object.fromEntries(last30) })}
            />
          </section>

          <QueueStatsPanel intervalMs={intervalMs} />

          <Card aria-labelledby="per-day-title">
            <CardHeader>
              <CardTitle id="per-day-title">Jobs per day</CardTitle>
              <span className="text-xs text-muted-foreground">Last 30 days, by status</span>
            </CardHeader>
            <CardContent>
              <JobsPerDayChart perDay={data.perDay} />
            </CardContent>
          </Card>

          <Card aria-labelledby="recent-title">
            <CardHeader>
              <CardTitle id="recent-title">Recent jobs</CardTitle>
              {data.recent.length > 0 && (
                <Button variant="link" size="sm" asChild className="ml-auto">
                  <Link href="/dashboard/jobs">
                    View all jobs
                    <ArrowRightIcon />
                  </Link>
                </Button>
              )}
            </CardHeader>
            <CardContent className="p-0">
              {data.recent.length === 0 ? (
                <div data-testid="empty-state" className="flex flex-col items-center gap-4 px-6 py-12 text-center">
                  <div className="flex size-11 items-center justify-center rounded-full bg-muted text-muted-foreground">
                    <InboxIcon className="size-5" />
                  </div>
                  <p className="max-w-md text-sm">No scraping jobs yet. Submit your first API request to see jobs appear here.</p>
                  <div className="flex flex-wrap justify-center gap-2">
                    {canChange && <NewJobButton />}
                    <Button variant="outline" asChild>
                      <Link href="/docs">
                        <BookOpenIcon />
                        API documentation
                      </Link>
                    </Button>
                  </div>
                </div>
              ) : (
                <div className="[&>div]:rounded-none [&>div]:border-0 [&>div]:shadow-none" data-testid="recent-jobs">
                  <JobsTable jobs={data.recent} />
                </div>
              )}
            </CardContent>
          </Card>
        </>
      )}
    </div>
  );
}

function OverviewSkeleton({ failed, onRetry }: { failed: boolean; onRetry: () => void }) {
  if (failed) {
    return (
      <div role="alert" className="flex flex-col items-center gap-4 rounded-xl border bg-card px-6 py-16 text-center">
        <p className="text-sm">Unable to load your statistics. Please try again.</p>
        <Button variant="outline" size="sm" onClick={onRetry}>
          Try again
        </Button>
      </div>
    );
  }
  return (
    <div className="grid grid-cols-2 gap-3 md:grid-cols-4" aria-busy="true" aria-label="Loading statistics">
      {Array.from({ length: 8 }, (_, i) => (
        <Skeleton key={i} className="h-24" />
      ))}
    </div>
  );
}
