'use client';

import { useState } from 'react';
import { fetcher } from '@/components/api/fetcher';
import { usePolling } from '@/components/api/use-polling';
import { FilterSelect } from '@/components/jobs/filter-select';
import type { PageSize } from '@/components/jobs/list-params';
import { Pagination } from '@/components/jobs/pagination';
import { SearchInput } from '@/components/jobs/search-input';
import { usePages } from '@/components/jobs/use-pages';
import { formatFull } from '@/components/time/format';
import { useTimeZone } from '@/components/time/time-context';
import { NoMatches } from '@/components/ui/list-states';
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '@/components/ui/table';
import { Tooltip } from '@/components/ui/tooltip';
import { cn } from '@/components/ui/utils';
import { uuidPattern } from '@/lib/jobs';
import type { AuditListResponse } from '@/lib/schemas/admin';
import { PanelPlaceholder } from './panel-state';

type Entry = AuditListResponse['data'][number];

const actionOptions = [
  { value: 'job.', label: 'Any job action' },
  { value: 'job.create', label: 'job.create' },
  { value: 'job.cancel', label: 'job.cancel' },
  { value: 'job.retry', label: 'job.retry' },
  { value: 'job.delete', label: 'job.delete' },
  { value: 'jobs.', label: 'Many jobs (bulk, delete by filter)', separatorBefore: true },
  { value: 'batch.', label: 'Batches' },
  { value: 'key.', label: 'API keys', separatorBefore: true },
  { value: 'credits.', label: 'Credits' },
  { value: 'account.', label: 'Accounts (role, suspension)' },
];

const actorLabels: Record<Entry['actor']['type'], string> = {
  user: 'User',
  api_key: 'API key',
  admin: 'Admin',
  operator: 'Operator',
  system: 'System',
};

function auditUrl({ page, size, account, action, target }: { page: number; size: PageSize; account?: string; action?: string; target?: string }) {
  const query = new URLSearchParams({ page: String(page), size: String(size) });
  if (account) query.set('account', account);
  if (action) query.set('action', action);
  if (target) query.set('target', target);
  return `/api/v1/admin/audit?${query}`;
}

/** A UUID as its first 8 characters (as the jobs list shows ids); anything else as it is. */
const shortId = (id: string) => (uuidPattern.test(id) ? `${id.slice(0, 8)}…` : id);

function targetText(entry: Entry): string {
  if (entry.target.id === null) return entry.target.type === 'jobs' ? 'jobs (see details)' : entry.target.type;
  return `${entry.target.type.replace('_', ' ')} ${shortId(entry.target.id)}`;
}


/** `newJobId` → "New job ID", `balanceAfter` → "Balance after". */
function detailLabel(key: string): string {
  const words = key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/_/g, ' ')
    .toLowerCase()
    .replace(/\bids\b/g, 'IDs')
    .replace(/\bid\b/g, 'ID');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** What a detail reads as in the cell (ids shortened, numbers grouped) and in full in its title. */
function detailValue(value: unknown): { text: string; full: string; mono: boolean } {
  if (value === null || value === undefined) return { text: '--', full: 'none', mono: false };
  if (typeof value === 'number') return { text: value.toLocaleString('en-US'), full: String(value), mono: false };
  if (typeof value === 'string') return { text: shortId(value), full: value, mono: uuidPattern.test(value) };
  if (Array.isArray(value) && value.every((item) => typeof item === 'string')) {
    const shown = value.slice(0, 3).map(shortId).join(', ');
    const text = value.length > 3 ? `${shown} +${value.length - 3} more` : shown || '--';
    return { text, full: value.join('\n'), mono: value.some((item) => uuidPattern.test(item)) };
  }
  // Anything nested (a bulk action's filter) as its JSON: the last resort, still readable in the title.
  return { text: JSON.stringify(value), full: JSON.stringify(value, null, 2), mono: true };
}

/** An entry's details as "Key: value" lines rather than raw JSON; long values truncate, in full on hover. */
function AuditDetails({ details }: { details: Record<string, unknown> }) {
  return (
    <dl className="flex flex-col gap-0.5 text-muted-foreground" data-testid="audit-details">
      {Object.entries(details).map(([key, raw]) => {
        const value = detailValue(raw);
        return (
          <div key={key} className="flex min-w-0 gap-1.5">
            <dt className="shrink-0">{detailLabel(key)}:</dt>
            <dd className={cn('truncate text-foreground/80', value.mono && 'font-mono text-[11px] leading-4', typeof raw === 'number' && 'tabular')} title={value.full}>
              {value.text}
            </dd>
          </div>
        );
      })}
    </dl>
  );
}

/** Audit log: who changed which job, key, credits or role, newest first, with filters and pages. */
export function AuditLogView({ intervalMs }: { intervalMs: number }) {
  const timeZone = useTimeZone();
  const [filters, setFilters] = useState<{ account?: string; action?: string; target?: string }>({});
  const { page, size, setPage, pagination } = usePages();
  const filter = (patch: Partial<typeof filters>) => {
    setFilters((current) => ({ ...current, ...patch }));
    setPage(1);
  };
  const list = usePolling<AuditListResponse>(auditUrl({ page, size, ...filters }), fetcher, { intervalMs, isActive: () => page === 1, keepPreviousData: true });
  const data = list.data;

  return (
    <div className="flex flex-col gap-4">
      <div className="flex flex-wrap items-center gap-2 rounded-xl border bg-card p-3 shadow-xs" role="search" aria-label="Filter the audit log">
        <FilterSelect name="Action" value={filters.action} options={actionOptions} onChange={(action) => filter({ action })} />
        <SearchInput
          applied={filters.account}
          onSearch={(account) => filter({ account })}
          label="Filter by account"
          clearLabel="Clear account filter"
          placeholder="Account email or ID..."
          minLength={1}
          className="w-full sm:w-80"
        />
        <SearchInput
          applied={filters.target}
          onSearch={(target) => filter({ target })}
          label="Filter by target ID"
          clearLabel="Clear target filter"
          placeholder="Job or key ID..."
          minLength={1}
          className="w-full sm:w-80"
        />
      </div>

      {!data ? (
        <PanelPlaceholder error={list.error} label="the audit log" />
      ) : data.total === 0 ? (
        <NoMatches>No audit entries match these filters.</NoMatches>
      ) : (
        <>
          <div className="overflow-x-auto rounded-xl border bg-card shadow-xs">
            <Table aria-label="Audit log" className="min-w-[900px] table-fixed">
              <TableHeader className="bg-muted/40">
                <TableRow className="hover:bg-transparent">
                  <TableHead className="w-[170px]">Time</TableHead>
                  <TableHead className="w-[170px]">Actor</TableHead>
                  <TableHead className="w-[140px]">Action</TableHead>
                  <TableHead className="w-[130px]">Target</TableHead>
                  <TableHead className="w-[160px]">Account</TableHead>
                  <TableHead>Details</TableHead>
                </TableRow>
              </TableHeader>
              <TableBody>
                {data.data.map((entry) => (
                  <TableRow key={entry.id} data-testid="audit-row" data-action={entry.action}>
                    <TableCell className="text-xs">{formatFull(entry.createdAt, timeZone)}</TableCell>
                    <TableCell className="text-xs">
                      <span className="font-medium">{actorLabels[entry.actor.type]}</span>
                      {entry.actor.email && <span className="block truncate text-muted-foreground">{entry.actor.email}</span>}
                    </TableCell>
                    <TableCell className="font-mono text-xs">{entry.action}</TableCell>
                    <TableCell className="text-xs">
                      <Tooltip content={<span className="font-mono">{entry.target.id ?? entry.target.type}</span>}>
                        <span className="block truncate font-mono">{targetText(entry)}</span>
                      </Tooltip>
                    </TableCell>
                    <TableCell className="truncate text-xs">{entry.account?.email ?? '--'}</TableCell>
                    <TableCell className="py-2 text-xs">{entry.details && Object.keys(entry.details).length > 0 ? <AuditDetails details={entry.details} /> : '--'}</TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          </div>
          <Pagination {...pagination} totalPages={data.totalPages} />
        </>
      )}
    </div>
  );
}
