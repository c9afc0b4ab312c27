'use client';

import { DownloadIcon } from 'lucide-react';
import { useSearchParams } from 'next/navigation';
import { useEffect, useMemo, useRef } from 'react';
import { fetcher } from '@/components/api/fetcher';
import { useFetchOnMount, usePolling } from '@/components/api/use-polling';
import { ChoiceSelect } from '@/components/jobs/new/form-parts';
import { Pagination } from '@/components/jobs/pagination';
import { Button } from '@/components/ui/button';
import { ListError, ListSkeleton, NoMatches } from '@/components/ui/list-states';
import { RowLink } from '@/components/ui/row-link';
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '@/components/ui/table';
import { cn } from '@/components/ui/utils';
import { statusBadgeColors } from '@/components/jobs/status';
import { crawlPageOutcomes, crawlSkipReasons, type CrawlPageOutcome, type CrawlSkipReason } from '@/lib/schemas/crawls';
import type { CrawlPageJson, CrawlPageListJson } from './api-types';
import { outcomeLabels, skipReasonLabels } from './labels';
import { ledgerApiUrl, ledgerCsvUrl, ledgerQuery, parseLedgerParams, type LedgerParams } from './ledger-params';
import { pushQuery } from './list-params';

const all = 'all';
const outcomeOptions = [all, ...crawlPageOutcomes] as const;
const reasonOptions = [all, ...crawlSkipReasons] as const;

function OutcomeBadge({ outcome }: { outcome: CrawlPageOutcome }) {
  const color = outcome === 'skipped' ? 'border-gray-200 bg-card text-muted-foreground' : statusBadgeColors[outcome];
  return (
    <span data-testid="ledger-outcome" className={cn('inline-flex w-fit items-center rounded-md border px-2 py-0.5 text-xs font-medium whitespace-nowrap', color)}>
      {outcomeLabels[outcome]}
    </span>
  );
}

/** What went wrong with a page, if anything: why it was skipped, or its error type (the message on hover). */
function PageProblem({ row }: { row: CrawlPageJson }) {
  if (row.skipReason) return <span>{skipReasonLabels[row.skipReason]}</span>;
  if (row.errorType) return <span className="font-mono text-xs" title={row.errorMessage ?? undefined}>
        {row.errorType}
      </span>;
  return <span className="text-muted-foreground">—</span>;
}

/**
 * The crawl's per-page ledger: every URL it found with its depth, outcome and skip reason or
 * error type, linked to its page job; filtered by outcome, skip reason and depth (in the page's
 * URL), paginated, and exported as CSV with the same filters. Live while the crawl is.
 */
export function CrawlLedger({ crawlId, intervalMs, live, depths }: { crawlId: string; intervalMs: number; live: boolean; depths: number[] }) {
  const searchParams = useSearchParams();
  const params = useMemo(() => parseLedgerParams(searchParams), [searchParams]);
  const url = ledgerApiUrl(crawlId, params);
  const list = usePolling<CrawlPageListJson>(url, fetcher, { intervalMs, isActive: () => live, keepPreviousData: true, revalidateOnMount: useFetchOnMount(url) });
  const data = list.data;
  const { refresh } = list;

  // The crawl's last poll can see it end after the ledger's last poll: read the ledger once more.
  const wasLive = useRef(live);
  useEffect(() => {
    if (wasLive.current && !live) void refresh();
    wasLive.current = live;
  }, [live, refresh]);

  const navigate = (next: LedgerParams) => pushQuery(ledgerQuery(next));
  const filtered = Boolean(params.outcome || params.reason || params.depth !== undefined);
  const depthOptions = [all, ...new Set([...depths, ...(params.depth === undefined ? [] : [params.depth])].map(String))];
  const depthLabels = Object.fromEntries([[all, 'All depths'], ...depthOptions.slice(1).map((d) => [d, d === '0' ? 'Depth 0 (start URL)' : `Depth ${d}`])]);

  return (
    <section aria-labelledby="ledger-title" className="flex flex-col gap-3">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <h2 id="ledger-title" className="text-lg font-semibold tracking-tight">
          Pages
        </h2>
        <div className="flex flex-wrap items-center gap-2">
          <ChoiceSelect<(typeof outcomeOptions)[number]>
            label="Outcome filter"
            value={params.outcome ?? all}
            options={outcomeOptions}
            labels={{ all: 'All outcomes', ...outcomeLabels }}
            onChange={(value) => navigate({ ...params, page: 1, outcome: value === all ? undefined : (value as CrawlPageOutcome) })}
            className="w-40"
          />
          <ChoiceSelect<(typeof reasonOptions)[number]>
            label="Skip reason filter"
            value={params.reason ?? all}
            options={reasonOptions}
            labels={{ all: 'All skip reasons', ...skipReasonLabels }}
            onChange={(value) => navigate({ ...params, page: 1, reason: value === all ? undefined : (value as CrawlSkipReason) })}
            className="w-56"
          />
          <ChoiceSelect<string>
            label="Depth filter"
            value={params.depth === undefined ? all : String(params.depth)}
            options={depthOptions}
            labels={depthLabels}
            onChange={(value) => navigate({ ...params, page: 1, depth: value === all ? undefined : Number(value) })}
            className="w-44"
          />
          <Button variant="outline" size="sm" asChild>
            <a href={ledgerCsvUrl(crawlId, params)} download>
              <DownloadIcon />
              Export CSV
            </a>
          </Button>
        </div>
      </div>
      {!data && list.error ? (
        <ListError what="pages" onRetry={() => void refresh()} retrying={list.isValidating} />
      ) : !data ? (
        <ListSkeleton what="pages" rows={5} />
      ) : data.total === 0 ? (
        <NoMatches>{filtered ? 'No pages match these filters.' : 'No pages yet.'}</NoMatches>
      ) : (
        <>
          <div className={cn('overflow-x-auto rounded-xl border bg-card shadow-xs transition-opacity', list.isLoading && 'opacity-60')}>
            <Table className="min-w-[760px]">
              <TableHeader className="bg-muted/40">
                <TableRow className="hover:bg-transparent">
                  <TableHead>URL</TableHead>
                  <TableHead className="w-[7%] text-right">Depth</TableHead>
                  <TableHead className="w-[12%]">Outcome</TableHead>
                  <TableHead className="w-[22%]">Skip reason or error</TableHead>
                  <TableHead className="w-[10%]">Job</TableHead>
                </TableRow>
              </TableHeader>
              <TableBody>
                {data.data.map((row) => (
                  <TableRow key={row.url} data-testid="ledger-row" data-outcome={row.outcome} data-depth={row.depth}>
                    <TableCell className="max-w-0">
                      <span className="block truncate font-mono text-[13px]" title={row.parentUrl ? `${row.url}\nfound on ${row.parentUrl}` : row.url}>
                        {row.url}
                      </span>
                    </TableCell>
                    <TableCell className="text-right text-[13px] tabular">{row.depth}</TableCell>
                    <TableCell>
                      <OutcomeBadge outcome={row.outcome} />
                    </TableCell>
                    <TableCell className="text-[13px]">
                      <PageProblem row={row} />
                    </TableCell>
                    <TableCell className="text-[13px]">
                      {row.jobId ? (
                        <RowLink href={`/dashboard/jobs/${row.jobId}`} className="font-mono text-primary hover:underline" aria-label={`Job of ${row.url}`}>
                          {row.jobId.slice(0, 8)}
                        </RowLink>
                      ) : (
                        <span className="text-muted-foreground">—</span>
                      )}
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
            onSize={(size) => navigate({ ...params, page: 1, size })}
          />
        </>
      )}
    </section>
  );
}
