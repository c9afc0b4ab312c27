'use client';

import { AlertCircleIcon, LayersIcon, RotateCwIcon } from 'lucide-react';
import Link from 'next/link';
import { useSearchParams } from 'next/navigation';
import { useCallback, useMemo } from 'react';
import { fetcher } from '@/components/api/fetcher';
import { useFetchOnMount, usePolling } from '@/components/api/use-polling';
import { RefreshIndicator, StaleBanner } from '@/components/jobs/live-status';
import { Pagination } from '@/components/jobs/pagination';
import { formatAbsolute, formatCreated, formatFull } from '@/components/time/format';
import { useNow, useTimeZone } from '@/components/time/time-context';
import { Button } from '@/components/ui/button';
import { Skeleton } from '@/components/ui/skeleton';
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '@/components/ui/table';
import { Tooltip } from '@/components/ui/tooltip';
import { engineLabels } from '@/lib/jobs';
import { batchLabel, type BatchListJson } from './api-types';
import { batchesApiUrl, parseBatchListParams, type BatchListParams } from './list-params';
import { BatchCounts } from './batch-counts';
import { BatchProgress } from './batch-progress';
import { BatchStatusBadge } from './batch-status';

const hasActiveBatch = (list: BatchListJson) => list.data.some((batch) => batch.status === 'active');

/** /dashboard/batches: the account's batches, newest first, live while one of the page's batches runs. */
export function BatchesListView({ intervalMs }: { intervalMs: number }) {
  const searchParams = useSearchParams();
  const params = useMemo(() => parseBatchListParams(searchParams), [searchParams]);
  const navigate = useCallback((next: BatchListParams) => {
    const query = new URLSearchParams();
    if (next.page > 1) query.set('page', String(next.page));
    if (next.size !== 25) query.set('size', String(next.size));
    const text = query.toString();
    window.history.pushState(null, '', `${window.location.pathname}${text ? `?${text}` : ''}`);
  }, []);
  const url = batchesApiUrl(params);
  const list = usePolling<BatchListJson>(url, fetcher, { intervalMs, isActive: hasActiveBatch, keepPreviousData: true, revalidateOnMount: useFetchOnMount(url) });
  const data = list.data;
  const now = useNow();
  const timeZone = useTimeZone();

  return (
    <div className="flex flex-col gap-4">
      <div className="flex items-center gap-3">
        <h1 className="text-2xl font-semibold tracking-tight">Batches</h1>
        <RefreshIndicator live={list.active && !list.stale} refreshing={list.isValidating && Boolean(data)} />
      </div>

      {list.stale && data && <StaleBanner onRefresh={() => void list.refresh()} refreshing={list.isValidating} />}

      {!data && list.error ? (
        <div role="alert" className="flex flex-col items-center gap-4 rounded-xl border bg-card px-6 py-16 text-center">
          <AlertCircleIcon className="size-6 text-destructive" />
          <p className="text-sm">Unable to load batches. Please try again.</p>
          <Button variant="outline" size="sm" onClick={() => void list.refresh()} disabled={list.isValidating}>
            <RotateCwIcon className={list.isValidating ? 'animate-spin' : undefined} />
            Retry
          </Button>
        </div>
      ) : !data ? (
        <div className="flex flex-col gap-2 rounded-xl border bg-card p-4" aria-busy="true" aria-label="Loading batches">
          {Array.from({ length: 6 }, (_, i) => (
            <Skeleton key={i} className="h-10 w-full" />
          ))}
        </div>
      ) : data.total === 0 ? (
        <div data-testid="empty-state" className="flex flex-col items-center justify-center gap-4 rounded-xl border border-dashed bg-card px-6 py-16 text-center">
          <div className="flex size-11 items-center justify-center rounded-full bg-muted text-muted-foreground">
            <LayersIcon className="size-5" />
          </div>
          <p className="max-w-md text-sm">No batches yet. Submit many URLs at once with POST /api/v1/batches to see them here.</p>
          <Button variant="outline" asChild>
            <Link href="/docs#tag/Batches">View API Documentation</Link>
          </Button>
        </div>
      ) : (
        <>
          <div className="overflow-x-auto rounded-xl border bg-card shadow-xs">
            <Table className="min-w-[760px]">
              <TableHeader className="bg-muted/40">
                <TableRow className="hover:bg-transparent">
                  <TableHead className="w-[22%]">Batch</TableHead>
                  <TableHead className="w-[14%]">Created</TableHead>
                  <TableHead className="w-[8%]">Engine</TableHead>
                  <TableHead className="w-[22%]">Progress</TableHead>
                  <TableHead>Jobs</TableHead>
                  <TableHead className="w-[10%]">Status</TableHead>
                </TableRow>
              </TableHeader>
              <TableBody>
                {data.data.map((batch) => (
                  <TableRow key={batch.id} data-testid="batch-row" data-batch-id={batch.id}>
                    <TableCell>
                      <Link
                        href={`/dashboard/batches/${batch.id}`}
                        className={`block truncate text-primary hover:underline ${batch.name ? '' : 'font-mono'}`}
                        title={batch.name ?? batch.id}
                      >
                        {batchLabel(batch)}
                      </Link>
                    </TableCell>
                    <TableCell className="text-[13px]">
                      <Tooltip content={formatFull(batch.createdAt, timeZone)}>
                        <span className="block truncate" data-absolute={formatAbsolute(batch.createdAt, timeZone)}>
                          {formatCreated(batch.createdAt, now, timeZone)}
                        </span>
                      </Tooltip>
                    </TableCell>
                    <TableCell className="text-[13px]">{engineLabels[batch.engine]}</TableCell>
                    <TableCell>
                      <BatchProgress finished={batch.finished} total={batch.total} percent={batch.percent} working={batch.counts.processing > 0} size="sm" />
                    </TableCell>
                    <TableCell>
                      <BatchCounts counts={batch.counts} />
                    </TableCell>
                    <TableCell>
                      <BatchStatusBadge status={batch.status} />
                    </TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          </div>
          <Pagination
            page={params.page}
            totalPages={data.totalPages}
            size={params.size}
            onPage={(page) => navigate({ ...params, page })}
            onSize={(size) => navigate({ page: 1, size })}
          />
        </>
      )}
    </div>
  );
}
