'use client';

import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import useSWR from 'swr';
import { apiFetch, fetcher } from '@/components/api/fetcher';
import { useApiAction } from '@/components/api/use-api-action';
import { Breadcrumb } from '@/components/shell/breadcrumb';
import { Button } from '@/components/ui/button';
import { Card, CardContent, CardHeader, CardTitle } from '@/components/ui/card';
import { ConfirmDialog } from '@/components/ui/confirm-dialog';
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '@/components/ui/table';
import { engineLabels } from '@/lib/jobs';
import type { ScheduleResponse, ScheduleRunListResponse, ScheduleRunResponse } from '@/lib/schemas/schedules';
import { countOf } from '@/lib/format';
import { PauseResumeButton, RunOutcomeBadge, ScheduleStatusBadge, ViewerTime, scheduleApiUrl, scheduleRunsApiUrl } from './schedule-bits';

/** /dashboard/schedules/{id}: the definition, its next runs, and the run history linking to what each run made. */
export function ScheduleDetailView({ schedule: initial, runs: initialRuns, intervalMs }: { schedule: ScheduleResponse; runs: ScheduleRunListResponse; intervalMs: number }) {
  const router = useRouter();
  const options = { refreshInterval: intervalMs, refreshWhenHidden: false };
  const schedule = useSWR<ScheduleResponse>(scheduleApiUrl(initial.id), fetcher, { ...options, fallbackData: initial }).data ?? initial;
  const runs = useSWR<ScheduleRunListResponse>(scheduleRunsApiUrl(initial.id), fetcher, { ...options, fallbackData: initialRuns }).data ?? initialRuns;
  const [confirming, setConfirming] = useState(false);
  const remove = useApiAction('Could not delete the schedule. Try again.');
  const target = schedule.target;

  return (
    <div className="flex flex-col gap-5">
      <Breadcrumb section={{ label: 'Schedules', href: '/dashboard/schedules' }} current={schedule.name} />
      <div className="flex flex-wrap items-center gap-3">
        <h1 className="text-2xl font-semibold tracking-tight">{schedule.name}</h1>
        <ScheduleStatusBadge status={schedule.status} />
        <div className="ml-auto flex gap-2">
          <PauseResumeButton schedule={schedule} size="default" />
          <Button variant="outline" asChild>
            <Link href={`/dashboard/schedules/${schedule.id}/edit`}>Edit</Link>
          </Button>
          <Button variant="destructive" onClick={() => setConfirming(true)}>
            Delete
          </Button>
        </div>
      </div>

      <div className="grid gap-5 md:grid-cols-2">
        <Card>
          <CardHeader>
            <CardTitle>Definition</CardTitle>
          </CardHeader>
          <CardContent>
            <dl className="grid grid-cols-[9rem_1fr] gap-x-3 gap-y-2 text-sm">
              <dt className="text-muted-foreground">When</dt>
              <dd>
                {schedule.description ?? schedule.cron} <span className="font-mono text-xs text-muted-foreground">({schedule.cron})</span>
              </dd>
              <dt className="text-muted-foreground">Time zone</dt>
              <dd>{schedule.timezone}</dd>
              <dt className="text-muted-foreground">Overlap</dt>
              <dd>{schedule.overlap === 'skip' ? 'Skip while the previous run is unfinished' : 'Run anyway'}</dd>
              <dt className="text-muted-foreground">Each run</dt>
              <dd className="min-w-0 break-all">
                {target.type === 'batch' ? `A batch of ${target.urls.length} URLs` : <span className="font-mono text-[13px]">{target.url}</span>}
                {target.type === 'crawl' && (
                  <span className="block text-xs text-muted-foreground" data-testid="schedule-crawl-limits">
                    A crawl of up to {countOf(target.maxPages, 'page')}, {countOf(target.maxDepth, 'link')} deep
                  </span>
                )}
                <span className="block text-xs text-muted-foreground">
                  {engineLabels[target.engine]} engine · {target.format}
                </span>
              </dd>
            </dl>
          </CardContent>
        </Card>
        <Card>
          <CardHeader>
            <CardTitle>Next runs</CardTitle>
          </CardHeader>
          <CardContent>
            {schedule.nextRuns.length === 0 ? (
              <p className="text-sm text-muted-foreground">Paused: no runs until it is resumed.</p>
            ) : (
              <ol className="flex flex-col gap-1 text-sm" data-testid="schedule-next-runs">
                {schedule.nextRuns.map((time) => (
                  <li key={time}>
                    <ViewerTime at={time} />
                  </li>
                ))}
              </ol>
            )}
          </CardContent>
        </Card>
      </div>

      <Card>
        <CardHeader>
          <CardTitle>Run history</CardTitle>
        </CardHeader>
        <CardContent>
          {runs.total === 0 ? (
            <p className="text-sm text-muted-foreground" data-testid="no-runs">
              No runs yet.
            </p>
          ) : (
            <Table>
              <TableHeader>
                <TableRow className="hover:bg-transparent">
                  <TableHead>Scheduled for</TableHead>
                  <TableHead>Ran at</TableHead>
                  <TableHead>Outcome</TableHead>
                  <TableHead>Created</TableHead>
                  <TableHead>Reason</TableHead>
                </TableRow>
              </TableHeader>
              <TableBody>
                {runs.data.map((run) => (
                  <TableRow key={run.id} data-testid="schedule-run-row">
                    <TableCell className="text-[13px]">
                      <ViewerTime at={run.scheduledFor} />
                    </TableCell>
                    <TableCell className="text-[13px]">
                      <ViewerTime at={run.ranAt} />
                    </TableCell>
                    <TableCell>
                      <RunOutcomeBadge outcome={run.outcome} />
                    </TableCell>
                    <TableCell className="text-[13px]">
                      <RunLink run={run} />
                    </TableCell>
                    <TableCell className="text-[13px] text-muted-foreground">{run.reason ?? ''}</TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          )}
        </CardContent>
      </Card>

      <ConfirmDialog
        open={confirming}
        onOpenChange={setConfirming}
        testId="delete-schedule-dialog"
        title="Delete this schedule?"
        description="It stops running and its run history is deleted. The jobs, batches and crawls it created stay."
        confirmLabel="Delete schedule"
        pending={remove.pending}
        onConfirm={() =>
          remove.run(async () => {
            await apiFetch(scheduleApiUrl(schedule.id), { method: 'DELETE' });
            router.push('/dashboard/schedules');
            router.refresh();
          })
        }
      />
    </div>
  );
}

function RunLink({ run }: { run: ScheduleRunResponse }) {
  if (run.jobId) {
    return (
      <Link href={`/dashboard/jobs/${run.jobId}`} className="font-mono text-primary hover:underline">
        Job {run.jobId.slice(0, 8)}
      </Link>
    );
  }
  if (run.batchId) {
    return (
      <Link href={`/dashboard/batches/${run.batchId}`} className="font-mono text-primary hover:underline">
        Batch {run.batchId.slice(0, 8)}
      </Link>
    );
  }
  if (run.crawlId) {
    return (
      <Link href={`/dashboard/crawls/${run.crawlId}`} className="font-mono text-primary hover:underline">
        Crawl {run.crawlId.slice(0, 8)}
      </Link>
    );
  }
  return <span className="text-muted-foreground">—</span>;
}
