'use client';

import { BanIcon, RotateCcwIcon } from 'lucide-react';
import { useEffect, useMemo, useState } from 'react';
import { fetcher } from '@/components/api/fetcher';
import { useKeptData } from '@/components/api/use-kept-data';
import { usePolling } from '@/components/api/use-polling';
import { FilterBar } from '@/components/jobs/filter-bar';
import { JobsTable } from '@/components/jobs/jobs-table';
import { clearedFilters, nextSort } from '@/components/jobs/list-params';
import { RefreshIndicator, StaleBanner } from '@/components/jobs/live-status';
import { ListSummary } from '@/components/jobs/list-summary';
import { Pagination } from '@/components/jobs/pagination';
import { SearchInput } from '@/components/jobs/search-input';
import { useListParams } from '@/components/jobs/use-list-params';
import { useNow, useTimeZoneOffset } from '@/components/time/time-context';
import { Button } from '@/components/ui/button';
import { ListError, ListSkeleton, NoMatches } from '@/components/ui/list-states';
import { localToday } from '@/lib/date-ranges';
import { isTerminal } from '@/lib/jobs';
import type { AdminJobListResponse, BulkAction } from '@/lib/schemas/admin';
import { countOf } from '@/lib/format';
import { adminJobFilter, adminJobsApiUrl } from './admin-urls';
import { BulkActionDialog, type BulkTarget } from './bulk-action-dialog';

const hasActiveJob = (list: AdminJobListResponse) => list.data.some((job) => !isTerminal(job.status));
const jobs = (n: number) => countOf(n, 'job');

/**
 * The admin's jobs list: every account's jobs with the jobs list's filters, sorting and pages
 * (the same URL state), an account filter, and bulk Cancel / Retry on the checked rows or on
 * everything the filters match.
 */
export function AdminJobsView({ intervalMs }: { intervalMs: number }) {
  const { params, navigate, update } = useListParams();
  const tz = useTimeZoneOffset();
  const today = localToday(tz, useNow());
  const [account, setAccount] = useState<string | undefined>(undefined);

  const listUrl = adminJobsApiUrl(params, tz, account);
  const list = usePolling<AdminJobListResponse>(listUrl, fetcher, { intervalMs, isActive: hasActiveJob });
  const data = useKeptData(list);

  // A selection belongs to one view of the list: changing a filter or the page clears it.
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [allMatching, setAllMatching] = useState(false);
  const [action, setAction] = useState<BulkAction | null>(null);
  useEffect(() => {
    setSelected(new Set());
    setAllMatching(false);
  }, [listUrl]);

  const pageIds = data?.data.map((job) => job.id) ?? [];
  const allOnPage = pageIds.length > 0 && pageIds.every((id) => selected.has(id));
  const selectionCount = allMatching ? (data?.total ?? 0) : selected.size;
  const target: BulkTarget = useMemo(
    () => (allMatching ? { filter: adminJobFilter(params, tz, account) } : { ids: [...selected] }),
    [allMatching, params, tz, account, selected],
  );

  return (
    <div className="flex flex-col gap-4">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <div className="flex items-center gap-3">
          <h2 className="text-lg font-semibold">All accounts&apos; jobs</h2>
          <RefreshIndicator live={list.active && !list.stale} refreshing={list.isValidating && Boolean(data)} />
        </div>
        <SearchInput
          applied={account}
          onSearch={(term) => {
            setAccount(term);
            navigate({ ...params, page: 1 });
          }}
          label="Filter by account"
          clearLabel="Clear account filter"
          placeholder="Account email or ID..."
          minLength={1}
          className="w-full sm:w-72"
        />
      </div>

      <FilterBar
        params={params}
        counts={undefined}
        keys={[]}
        today={today}
        onChange={(patch) => update(patch)}
        onClear={() => {
          setAccount(undefined);
          navigate(clearedFilters(params));
        }}
      />

      {list.stale && data && <StaleBanner onRefresh={() => void list.refresh()} refreshing={list.isValidating} />}

      {selectionCount > 0 && (
        <div role="region" aria-label="Bulk actions" className="flex flex-wrap items-center gap-3 rounded-xl border bg-muted/40 px-4 py-2.5 text-sm">
          <span className="font-medium" data-testid="selection-summary">
            {allMatching ? `All ${jobs(selectionCount)} matching the filters are selected` : `${selectionCount.toLocaleString('en-US')} selected`}
          </span>
          {!allMatching && allOnPage && data && data.total > pageIds.length && (
            <Button variant="link" size="sm" className="h-auto p-0" onClick={() => setAllMatching(true)}>
              Select all {jobs(data.total)} matching the filters
            </Button>
          )}
          <div className="ml-auto flex items-center gap-2">
            <Button variant="outline" size="sm" onClick={() => setAction('cancel')} className="text-destructive hover:text-destructive">
              <BanIcon />
              Cancel
            </Button>
            <Button variant="outline" size="sm" onClick={() => setAction('retry')}>
              <RotateCcwIcon />
              Retry
            </Button>
            <Button
              variant="ghost"
              size="sm"
              onClick={() => {
                setSelected(new Set());
                setAllMatching(false);
              }}
            >
              Clear selection
            </Button>
          </div>
        </div>
      )}

      {!data && list.error ? (
        <ListError what="jobs" onRetry={() => void list.refresh()} retrying={list.isValidating} />
      ) : !data ? (
        <ListSkeleton what="jobs" rows={8} />
      ) : data.total === 0 ? (
        <NoMatches>No jobs match these filters.</NoMatches>
      ) : (
        <>
          <ListSummary list={data} />
          <JobsTable
            jobs={data.data}
            dimmed={!list.data}
            sorting={{ params, onSort: (column) => update(nextSort(params, column)) }}
            showAccount
            openable={false}
            selection={{
              selected: allMatching ? new Set(pageIds) : selected,
              onToggle: (id, checked) => {
                setAllMatching(false);
                setSelected((current) => {
                  const next = new Set(allMatching ? pageIds : current);
                  if (checked) next.add(id);
                  else next.delete(id);
                  return next;
                });
              },
              onToggleAll: (checked) => {
                setAllMatching(false);
                setSelected(checked ? new Set(pageIds) : new Set());
              },
            }}
          />
          <Pagination page={params.page} totalPages={data.totalPages} size={params.size} onPage={(page) => update({ page })} onSize={(size) => update({ size })} />
        </>
      )}

      <BulkActionDialog
        action={action}
        target={target}
        onOpenChange={(open) => !open && setAction(null)}
        onDone={() => {
          setSelected(new Set());
          setAllMatching(false);
          void list.mutate();
        }}
      />
    </div>
  );
}
