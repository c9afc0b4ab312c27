'use client';

import { useEffect } from 'react';
import useSWR from 'swr';
import { useCanChange } from '@/components/account/account-banner';
import { ListError, ListSkeleton } from '@/components/ui/list-states';
import { fetcher } from '@/components/api/fetcher';
import { useKeptData } from '@/components/api/use-kept-data';
import { useFetchOnMount, usePolling } from '@/components/api/use-polling';
import { useJobToasts } from '@/components/webhooks/use-job-toasts';
import { useNow, useTimeZoneOffset } from '@/components/time/time-context';
import { localToday } from '@/lib/date-ranges';
import { isTerminal } from '@/lib/jobs';
import type { ApiKeyListJson, JobCountsJson, JobListJson } from './api-types';
import { DeleteMatchingButton } from './delete-matching-dialog';
import { ExportMenu } from './export-menu';
import { FilterBar } from './filter-bar';
import { JobsTable } from './jobs-table';
import { ListEmptyState } from './list-empty-state';
import { ListSummary } from './list-summary';
import { NewJobButton } from './new-job-button';
import { clearedFilters, countsApiUrl, jobsApiUrl, nextSort } from './list-params';
import { RefreshIndicator, StaleBanner } from './live-status';
import { Pagination } from './pagination';
import { useListParams } from './use-list-params';

const hasActiveJob = (list: JobListJson) => list.data.some((job) => !isTerminal(job.status));

/**
 * /dashboard/jobs (spec sections 3, 8, 9, 12). The URL holds the state; SWR holds the data and
 * polls every `intervalMs` only while the current page shows a queued or processing job.
 */
export function JobsListView({ intervalMs }: { intervalMs: number }) {
  const { params, navigate, update } = useListParams();
  const tz = useTimeZoneOffset();
  const now = useNow();
  const today = localToday(tz, now);

  const listUrl = jobsApiUrl(params, tz);
  const countsUrl = countsApiUrl(params, tz);
  // The server rendered the first page from the same queries a moment ago: no fetch on mount.
  const list = usePolling<JobListJson>(listUrl, fetcher, { intervalMs, isActive: hasActiveJob, revalidateOnMount: useFetchOnMount(listUrl) });
  // A toast when a job on this page finishes while the user watches.
  useJobToasts(list.data?.data);
  const counts = useSWR<JobCountsJson>(countsUrl, fetcher, {
    keepPreviousData: true,
    refreshInterval: list.active ? intervalMs : 0,
    refreshWhenHidden: false,
    revalidateOnFocus: false,
    revalidateOnMount: useFetchOnMount(countsUrl),
  });
  const canChange = useCanChange();
  const keys = useSWR<ApiKeyListJson>('/api/v1/keys', fetcher, { revalidateOnFocus: false, revalidateOnMount: useFetchOnMount('/api/v1/keys') });

  const data = useKeptData(list);
  // A page past the end (a filter shrank the list, or a deletion) goes to the last page; the
  // server already did this for the page's first load (app/dashboard/jobs/page.tsx).
  const current = list.data;
  useEffect(() => {
    if (current && current.data.length === 0 && current.total > 0 && params.page > current.totalPages) {
      navigate({ ...params, page: current.totalPages }, { replace: true });
    }
  }, [current, params, navigate]);

  return (
    <div className="flex flex-col gap-4">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <div className="flex items-center gap-3">
          <h1 className="text-2xl font-semibold tracking-tight">Jobs</h1>
          <RefreshIndicator live={list.active && !list.stale} refreshing={list.isValidating && Boolean(data)} />
        </div>
        <NewJobButton />
      </div>

      <FilterBar
        params={params}
        counts={counts.data}
        keys={keys.data?.data ?? []}
        today={today}
        onChange={(patch) => update(patch)}
        onClear={() => navigate(clearedFilters(params))}
        actions={
          <>
            {/* Spec section 13: nothing to export when the filtered list is empty. */}
            <ExportMenu params={params} disabled={!list.data || list.data.total === 0} />
            {canChange && (
              <DeleteMatchingButton
                params={params}
                disabled={!list.data || list.data.total === 0}
                onDeleted={() => {
                  void list.mutate();
                  void counts.mutate();
                }}
              />
            )}
          </>
        }
      />

      {params.dateIssue && (
        <p role="alert" data-testid="date-range-problem" className="rounded-lg border border-amber-200 bg-amber-50 px-4 py-2.5 text-sm text-amber-900">
          Date filter not applied: {params.dateIssue} Showing jobs from all dates; the other filters still apply.
        </p>
      )}

      {list.stale && data && <StaleBanner onRefresh={() => void list.refresh()} refreshing={list.isValidating} />}

      {!data && list.error ? (
        <ListError what="jobs" onRetry={() => void list.refresh()} retrying={list.isValidating} />
      ) : !data ? (
        <ListSkeleton what="jobs" rows={8} />
      ) : data.total === 0 ? (
        <ListEmptyState
          params={params}
          onAction={(action) => {
            if (action === 'clear-all') navigate(clearedFilters(params));
            else if (action === 'clear-date') update({ from: undefined, to: undefined });
            else update({ q: undefined });
          }}
        />
      ) : (
        <>
          <ListSummary list={data} />
          <JobsTable jobs={data.data} dimmed={!list.data} sorting={{ params, onSort: (column) => update(nextSort(params, column)) }} />
          <Pagination
            page={params.page}
            totalPages={data.totalPages}
            size={params.size}
            onPage={(page) => update({ page })}
            onSize={(size) => update({ size })}
          />
        </>
      )}
    </div>
  );
}
