'use client';

import { ArrowDownIcon, ArrowUpDownIcon, ArrowUpIcon, CircleDotIcon } from 'lucide-react';
import { useRouter } from 'next/navigation';
import type { KeyboardEvent, MouseEvent } from 'react';
import { Badge } from '@/components/ui/badge';
import { RowLink } from '@/components/ui/row-link';
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '@/components/ui/table';
import { Tooltip } from '@/components/ui/tooltip';
import { cn } from '@/components/ui/utils';
import { CreatedTime } from '@/components/time/created-time';
import { engineLabels } from '@/lib/jobs';
import type { SortColumn } from '@/lib/schemas/jobs';
import { jobProgress, type JobSummaryJson } from './api-types';
import { rememberListUrl } from './back-link';
import type { ListParams } from './list-params';
import { durationText, RunningIndicator } from './job-duration';
import { StatusDot } from './status';
import { UrlText } from './url-text';

type Column = { id: string; label: string; sort?: SortColumn; className: string };

// The widths of spec section 3; the URL takes the rest. Below 1024 px the API Key column gives its
// room to the URL (the job's page names the key), and below 640 px the rows become cards.
const columns: Column[] = [
  { id: 'status', label: 'Status', sort: 'status', className: 'w-[40px]' },
  { id: 'id', label: 'Job ID', className: 'w-[120px]' },
  { id: 'url', label: 'URL', className: 'w-auto' },
  { id: 'engine', label: 'Engine', sort: 'engine', className: 'w-[90px]' },
  { id: 'apiKey', label: 'API Key', sort: 'apiKey', className: 'hidden w-[110px] lg:table-cell' },
  { id: 'credits', label: 'Credits', sort: 'credits', className: 'w-[70px]' },
  { id: 'duration', label: 'Duration', sort: 'duration', className: 'w-[80px]' },
  { id: 'createdAt', label: 'Created', sort: 'createdAt', className: 'w-[140px]' },
];
const accountColumn: Column = { id: 'account', label: 'Account', className: 'w-[180px]' };

/** Row checkboxes (the admin page's bulk actions): the ids checked on this page. */
export type RowSelection = { selected: ReadonlySet<string>; onToggle: (id: string, checked: boolean) => void; onToggleAll: (checked: boolean) => void };

/**
 * The jobs table of spec section 3. With `sorting` its headers sort the list; without it (the
 * overview's recent jobs) they are plain labels and opening a job does not count as coming from
 * the list, so "Back to Jobs" opens the list rather than going back. The admin page adds row
 * checkboxes (`selection`) and an Account column, and its rows do not open (the job detail page
 * is the owner's). Its URLs come from every account, often the same host, so there the URL column
 * is wider and cut in the middle, keeping the path visible.
 */
export function JobsTable({
  jobs,
  sorting,
  dimmed,
  selection,
  showAccount = false,
  openable = true,
}: {
  jobs: (JobSummaryJson & { account?: { email: string } })[];
  sorting?: { params: ListParams; onSort: (column: SortColumn) => void };
  dimmed?: boolean;
  selection?: RowSelection;
  showAccount?: boolean;
  openable?: boolean;
}) {
  const fromList = sorting !== undefined;
  const router = useRouter();

  const visibleColumns = showAccount ? [...columns.slice(0, 3), accountColumn, ...columns.slice(3)] : columns;
  const columnClass = (id: string) => (id === 'apiKey' ? 'hidden lg:table-cell' : undefined);
  // Under 640 px each row is laid out as a card (status, id and time; the URL on its own line;
  // engine, credits and duration) by CSS alone, so there is one set of rows for every width. The
  // admin's table (checkboxes, an Account column) scrolls sideways instead.
  const cards = !selection && !showAccount;
  const allSelected = selection !== undefined && jobs.length > 0 && jobs.every((job) => selection.selected.has(job.id));

  const open = (id: string, event: MouseEvent | KeyboardEvent) => {
    if (!openable) return;
    const href = `/dashboard/jobs/${id}`;
    if (event.metaKey || event.ctrlKey || ('button' in event && event.button === 1)) {
      window.open(href, '_blank', 'noopener');
      return;
    }
    if (fromList) rememberListUrl(id);
    router.push(href);
  };

  // `relative` keeps the headers' absolutely placed sr-only text inside the scroller: without it a
  // table wider than the page (the admin's) widens the whole document.
  return (
    <div
      className={cn(
        'relative overflow-x-auto rounded-xl border bg-card shadow-xs',
        cards && 'max-sm:overflow-visible max-sm:rounded-none max-sm:border-0 max-sm:bg-transparent max-sm:shadow-none',
      )}
    >
      <Table
        className={cn(
          showAccount ? 'min-w-[1280px]' : 'min-w-[600px]',
          'table-fixed transition-opacity [&_td]:h-9 [&_td]:px-2 [&_th]:h-9 [&_th]:px-2',
          cards && 'max-sm:block max-sm:min-w-0 max-sm:[&_td]:h-auto max-sm:[&_td]:p-0',
          dimmed && 'opacity-60',
        )}
        aria-busy={dimmed || undefined}
        data-layout={cards ? 'cards-on-phones' : undefined}
      >
        <TableHeader className={cn('bg-muted/40', cards && 'max-sm:hidden')}>
          <TableRow className="hover:bg-transparent">
            {selection && (
              <TableHead className="w-[40px]">
                <input type="checkbox" aria-label="Select all jobs on this page" checked={allSelected} onChange={(event) => selection.onToggleAll(event.target.checked)} className="size-4 accent-primary" />
              </TableHead>
            )}
            {visibleColumns.map((column) => (
              <TableHead key={column.id} className={column.className} aria-sort={sorting ? ariaSort(sorting.params, column.sort) : undefined}>
                {column.sort && sorting ? (
                  <SortButton column={column} params={sorting.params} onSort={sorting.onSort} />
                ) : column.id === 'status' ? (
                  <StatusHeading label={column.label} />
                ) : (
                  column.label
                )}
              </TableHead>
            ))}
          </TableRow>
        </TableHeader>
        <TableBody className={cn(cards && 'max-sm:flex max-sm:flex-col max-sm:gap-2')}>
          {jobs.map((job) => {
            const progress = jobProgress(job);
            return (
              <TableRow
                key={job.id}
                data-testid="job-row"
                data-job-id={job.id}
                data-status={job.status}
                onClick={(event) => {
                  if ((event.target as HTMLElement).closest('a')) return;
                  open(job.id, event);
                }}
                onAuxClick={(event) => {
                  if (event.button === 1 && !(event.target as HTMLElement).closest('a')) open(job.id, event);
                }}
                // The whole row opens the job, so pointing at it prefetches the page (see RowLink).
                onMouseEnter={openable ? () => router.prefetch(`/dashboard/jobs/${job.id}`) : undefined}
                className={cn(
                  'hover:bg-muted/60',
                  openable && 'cursor-pointer',
                  selection?.selected.has(job.id) && 'bg-muted/40',
                  cards &&
                    'max-sm:grid max-sm:grid-cols-[1.25rem_auto_minmax(0,1fr)_auto] max-sm:items-center max-sm:gap-x-2 max-sm:gap-y-1 max-sm:rounded-lg max-sm:border-b-0 max-sm:bg-card max-sm:px-3 max-sm:py-2.5 max-sm:shadow-xs max-sm:ring-1 max-sm:ring-border max-sm:[grid-template-areas:"status_id_id_created"_"url_url_url_url"_"engine_engine_credits_duration"] max-sm:hover:bg-muted/60',
                )}
              >
                {selection && (
                  <TableCell>
                    <input
                      type="checkbox"
                      aria-label={`Select job ${job.id.slice(0, 8)}`}
                      checked={selection.selected.has(job.id)}
                      onClick={(event) => event.stopPropagation()}
                      onChange={(event) => selection.onToggle(job.id, event.target.checked)}
                      className="size-4 accent-primary"
                    />
                  </TableCell>
                )}
                <TableCell className={cn(cards && 'max-sm:flex max-sm:[grid-area:status]')}>
                  <StatusDot status={job.status} />
                </TableCell>
                <TableCell className={cn(cards && 'max-sm:[grid-area:id]')}>
                  <Tooltip content={<span className="font-mono">{job.id}</span>}>
                    {!openable ? (
                      <span className="font-mono text-[13px]">{job.id.slice(0, 8)}…</span>
                    ) : (
                      <RowLink
                        href={`/dashboard/jobs/${job.id}`}
                        onClick={() => fromList && rememberListUrl(job.id)}
                        className="rounded font-mono text-[13px] text-primary hover:underline focus-visible:ring-[3px] focus-visible:ring-ring/50 focus-visible:outline-none"
                      >
                        {job.id.slice(0, 8)}…
                      </RowLink>
                    )}
                  </Tooltip>
                </TableCell>
                <TableCell className={cn(cards && 'max-sm:block max-sm:[grid-area:url]')}>
                  <Tooltip content={<span className="break-all">{job.url}</span>}>
                    <UrlText url={job.url} />
                  </Tooltip>
                </TableCell>
                {showAccount && (
                  <TableCell>
                    <Tooltip content={job.account?.email}>
                      <span className="block truncate text-[13px]" data-testid="job-account">{job.account?.email}</span>
                    </Tooltip>
                  </TableCell>
                )}
                <TableCell className={cn('text-[13px]', cards && 'max-sm:text-xs max-sm:text-muted-foreground max-sm:[grid-area:engine]')}>{engineLabels[job.engine]}</TableCell>
                <TableCell className={columnClass('apiKey')}>
                  <span className="flex min-w-0 items-center gap-1.5 text-[13px]">
                    <Tooltip content={`${job.apiKey.name}${job.apiKey.revoked ? ' (revoked)' : ''}`}>
                      <span className={cn('truncate', job.apiKey.revoked && 'text-muted-foreground')}>
                        {job.apiKey.name}
                        {job.apiKey.revoked ? ' (revoked)' : ''}
                      </span>
                    </Tooltip>
                    {job.apiKey.test && (
                      <Badge variant="warning" className="px-1 py-0 text-[10px]">
                        Test
                      </Badge>
                    )}
                  </span>
                </TableCell>
                <TableCell className={cn('text-[13px] tabular', cards && 'max-sm:text-xs max-sm:text-muted-foreground max-sm:[grid-area:credits]')}>
                  {job.credits}
                  {cards && <span className="sm:hidden"> {job.credits === 1 ? 'credit' : 'credits'}</span>}
                </TableCell>
                <TableCell className={cn('text-[13px] tabular', cards && 'max-sm:flex max-sm:justify-end max-sm:text-xs max-sm:[grid-area:duration]')} data-testid="job-duration">
                  {job.status === 'processing' ? <RunningIndicator percent={progress?.percent ?? null} /> : durationText(job)}
                </TableCell>
                <TableCell className={cn('text-[13px]', cards && 'max-sm:text-right max-sm:text-xs max-sm:text-muted-foreground max-sm:[grid-area:created]')}>
                  <CreatedTime at={job.createdAt} />
                </TableCell>
              </TableRow>
            );
          })}
        </TableBody>
      </Table>
    </div>
  );
}

function ariaSort(params: ListParams, sort: SortColumn | undefined) {
  if (!sort || params.sort !== sort) return undefined;
  return params.order === 'asc' ? 'ascending' : 'descending';
}

function StatusHeading({ icon: Icon = CircleDotIcon, label }: { icon?: typeof CircleDotIcon; label: string }) {
  return (
    <>
      <Icon className="size-3.5" aria-hidden />
      <span className="sr-only">{label}</span>
    </>
  );
}

function SortButton({ column, params, onSort }: { column: Column; params: ListParams; onSort: (column: SortColumn) => void }) {
  const active = params.sort === column.sort;
  const Icon = !active ? ArrowUpDownIcon : params.order === 'asc' ? ArrowUpIcon : ArrowDownIcon;
  // The 40 px Status column has room for a dot, not the word: the word is its name and tooltip.
  const iconOnly = column.id === 'status';
  return (
    <button
      type="button"
      onClick={() => onSort(column.sort!)}
      title={iconOnly ? `Sort by ${column.label.toLowerCase()}` : undefined}
      className={cn(
        'group -ml-1 inline-flex max-w-full items-center gap-0.5 rounded px-1 py-1 hover:bg-accent hover:text-foreground focus-visible:ring-[3px] focus-visible:ring-ring/50 focus-visible:outline-none',
        active && 'text-foreground',
      )}
    >
      {iconOnly ? <StatusHeading icon={active ? Icon : CircleDotIcon} label={column.label} /> : column.label}
      {!iconOnly && <Icon className={cn('size-3 shrink-0', !active && 'hidden opacity-60 group-hover:inline group-focus-visible:inline')} aria-hidden />}
      <span className="sr-only">{active ? (params.order === 'asc' ? ', sorted ascending' : ', sorted descending') : ', sortable'}</span>
    </button>
  );
}
