'use client';

import { LayersIcon } from 'lucide-react';
import Link from 'next/link';
import { RowLink } from '@/components/ui/row-link';
import { useSearchParams } from 'next/navigation';
import { useCallback, useMemo } from 'react';
import { fetcher } from '@/components/api/fetcher';
import { useFetchOnMount, usePolling } from '@/components/api/use-polling';
import { RefreshIndicator, StaleBanner } from '@/components/jobs/live-status';
import { Pagination } from '@/components/jobs/pagination';
import { CreatedTime } from '@/components/time/created-time';
import { Button } from '@/components/ui/button';
import { EmptyState } from '@/components/ui/empty-state';
import { ListError, ListSkeleton } from '@/components/ui/list-states';
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '@/components/ui/table';
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

  return (
    <div className="flex flex-col gap-4">
      <div className="flex items-center gap-3">
        <h1 className="text-2xl font-semibold tracking-tight">Batches</h1>
        <RefreshIndicator live={list.active && !list.stale} refreshing={list.isValidating && Boolean(data)} />
      </div>

      {list.stale && data && <StaleBanner onRefresh={() => void list.refresh()} refreshing={list.isValidating} />}

      {!data && list.error ? (
        <ListError what="batches" onRetry={() => void list.refresh()} retrying={list.isValidating} />
      ) : !data ? (
        <ListSkeleton what="batches" rows={6} rowClassName="h-10" />
      ) : data.total === 0 ? (
        <EmptyState icon={<LayersIcon />} message="No batches yet. Submit many URLs at once with POST /api/v1/batches to see them here.">
          <Button variant="outline" asChild>
            <Link href="/docs#tag/Batches">View API Documentation</Link>
          </Button>
        </EmptyState>
      ) : (
        <>
          <div className="overflow-x-auto rounded-xl border bg-card shadow-xs">
            <Table className="min-w-[760px]">
              <TableHeader className="bg-muted/40">
                <TableRow className="hover:bg-transparent">
                  <TableHead className="w-[22%]">Batch</TableHead>
                  <TableHead className="w-[14%]">Created</TableHead>
                  <TableHead className="w-[8%]">Engine</TableHead>
                  <TableHead className="w-[220px]">Progress</TableHead>
                  <TableHead>Jobs</TableHead>
                  <TableHead className="w-[10%]">Status</TableHead>
                </TableRow>
              </TableHeader>
              <TableBody>
                {data.data.map((batch) => (
                  <TableRow key={batch.id} data-testid="batch-row" data-batch-id={batch.id}>
                    <TableCell>
                      <RowLink
                        href={`/dashboard/batches/${batch.id}`}
                        className={`block truncate text-primary hover:underline ${batch.name ? '' : 'font-mono'}`}
                        title={batch.name ?? batch.id}
                      >
                        {batchLabel(batch)}
                      </RowLink>
                    </TableCell>
                    <TableCell className="text-[13px]">
                      <CreatedTime at={batch.createdAt} />
                    </TableCell>
                    <TableCell className="text-[13px]">{engineLabels[batch.engine]}</TableCell>
                    <TableCell>
                      <BatchProgress counts={batch.counts} finished={batch.finished} total={batch.total} percent={batch.percent} size="sm" />
                    </TableCell>
                    <TableCell>
                      <BatchCounts counts={batch.counts} />
                    </TableCell>
                    <TableCell>
                      <BatchStatusBadge status={batch.status} counts={batch.counts} />
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
