'use client';

import { CalendarClockIcon } from 'lucide-react';
import Link from 'next/link';
import useSWR from 'swr';
import { fetcher } from '@/components/api/fetcher';
import { Button } from '@/components/ui/button';
import { EmptyState } from '@/components/ui/empty-state';
import { ListError } from '@/components/ui/list-states';
import { RowLink } from '@/components/ui/row-link';
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '@/components/ui/table';
import type { ScheduleListResponse } from '@/lib/schemas/schedules';
import { PauseResumeButton, RunOutcomeBadge, ScheduleStatusBadge, ViewerTime, schedulesApiUrl } from './schedule-bits';

/** /dashboard/schedules: the account's schedules with their next run (in the viewer's zone) and last outcome. */
export function SchedulesListView({ initial, intervalMs }: { initial: ScheduleListResponse; intervalMs: number }) {
  const list = useSWR<ScheduleListResponse>(schedulesApiUrl, fetcher, { fallbackData: initial, refreshInterval: intervalMs, refreshWhenHidden: false });
  const data = list.data;
  return (
    <div className="flex flex-col gap-4">
      <div className="flex items-center justify-between gap-3">
        <h1 className="text-2xl font-semibold tracking-tight">Schedules</h1>
        <Button asChild>
          <Link href="/dashboard/schedules/new">New schedule</Link>
        </Button>
      </div>
      {!data && list.error ? (
        <ListError what="schedules" onRetry={() => void list.mutate()} retrying={list.isValidating} />
      ) : !data || data.total === 0 ? (
        <EmptyState icon={<CalendarClockIcon />} message="No schedules yet. A schedule runs a job or a batch on a cron expression.">
          <Button variant="outline" asChild>
            <Link href="/dashboard/schedules/new">Create a schedule</Link>
          </Button>
        </EmptyState>
      ) : (
        <div className="overflow-x-auto rounded-xl border bg-card shadow-xs">
          <Table className="min-w-[860px]">
            <TableHeader className="bg-muted/40">
              <TableRow className="hover:bg-transparent">
                <TableHead className="w-[22%]">Schedule</TableHead>
                <TableHead>When</TableHead>
                <TableHead className="w-[20%]">Next run</TableHead>
                <TableHead className="w-[10%]">Last run</TableHead>
                <TableHead className="w-[9%]">Status</TableHead>
                <TableHead className="w-[9%]" />
              </TableRow>
            </TableHeader>
            <TableBody>
              {data.data.map((schedule) => (
                <TableRow key={schedule.id} data-testid="schedule-row" data-schedule-id={schedule.id}>
                  <TableCell>
                    <RowLink href={`/dashboard/schedules/${schedule.id}`} className="block truncate text-primary hover:underline" title={schedule.name}>
                      {schedule.name}
                    </RowLink>
                  </TableCell>
                  <TableCell className="text-[13px]">
                    <span className="block">{schedule.description ?? schedule.cron}</span>
                    <span className="font-mono text-xs text-muted-foreground">
                      {schedule.cron} · {schedule.timezone}
                    </span>
                  </TableCell>
                  <TableCell className="text-[13px]" data-testid="schedule-next-run">
                    <ViewerTime at={schedule.nextRunAt} />
                  </TableCell>
                  <TableCell>{schedule.lastRun ? <RunOutcomeBadge outcome={schedule.lastRun.outcome} /> : <span className="text-muted-foreground">—</span>}</TableCell>
                  <TableCell>
                    <ScheduleStatusBadge status={schedule.status} />
                  </TableCell>
                  <TableCell className="text-right">
                    <PauseResumeButton schedule={schedule} />
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </div>
      )}
    </div>
  );
}
