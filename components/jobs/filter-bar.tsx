'use client';

import { XIcon } from 'lucide-react';
import type { ReactNode } from 'react';
import useSWR from 'swr';
import { fetcher } from '@/components/api/fetcher';
import { batchLabel, type BatchJson } from '@/components/batches/api-types';
import { Button } from '@/components/ui/button';
import { Label } from '@/components/ui/label';
import { Switch } from '@/components/ui/switch';
import { engineLabels, engines, jobStatuses } from '@/lib/jobs';
import { priorities, type Priority } from '@/lib/queue';
import type { ApiKeyJson, JobCountsJson } from './api-types';
import { DateRangeFilter } from './date-range-filter';
import { FilterSelect, type FilterOption } from './filter-select';
import { hasActiveFilters, normalizeNameFilter, normalizeTagFilter, type ListParams, type StatusFilter } from './list-params';
import { SearchInput } from './search-input';
import { statusLabels } from './status';

const priorityLabels: Record<Priority, string> = { low: 'Low', normal: 'Normal', high: 'High', urgent: 'Urgent' };

const sum = (values: (number | undefined)[]) => values.reduce<number>((total, n) => total + (n ?? 0), 0);

/**
 * Status, Engine, API Key, Priority, Date Range, Changed only, Search, Name and Tag (spec section 9, issues 6 and 16),
 * plus the batch as a chip when the list was opened from a batch: all ANDed, all in the URL.
 */
export function FilterBar({
  params,
  counts,
  keys,
  today,
  onChange,
  onClear,
  actions,
}: {
  params: ListParams;
  counts: JobCountsJson | undefined;
  keys: ApiKeyJson[];
  today: string;
  onChange: (patch: Partial<ListParams>) => void;
  onClear: () => void;
  /** Export and bulk actions, on the search row (spec section 9's layout). */
  actions?: ReactNode;
}) {
  const statusCounts = counts?.status;
  const statusOptions: FilterOption[] = [
    ...jobStatuses.map((status) => ({ value: status, label: statusLabels[status], count: statusCounts ? (statusCounts[status] ?? 0) : undefined })),
    {
      value: 'active',
      label: 'Active',
      count: statusCounts ? sum([statusCounts.queued, statusCounts.processing]) : undefined,
      separatorBefore: true,
    },
  ];
  const engineOptions: FilterOption[] = engines.map((engine) => ({
    value: engine,
    label: engineLabels[engine],
    count: counts ? (counts.engine[engine] ?? 0) : undefined,
  }));
  // Revoked keys come last with a suffix: historical jobs still reference them (spec section 9).
  const firstRevoked = keys.findIndex((key) => key.revoked);
  const keyOptions: FilterOption[] = keys.map((key, index) => ({
    value: key.id,
    label: `${key.name}${key.revoked ? ' (revoked)' : ''}`,
    count: counts ? (counts.key[key.id] ?? 0) : undefined,
    separatorBefore: index === firstRevoked && index > 0,
  }));
  // A key id in the URL that is not (yet) listed still shows as selected.
  if (params.key && !keys.some((key) => key.id === params.key)) keyOptions.push({ value: params.key, label: 'Unknown key' });

  return (
    <div className="flex flex-col gap-2.5 rounded-xl border bg-card p-3 shadow-xs" role="search" aria-label="Filter jobs">
      <div className="flex flex-wrap items-center gap-2">
        <FilterSelect
          name="Status"
          value={params.status}
          options={statusOptions}
          allCount={statusCounts ? sum(Object.values(statusCounts)) : undefined}
          onChange={(value) => onChange({ status: value as StatusFilter | undefined })}
        />
        <FilterSelect
          name="Engine"
          value={params.engine}
          options={engineOptions}
          allCount={counts ? sum(Object.values(counts.engine)) : undefined}
          onChange={(value) => onChange({ engine: value as ListParams['engine'] })}
        />
        <FilterSelect
          name="API Key"
          value={params.key}
          options={keyOptions}
          allCount={counts ? sum(Object.values(counts.key)) : undefined}
          onChange={(value) => onChange({ key: value })}
          className="max-w-64"
        />
        <FilterSelect
          name="Priority"
          value={params.priority}
          options={[...priorities].reverse().map((priority) => ({
            value: priority,
            label: priorityLabels[priority],
            count: counts?.priority ? (counts.priority[priority] ?? 0) : undefined,
          }))}
          allCount={counts?.priority ? sum(Object.values(counts.priority)) : undefined}
          onChange={(value) => onChange({ priority: value as Priority | undefined })}
        />
        <DateRangeFilter from={params.from} to={params.to} today={today} counts={counts?.date} onChange={(range) => onChange({ from: range.from, to: range.to })} />
        <div className="flex items-center gap-2">
          <Switch id="changed-only" checked={Boolean(params.changed)} onCheckedChange={(checked) => onChange({ changed: checked || undefined })} />
          <Label htmlFor="changed-only" className="text-sm font-normal" title="Runs that found their page changed or removed since the previous run (change tracking)">
            Changed only
          </Label>
        </div>
        {params.batch && <BatchChip id={params.batch} onClear={() => onChange({ batch: undefined })} />}
        {hasActiveFilters(params) && (
          <Button variant="link" size="sm" onClick={onClear} className="ml-auto">
            Clear all filters
          </Button>
        )}
      </div>
      <div className="flex flex-wrap items-center gap-2">
        <div className="min-w-0 flex-1 basis-56">
          <SearchInput applied={params.q} onSearch={(q) => onChange({ q })} />
        </div>
        <SearchInput
          applied={params.name}
          onSearch={(name) => onChange({ name })}
          label="Filter by name"
          clearLabel="Clear name filter"
          placeholder="Name..."
          minLength={1}
          normalize={normalizeNameFilter}
          compact
          className="w-36"
        />
        <SearchInput
          applied={params.tag}
          onSearch={(tag) => onChange({ tag })}
          label="Filter by tag"
          clearLabel="Clear tag filter"
          placeholder="Tags (a,b)..."
          minLength={1}
          normalize={normalizeTagFilter}
          invalidHint="a-z 0-9 - _ : ."
          compact
          className="w-36"
        />
        {actions}
      </div>
    </div>
  );
}

/** "Batch: <name or short id>" with a clear button; the name is read from the batch once. */
function BatchChip({ id, onClear }: { id: string; onClear: () => void }) {
  const batch = useSWR<BatchJson>(`/api/v1/batches/${id}`, fetcher, { revalidateOnFocus: false, shouldRetryOnError: false });
  const label = batch.data ? batchLabel(batch.data) : id.slice(0, 8);
  return (
    <span
      data-testid="batch-filter-chip"
      className="inline-flex h-8 max-w-64 items-center gap-1 rounded-md border bg-accent/60 pr-1 pl-2.5 text-sm"
      title={id}
    >
      <span className="text-muted-foreground">Batch:</span>
      <span className="truncate">{label}</span>
      <button
        type="button"
        aria-label="Clear batch filter"
        onClick={onClear}
        className="inline-flex size-6 shrink-0 items-center justify-center rounded text-muted-foreground hover:bg-accent hover:text-foreground focus-visible:ring-[3px] focus-visible:ring-ring/50 focus-visible:outline-none"
      >
        <XIcon className="size-3.5" />
      </button>
    </span>
  );
}
