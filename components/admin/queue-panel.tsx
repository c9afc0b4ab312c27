'use client';

import { StaleBanner } from '@/components/jobs/live-status';
import { Badge } from '@/components/ui/badge';
import { Card, CardContent, CardHeader, CardTitle } from '@/components/ui/card';
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '@/components/ui/table';
import { formatBytes, formatWait } from '@/lib/format';
import { engineLabels, engines } from '@/lib/jobs';
import type { AdminOverviewResponse } from '@/lib/schemas/admin';
import { PanelPlaceholder } from './panel-state';
import { useAdminOverview } from './use-overview';

type Worker = AdminOverviewResponse['workers'][number];

const statusBadge: Record<Worker['status'], { label: string; variant: 'secondary' | 'outline' | 'destructive' }> = {
  alive: { label: 'Alive', variant: 'secondary' },
  stopped: { label: 'Stopped', variant: 'outline' },
  gone: { label: 'Gone', variant: 'destructive' },
};

const age = (seconds: number) => (seconds < 1 ? 'now' : `${formatWait(seconds * 1000)} ago`);

/** Queue & workers: every account's queue per engine, throughput, stuck jobs and each worker's heartbeat and load. */
export function QueuePanel({ intervalMs }: { intervalMs: number }) {
  const overview = useAdminOverview(intervalMs);
  const data = overview.data;
  if (!data) return <PanelPlaceholder error={overview.error} label="the queue" />;
  const totalRunning = data.workers.filter((w) => w.status === 'alive').reduce((sum, w) => sum + w.running, 0);
  const totalSlots = data.workers.filter((w) => w.status === 'alive').reduce((sum, w) => sum + engines.reduce((n, e) => n + (w.concurrency[e] ?? 0), 0), 0);

  return (
    <div className="flex flex-col gap-4">
      {overview.stale && <StaleBanner onRefresh={() => void overview.refresh()} refreshing={overview.isValidating} />}
      <div className="grid gap-4 md:grid-cols-3">
        <Card>
          <CardHeader>
            <CardTitle>Throughput</CardTitle>
          </CardHeader>
          <CardContent>
            <p className="text-2xl font-semibold tabular" data-testid="jobs-per-minute">
              {data.jobsPerMinute.toLocaleString('en-US')} <span className="text-sm font-normal text-muted-foreground">jobs/min (last 5 min)</span>
            </p>
          </CardContent>
        </Card>
        <Card>
          <CardHeader>
            <CardTitle>Running</CardTitle>
          </CardHeader>
          <CardContent>
            <p className="text-2xl font-semibold tabular">
              {totalRunning} <span className="text-sm font-normal text-muted-foreground">of {totalSlots} slots on live workers</span>
            </p>
          </CardContent>
        </Card>
        <Card>
          <CardHeader>
            <CardTitle>Stuck jobs</CardTitle>
          </CardHeader>
          <CardContent>
            <p className="text-2xl font-semibold tabular" data-testid="stuck-jobs">
              {data.stuckJobs.count}
              {data.stuckJobs.oldestLeaseExpiredSeconds !== null && (
                <span className="text-sm font-normal text-muted-foreground"> lease lapsed {age(data.stuckJobs.oldestLeaseExpiredSeconds)}</span>
              )}
            </p>
            <p className="mt-1 text-xs text-muted-foreground">Processing with a lapsed lease; a live worker recovers them.</p>
          </CardContent>
        </Card>
      </div>

      <Card>
        <CardHeader>
          <CardTitle>Queue (all accounts)</CardTitle>
        </CardHeader>
        <CardContent>
          <Table aria-label="Queue per engine">
            <TableHeader>
              <TableRow>
                <TableHead>Engine</TableHead>
                <TableHead>Queued</TableHead>
                <TableHead>Processing</TableHead>
                <TableHead>Oldest queued</TableHead>
              </TableRow>
            </TableHeader>
            <TableBody>
              {data.queue.map((row) => (
                <TableRow key={row.engine} data-testid="queue-row" data-engine={row.engine}>
                  <TableCell>{engineLabels[row.engine]}</TableCell>
                  <TableCell className="tabular">{row.queued}</TableCell>
                  <TableCell className="tabular">{row.processing}</TableCell>
                  <TableCell className="tabular">{row.oldestQueuedAgeSeconds === null ? '--' : formatWait(row.oldestQueuedAgeSeconds * 1000)}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </CardContent>
      </Card>

      <Card>
        <CardHeader>
          <CardTitle>Workers</CardTitle>
        </CardHeader>
        <CardContent>
          {data.workers.length === 0 ? (
            <p className="text-sm text-muted-foreground">No worker has been heard from in the last hour. Jobs stay queued until one starts.</p>
          ) : (
            <div className="overflow-x-auto">
              <Table aria-label="Workers">
                <TableHeader>
                  <TableRow>
                    <TableHead>Status</TableHead>
                    <TableHead>Worker</TableHead>
                    <TableHead>Heartbeat</TableHead>
                    <TableHead>Running</TableHead>
                    <TableHead>Concurrency</TableHead>
                    <TableHead>Memory</TableHead>
                    <TableHead>Started</TableHead>
                  </TableRow>
                </TableHeader>
                <TableBody>
                  {data.workers.map((worker) => (
                    <TableRow key={worker.id} data-testid="worker-row" data-status={worker.status}>
                      <TableCell>
                        <Badge variant={statusBadge[worker.status].variant}>{statusBadge[worker.status].label}</Badge>
                      </TableCell>
                      <TableCell>
                        <span className="block font-mono text-xs">{worker.hostname}</span>
                        <span className="block text-xs text-muted-foreground">pid {worker.pid}</span>
                      </TableCell>
                      <TableCell className="tabular">{age(worker.heartbeatAgeSeconds)}</TableCell>
                      <TableCell className="tabular">{worker.running}</TableCell>
                      <TableCell className="text-xs">{engines.map((engine) => `${engineLabels[engine]} ${worker.concurrency[engine] ?? 0}`).join(' · ')}</TableCell>
                      <TableCell className="tabular text-xs">
                        {formatBytes(worker.rssBytes)} RSS · {formatBytes(worker.heapBytes)} heap
                      </TableCell>
                      <TableCell className="tabular text-xs">{age(Math.floor((Date.parse(worker.heartbeatAt) - Date.parse(worker.startedAt)) / 1000) + worker.heartbeatAgeSeconds)}</TableCell>
                    </TableRow>
                  ))}
                </TableBody>
              </Table>
            </div>
          )}
        </CardContent>
      </Card>
    </div>
  );
}
