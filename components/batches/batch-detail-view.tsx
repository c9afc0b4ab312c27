'use client';

import { BanIcon, ListIcon } from 'lucide-react';
import Link from 'next/link';
import { useCanChange } from '@/components/account/account-banner';
import { ApiClientError, fetcher } from '@/components/api/fetcher';
import { useCancelAction } from '@/components/api/use-cancel-action';
import { usePolling } from '@/components/api/use-polling';
import { RefreshIndicator, StaleBanner } from '@/components/jobs/live-status';
import { formatFull } from '@/components/time/format';
import { useTimeZone } from '@/components/time/time-context';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Card, CardContent, CardHeader, CardTitle } from '@/components/ui/card';
import { engineLabels } from '@/lib/jobs';
import { batchLabel, hasUnfinishedJobs, type BatchJson } from './api-types';
import { BatchCounts } from './batch-counts';
import { BatchJobs } from './batch-jobs';
import { BatchProgress } from './batch-progress';
import { BatchStatusBadge } from './batch-status';
import { BatchesBreadcrumb } from '@/components/shell/breadcrumb';
import { countOf } from '@/lib/format';
import { BatchUnavailable } from './batch-unavailable';
import { CancelBatchDialog } from './cancel-batch-dialog';

const credits = (n: number) => countOf(n, 'credit');

/** /dashboard/batches/{id}: the batch's live progress, its counts and credits, a cancel, and its jobs. */
export function BatchDetailView({ batch: initial, intervalMs }: { batch: BatchJson; intervalMs: number }) {
  const url = `/api/v1/batches/${initial.id}`;
  const live = usePolling<BatchJson>(url, fetcher, { intervalMs, isActive: hasUnfinishedJobs, fallbackData: initial });
  const batch = live.data ?? initial;
  const timeZone = useTimeZone();
  const canChange = useCanChange();
  const { dialog, setDialog, pending, cancel } = useCancelAction<BatchJson>({
    url,
    live,
    cancelled: (after) => `Batch cancelled: ${countOf(after.counts.cancelled - batch.counts.cancelled, 'job')} cancelled`,
    ended: 'Every job of this batch had already finished.',
  });

  if (live.error instanceof ApiClientError && (live.error.status === 404 || live.error.status === 403)) {
    return <BatchUnavailable reason={live.error.status === 404 ? 'not-found' : 'forbidden'} />;
  }

  const unfinished = hasUnfinishedJobs(batch);

  return (
    <div className="flex flex-col gap-5">
      <div className="flex flex-col gap-3">
        <div className="flex flex-wrap items-center justify-between gap-3">
          <BatchesBreadcrumb current={batchLabel(batch)} mono={!batch.name} />
          <RefreshIndicator live={unfinished && !live.stale} refreshing={live.isValidating} />
        </div>
        <div className="flex flex-wrap items-center justify-between gap-3">
          <h1 className="flex flex-wrap items-center gap-2 text-xl font-semibold tracking-tight">
            {batch.name ?? (
              <>
                <span>Batch</span>
                <span className="font-mono text-lg">{batch.id}</span>
              </>
            )}
            <BatchStatusBadge status={batch.status} counts={batch.counts} />
          </h1>
          <div className="flex items-center gap-2">
            <Button variant="outline" size="sm" asChild>
              <Link href={`/dashboard/jobs?batch=${batch.id}`}>
                <ListIcon />
                View jobs
              </Link>
            </Button>
            {unfinished && canChange && (
              <Button variant="destructive" size="sm" onClick={() => setDialog(true)} disabled={pending}>
                <BanIcon />
                Cancel batch
              </Button>
            )}
          </div>
        </div>
      </div>

      {live.stale && <StaleBanner onRefresh={() => void live.refresh()} refreshing={live.isValidating} />}

      <Card aria-labelledby="progress-title">
        <CardHeader>
          <CardTitle id="progress-title">Progress</CardTitle>
        </CardHeader>
        <CardContent className="flex flex-col gap-4">
          <BatchProgress counts={batch.counts} finished={batch.finished} total={batch.total} percent={batch.percent} />
          <BatchCounts counts={batch.counts} all className="text-sm" />
          <dl className="grid grid-cols-1 gap-x-8 gap-y-2 text-sm sm:grid-cols-[max-content_1fr]">
            <dt className="text-muted-foreground">Credits charged so far</dt>
            <dd className="font-medium tabular" data-testid="batch-credits-charged">
              {credits(batch.creditsCharged)}
            </dd>
            <dt className="text-muted-foreground">Credits reserved</dt>
            <dd className="tabular" data-testid="batch-credits-reserved">
              {credits(batch.creditsReserved)}
            </dd>
          </dl>
        </CardContent>
      </Card>

      <Card aria-labelledby="batch-overview-title">
        <CardHeader>
          <CardTitle id="batch-overview-title">Overview</CardTitle>
        </CardHeader>
        <CardContent>
          <dl className="grid grid-cols-1 gap-x-8 gap-y-3 text-sm sm:grid-cols-[max-content_1fr]">
            <dt className="text-muted-foreground">Batch ID</dt>
            <dd className="font-mono break-all">{batch.id}</dd>
            <dt className="text-muted-foreground">Engine</dt>
            <dd>{engineLabels[batch.engine]}</dd>
            <dt className="text-muted-foreground">Format</dt>
            <dd>{batch.config.format}</dd>
            <dt className="text-muted-foreground">Priority</dt>
            <dd>{batch.priority[0].toUpperCase() + batch.priority.slice(1)}</dd>
            {batch.tags.length > 0 && (
              <>
                <dt className="text-muted-foreground">Tags</dt>
                <dd className="flex flex-wrap gap-1.5">
                  {batch.tags.map((tag) => (
                    <Badge key={tag} variant="secondary" className="font-mono">
                      {tag}
                    </Badge>
                  ))}
                </dd>
              </>
            )}
            <dt className="text-muted-foreground">Created</dt>
            <dd>{formatFull(batch.createdAt, timeZone)}</dd>
            {batch.cancelledAt && (
              <>
                <dt className="text-muted-foreground">Cancelled</dt>
                <dd>{formatFull(batch.cancelledAt, timeZone)}</dd>
              </>
            )}
            {batch.completedAt && (
              <>
                <dt className="text-muted-foreground">Completed</dt>
                <dd>{formatFull(batch.completedAt, timeZone)}</dd>
              </>
            )}
            {batch.webhookUrl && (
              <>
                <dt className="text-muted-foreground">Webhook</dt>
                <dd className="font-mono break-all">{batch.webhookUrl}</dd>
              </>
            )}
          </dl>
        </CardContent>
      </Card>

      <BatchJobs batchId={batch.id} intervalMs={intervalMs} active={unfinished} />

      <CancelBatchDialog batch={batch} open={dialog} pending={pending} onOpenChange={setDialog} onConfirm={() => void cancel()} />
    </div>
  );
}
