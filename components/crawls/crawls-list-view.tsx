'use client';

import { NetworkIcon, PlusIcon } from 'lucide-react';
import Link from 'next/link';
import { useSearchParams } from 'next/navigation';
import { useMemo } from 'react';
import { fetcher } from '@/components/api/fetcher';
import { useFetchOnMount, usePolling } from '@/components/api/use-polling';
import { RefreshIndicator, StaleBanner } from '@/components/jobs/live-status';
import { Pagination } from '@/components/jobs/pagination';
import { CreatedTime } from '@/components/time/created-time';
import { Button } from '@/components/ui/button';
import { EmptyState } from '@/components/ui/empty-state';
import { ListError, ListSkeleton } from '@/components/ui/list-states';
import { RowLink } from '@/components/ui/row-link';
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '@/components/ui/table';
import { crawlLabel, isCrawlLive, type CrawlListJson } from './api-types';
import { CrawlProgress } from './crawl-progress';
import { CrawlStatusBadge } from './crawl-status';
import { crawlModeLabels } from './labels';
import { crawlsApiUrl, pageQuery, parsePageParams, pushQuery } from './list-params';

const hasLiveCrawl = (list: CrawlListJson) => list.data.some(isCrawlLive);

function NewCrawlButton({ variant = 'default' }: { variant?: 'default' | 'outline' }) {
  return (
    <Button variant={variant} asChild>
      <Link href="/dashboard/crawls/new">
        <PlusIcon />
        New crawl
      </Link>
    </Button>
  );
}

/** /dashboard/crawls: the account's crawls, newest first, live while one of the page's crawls runs. */
export function CrawlsListView({ intervalMs }: { intervalMs: number }) {
  const searchParams = useSearchParams();
  const params = useMemo(() => parsePageParams(searchParams), [searchParams]);
  const url = crawlsApiUrl(params);
  const list = usePolling<CrawlListJson>(url, fetcher, { intervalMs, isActive: hasLiveCrawl, keepPreviousData: true, revalidateOnMount: useFetchOnMount(url) });
  const data = list.data;

  return (
    <div className="flex flex-col gap-4">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <div className="flex items-center gap-3">
          <h1 className="text-2xl font-semibold tracking-tight">Crawls</h1>
          <RefreshIndicator live={list.active && !list.stale} refreshing={list.isValidating && Boolean(data)} />
        </div>
        {data && data.total > 0 && <NewCrawlButton />}
      </div>

      {list.stale && data && <StaleBanner onRefresh={() => void list.refresh()} refreshing={list.isValidating} />}

      {!data && list.error ? (
        <ListError what="crawls" onRetry={() => void list.refresh()} retrying={list.isValidating} />
      ) : !data ? (
        <ListSkeleton what="crawls" rows={6} rowClassName="h-10" />
      ) : data.total === 0 ? (
        <EmptyState icon={<NetworkIcon />} message="No crawls yet. A crawl follows a site's links from a start URL and fetches every page it finds, within the limits you set.">
          <NewCrawlButton variant="outline" />
        </EmptyState>
      ) : (
        <>
          <div className="overflow-x-auto rounded-xl border bg-card shadow-xs">
            <Table className="min-w-[860px]">
              <TableHeader className="bg-muted/40">
                <TableRow className="hover:bg-transparent">
                  <TableHead className="w-[30%]">Start URL</TableHead>
                  <TableHead className="w-[7%]">Mode</TableHead>
                  <TableHead className="w-[10%]">Status</TableHead>
                  <TableHead className="w-[220px]">Progress</TableHead>
                  <TableHead className="w-[8%] text-right">Skipped</TableHead>
                  <TableHead className="w-[9%] text-right">Credits</TableHead>
                  <TableHead className="w-[13%]">Created</TableHead>
                </TableRow>
              </TableHeader>
              <TableBody>
                {data.data.map((crawl) => (
                  <TableRow key={crawl.id} data-testid="crawl-row" data-crawl-id={crawl.id}>
                    <TableCell className="max-w-0">
                      <RowLink href={`/dashboard/crawls/${crawl.id}`} className="block truncate font-mono text-[13px] text-primary hover:underline" title={crawl.url}>
                        {crawlLabel(crawl)}
                      </RowLink>
                    </TableCell>
                    <TableCell className="text-[13px]">{crawlModeLabels[crawl.mode]}</TableCell>
                    <TableCell>
                      <CrawlStatusBadge status={crawl.status} />
                    </TableCell>
                    <TableCell>
                      <CrawlProgress progress={crawl.progress} size="sm" />
                    </TableCell>
                    <TableCell className="text-right text-[13px] tabular" data-testid="crawl-row-skipped">
                      {crawl.progress.skipped.toLocaleString('en-US')}
                    </TableCell>
                    <TableCell className="text-right text-[13px] tabular" title={crawl.creditsReserved > 0 ? `${crawl.creditsReserved} more reserved` : undefined}>
                      {crawl.creditsCharged.toLocaleString('en-US')}
                    </TableCell>
                    <TableCell className="text-[13px]">
                      <CreatedTime at={crawl.createdAt} />
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
            onPage={(page) => pushQuery(pageQuery({ ...params, page }))}
            onSize={(size) => pushQuery(pageQuery({ page: 1, size }))}
          />
        </>
      )}
    </div>
  );
}
