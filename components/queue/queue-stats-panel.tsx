'use client';

import { TriangleAlertIcon } from 'lucide-react';
import { fetcher } from '@/components/api/fetcher';
import { usePolling } from '@/components/api/use-polling';
import { Button } from '@/components/ui/button';
import { Card, CardContent, CardHeader, CardTitle } from '@/components/ui/card';
import { Skeleton } from '@/components/ui/skeleton';
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '@/components/ui/table';
import { cn } from '@/components/ui/utils';
import { formatWait } from '@/lib/format';
import { engineLabels } from '@/lib/jobs';
import { formatRate, toQueuePanelData, type QueuePanelData } from './queue-data';
import { WorkerList } from './worker-list';

const alwaysActive = () => true;

/**
 * The queue at a glance: queued and processing jobs per engine with the oldest wait, jobs per
 * minute, the workers (alive with their load and memory, gone ones marked) and jobs stuck on a
 * lost worker. Polls `endpoint` (GET /api/v1/stats/queue by default; the admin overview has the
 * same parts) every `intervalMs` while the tab is visible: workers come and go even when no job
 * of the viewer's is active, so it never stops.
 */
export function QueueStatsPanel({
  endpoint = '/api/v1/stats/queue',
  intervalMs = 5000,
  title = 'Queue',
  description = 'Your queued and running jobs; workers are shared',
  noWorkers,
}: {
  endpoint?: string;
  intervalMs?: number;
  title?: string;
  description?: string;
  /** What an empty worker list says (the endpoint decides how far back workers are listed). */
  noWorkers?: string;
}) {
  const stats = usePolling<Parameters<typeof toQueuePanelData>[0]>(endpoint, fetcher, { intervalMs, isActive: alwaysActive });
  const data = stats.data ? toQueuePanelData(stats.data) : undefined;
  return (
    <Card aria-labelledby="queue-panel-title" data-testid="queue-panel">
      <CardHeader>
        <CardTitle id="queue-panel-title">{title}</CardTitle>
        <span className="text-xs text-muted-foreground">{description}</span>
        {data && (
          <span className="ml-auto text-sm text-muted-foreground" data-testid="queue-jobs-per-minute" title="Jobs completed or failed in the last 5 minutes, per minute">
            <span className="font-semibold text-foreground tabular">{formatRate(data.jobsPerMinute)}</span> jobs/min
          </span>
        )}
      </CardHeader>
      <CardContent className="flex flex-col gap-4">
        {!data ? (
          stats.error ? (
            <div role="alert" className="flex items-center justify-between gap-3 text-sm">
              Unable to load the queue.
              <Button variant="outline" size="sm" onClick={() => void stats.refresh()}>
                Try again
              </Button>
            </div>
          ) : (
            <Skeleton className="h-40" aria-busy="true" aria-label="Loading the queue" />
          )
        ) : (
          <>
            <RecoveryNotice stuck={data.stuckJobs} recovering={data.recoveringJobs} />
            <EngineTable engines={data.engines} />
            <WorkerList workers={data.workers} empty={noWorkers} />
          </>
        )}
      </CardContent>
    </Card>
  );
}

function EngineTable({ engines }: { engines: QueuePanelData['engines'] }) {
  return (
    // Fits a phone: tighter cells, and headers that may wrap, below 640 px.
    <Table className="[&_td]:px-2 [&_th]:px-2 [&_th]:whitespace-normal sm:[&_td]:px-3 sm:[&_th]:px-3 sm:[&_th]:whitespace-nowrap">
      <TableHeader>
        <TableRow>
          <TableHead>Engine</TableHead>
          <TableHead className="text-right">Queued</TableHead>
          <TableHead className="text-right">Processing</TableHead>
          <TableHead className="text-right">Oldest queued</TableHead>
        </TableRow>
      </TableHeader>
      <TableBody>
        {engines.map((row) => (
          <TableRow key={row.engine} data-testid={`queue-engine-${row.engine}`}>
            <TableCell>{engineLabels[row.engine]}</TableCell>
            <TableCell className="text-right tabular" data-testid="queued">
              {row.queued.toLocaleString('en-US')}
            </TableCell>
            <TableCell className="text-right tabular" data-testid="processing">
              {row.processing.toLocaleString('en-US')}
            </TableCell>
            <TableCell className="text-right tabular text-muted-foreground" data-testid="oldest-queued">
              {row.oldestQueuedAgeSeconds === null ? '—' : formatWait(row.oldestQueuedAgeSeconds * 1000)}
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}

/** Jobs whose worker vanished: stuck (lease lapsed, no live worker has swept yet) in the warning colour. */
function RecoveryNotice({ stuck, recovering }: { stuck: QueuePanelData['stuckJobs']; recovering?: QueuePanelData['recoveringJobs'] }) {
  const waiting = recovering?.count ?? 0;
  return (
    <p
      role={stuck.count > 0 ? 'alert' : undefined}
      data-testid="queue-stuck"
      data-count={stuck.count}
      className={cn(
        'flex items-start gap-2 text-sm',
        stuck.count > 0 && 'rounded-md border border-amber-300 bg-amber-50 px-3 py-2 text-amber-900',
        stuck.count === 0 && waiting > 0 && 'rounded-md border px-3 py-2',
        stuck.count === 0 && 'text-muted-foreground',
      )}
    >
      {stuck.count > 0 && <TriangleAlertIcon className="mt-0.5 size-4 shrink-0" aria-hidden />}
      <span>
        <span className="font-semibold tabular">{stuck.count.toLocaleString('en-US')}</span> stuck{' '}
        {stuck.count === 1 ? 'job' : 'jobs'}
        {stuck.count > 0 && stuck.oldestLeaseExpiredSeconds !== null
          ? ` — the oldest lease lapsed ${formatWait(stuck.oldestLeaseExpiredSeconds * 1000)} ago; a live worker recovers them`
          : ''}
        {waiting > 0 &&
          ` · ${waiting.toLocaleString('en-US')} on a gone worker, recovered within ${formatWait((recovering?.withinSeconds ?? 0) * 1000)}`}
      </span>
    </p>
  );
}
