'use client';

import type { ReactNode } from 'react';
import { Button } from '@/components/ui/button';
import { engineLabels, engines, jobStatuses } from '@/lib/jobs';
import type { ApiKeyJson, JobCountsJson } from './api-types';
import { DateRangeFilter } from './date-range-filter';
import { FilterSelect, type FilterOption } from './filter-select';
import { hasActiveFilters, type ListParams, type StatusFilter } from './list-params';
import { SearchInput } from './search-input';
import { statusLabels } from './status';

const sum = (values: (number | undefined)[]) => values.reduce<number>((total, n) => total + (n ?? 0), 0);

/** Status, Engine, API Key, Date Range and Search (spec section 9), all ANDed, all in the URL. */
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
        <DateRangeFilter from={params.from} to={params.to} today={today} counts={counts?.date} onChange={(range) => onChange({ from: range.from, to: range.to })} />
        {hasActiveFilters(params) && (
          <Button variant="link" size="sm" onClick={onClear} className="ml-auto">
            Clear all filters
          </Button>
        )}
      </div>
      <div className="flex flex-wrap items-center gap-2">
        <div className="min-w-0 flex-1 basis-72">
          <SearchInput applied={params.q} onSearch={(q) => onChange({ q })} />
        </div>
        {actions}
      </div>
    </div>
  );
}
