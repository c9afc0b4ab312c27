'use client';

import { BanIcon } from 'lucide-react';
import { useCanChange } from '@/components/account/account-banner';
import { ApiClientError, fetcher } from '@/components/api/fetcher';
import { useCancelAction } from '@/components/api/use-cancel-action';
import { usePolling } from '@/components/api/use-polling';
import { RefreshIndicator, StaleBanner } from '@/components/jobs/live-status';
import { CrawlsBreadcrumb } from '@/components/shell/breadcrumb';
import { formatFull } from '@/components/time/format';
import { useTimeZone } from '@/components/time/time-context';
import { Button } from '@/components/ui/button';
import { Card, CardContent, CardHeader, CardTitle } from '@/components/ui/card';
import { engineLabels } from '@/lib/jobs';
import { crawlSkipReasons } from '@/lib/schemas/crawls';
import { countOf } from '@/lib/format';
import { crawlLabel, isCrawlLive, type CrawlJson } from './api-types';
import { CancelCrawlDialog } from './cancel-crawl-dialog';
import { CrawlDepths } from './crawl-depths';
import { CrawlLedger } from './crawl-ledger';
import { CrawlProgress } from './crawl-progress';
import { CrawlStatusBadge } from './crawl-status';
import { CrawlUnavailable } from './crawl-unavailable';
import { crawlModeLabels, formatLabels, skipReasonLabels, stopText } from './labels';

const credits = (n: number) => countOf(n, 'credit');

const countNames = [
  ['discovered', 'Discovered'],
  ['queued', 'Queued'],
  ['processing', 'Processing'],
  ['done', 'Done'],
  ['failed', 'Failed'],
  ['skipped', 'Skipped'],
] as const;

/** /dashboard/crawls/{id}: the crawl's live progress, why URLs were skipped, a cancel, its ledger and its URLs by depth. */
export function CrawlDetailView({ crawl: initial, intervalMs }: { crawl: CrawlJson; intervalMs: number }) {
  const url = `/api/v1/crawls/${initial.id}`;
  const live = usePolling<CrawlJson>(url, fetcher, { intervalMs, isActive: isCrawlLive, fallbackData: initial });
  const crawl = live.data ?? initial;
  const timeZone = useTimeZone();
  const canChange = useCanChange();
  const { dialog, setDialog, pending, cancel } = useCancelAction<CrawlJson>({
    url,
    live,
    cancelled: (after) => `Crawl cancelled: ${countOf(after.progress.failed - crawl.progress.failed, 'page')} cancelled`,
    ended: 'This crawl had already ended.',
  });

  if (live.error instanceof ApiClientError && (live.error.status === 404 || live.error.status === 403)) {
    return <CrawlUnavailable reason={live.error.status === 404 ? 'not-found' : 'forbidden'} />;
  }

  const running = isCrawlLive(crawl);
  const cancellable = crawl.status === 'active' || crawl.status === 'stopped';
  const stop = stopText(crawl);

  return (
    <div className="flex flex-col gap-5">
      <div className="flex flex-col gap-3">
        <div className="flex flex-wrap items-center justify-between gap-3">
          <CrawlsBreadcrumb current={crawl.name ?? crawl.id.slice(0, 8)} mono={!crawl.name} />
          <RefreshIndicator live={running && !live.stale} refreshing={live.isValidating} />
        </div>
        <div className="flex flex-wrap items-center justify-between gap-3">
          <h1 className="flex min-w-0 flex-wrap items-center gap-2 text-xl font-semibold tracking-tight">
            <span className={crawl.name ? undefined : 'font-mono text-lg break-all'}>{crawlLabel(crawl)}</span>
            <CrawlStatusBadge status={crawl.status} />
          </h1>
          {cancellable && canChange && (
            <Button variant="destructive" size="sm" onClick={() => setDialog(true)} disabled={pending}>
              <BanIcon />
              Cancel crawl
            </Button>
          )}
        </div>
        <p className="flex flex-wrap gap-x-4 gap-y-1 text-sm text-muted-foreground">
          <span>Created {formatFull(crawl.createdAt, timeZone)}</span>
          {crawl.cancelledAt && <span>Cancelled {formatFull(crawl.cancelledAt, timeZone)}</span>}
          {crawl.completedAt && <span>Completed {formatFull(crawl.completedAt, timeZone)}</span>}
        </p>
        {stop && (
          <p className="text-sm" data-testid="crawl-stop-reason">
            {stop}
          </p>
        )}
      </div>

      {live.stale && <StaleBanner onRefresh={() => void live.refresh()} refreshing={live.isValidating} message="Unable to refresh the crawl. Showing last known state." />}

      <Card aria-labelledby="progress-title">
        <CardHeader>
          <CardTitle id="progress-title">Progress</CardTitle>
        </CardHeader>
        <CardContent className="flex flex-col gap-4">
          <CrawlProgress progress={crawl.progress} />
          <dl className="grid grid-cols-3 gap-3 text-sm sm:grid-cols-6" aria-label="Pages per state">
            {countNames.map(([name, label]) => (
              <div key={name} className="flex flex-col gap-0.5 rounded-md border px-3 py-2" data-testid={`crawl-count-${name}`}>
                <dt className="text-xs text-muted-foreground">{label}</dt>
                <dd className="font-medium tabular">{crawl.progress[name].toLocaleString('en-US')}</dd>
              </div>
            ))}
          </dl>
          <dl className="grid grid-cols-1 gap-x-8 gap-y-2 text-sm sm:grid-cols-[max-content_1fr]">
            <dt className="text-muted-foreground">Credits charged so far</dt>
            <dd className="font-medium tabular" data-testid="crawl-credits-charged">
              {credits(crawl.creditsCharged)}
            </dd>
            <dt className="text-muted-foreground">Credits reserved</dt>
            <dd className="tabular" data-testid="crawl-credits-reserved">
              {credits(crawl.creditsReserved)}
            </dd>
          </dl>
        </CardContent>
      </Card>

      <div className="grid gap-5 lg:grid-cols-2">
        <Card aria-labelledby="skipped-title">
          <CardHeader>
            <CardTitle id="skipped-title">Skipped URLs by reason</CardTitle>
          </CardHeader>
          <CardContent>
            <dl className="grid grid-cols-[1fr_auto] gap-x-8 gap-y-2 text-sm">
              {crawlSkipReasons.map((reason) => (
                <div key={reason} className="contents" data-testid={`skip-reason-${reason}`}>
                  <dt className="text-muted-foreground">{skipReasonLabels[reason]}</dt>
                  <dd className="text-right font-medium tabular">{(crawl.skipReasons[reason] ?? 0).toLocaleString('en-US')}</dd>
                </div>
              ))}
            </dl>
          </CardContent>
        </Card>
        <Card aria-labelledby="depths-title">
          <CardHeader>
            <CardTitle id="depths-title">URLs by depth</CardTitle>
          </CardHeader>
          <CardContent>
            <CrawlDepths crawlId={crawl.id} depths={crawl.depths} />
          </CardContent>
        </Card>
      </div>

      <Card aria-labelledby="crawl-overview-title">
        <CardHeader>
          <CardTitle id="crawl-overview-title">Overview</CardTitle>
        </CardHeader>
        <CardContent>
          <dl className="grid grid-cols-1 gap-x-8 gap-y-3 text-sm sm:grid-cols-[max-content_1fr]">
            <dt className="text-muted-foreground">Start URL</dt>
            <dd className="font-mono break-all" data-testid="crawl-url">
              {crawl.url}
            </dd>
            <dt className="text-muted-foreground">Crawl ID</dt>
            <dd className="font-mono break-all">{crawl.id}</dd>
            <dt className="text-muted-foreground">Mode</dt>
            <dd>{crawlModeLabels[crawl.mode]}</dd>
            <dt className="text-muted-foreground">Engine and format</dt>
            <dd>
              {engineLabels[crawl.engine]}, {formatLabels[crawl.config.format]}
            </dd>
            <dt className="text-muted-foreground">Limits</dt>
            <dd>
              At most {countOf(crawl.options.maxPages, 'page')}, {countOf(crawl.options.maxDepth, 'link')} deep
            </dd>
            {(crawl.options.include.length > 0 || crawl.options.exclude.length > 0) && (
              <>
                <dt className="text-muted-foreground">Paths</dt>
                <dd className="font-mono text-[13px] break-all">
                  {crawl.options.include.length > 0 && <div>include {crawl.options.include.join(', ')}</div>}
                  {crawl.options.exclude.length > 0 && <div>exclude {crawl.options.exclude.join(', ')}</div>}
                </dd>
              </>
            )}
            <dt className="text-muted-foreground">Hosts</dt>
            <dd>
              {[crawl.options.sameHost ? 'the start URL’s host' : crawl.options.allowedHosts.length === 0 ? 'any host' : null, ...crawl.options.allowedHosts]
                .filter(Boolean)
                .join(', ')}
            </dd>
            <dt className="text-muted-foreground">Politeness</dt>
            <dd>
              {crawl.options.concurrencyPerHost} at a time per host
              {crawl.options.delayMs > 0 ? `, ${crawl.options.delayMs.toLocaleString('en-US')} ms between pages` : ''}
              {crawl.options.robots ? ', honours robots.txt' : ', ignores robots.txt'}
              {crawl.options.sitemap ? ', reads sitemap.xml' : ''}
            </dd>
          </dl>
        </CardContent>
      </Card>

      <CrawlLedger crawlId={crawl.id} intervalMs={intervalMs} live={running} depths={crawl.depths.map((row) => row.depth)} />

      <CancelCrawlDialog crawl={crawl} open={dialog} pending={pending} onOpenChange={setDialog} onConfirm={() => void cancel()} />
    </div>
  );
}
