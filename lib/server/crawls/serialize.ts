import type { CrawlPageRow, CrawlTally } from '@/db/queries/crawls';
import type { Crawl } from '@/db/schema';
import type { CrawlPageOutcome, CrawlStatus } from '@/lib/schemas/crawls';
import { maskConfigSecrets } from '@/lib/secret-masking';

// The crawl's JSON: the row, its page jobs counted per state, its skipped URLs per reason.

export function crawlStatus(crawl: Pick<Crawl, 'cancelledAt' | 'completedAt' | 'stopReason'>): CrawlStatus {
  if (crawl.cancelledAt) return 'cancelled';
  if (crawl.completedAt) return 'completed';
  if (crawl.stopReason) return 'stopped';
  return 'active';
}

export function serializeCrawl(crawl: Crawl, tally: CrawlTally, { maskSecrets = false }: { maskSecrets?: boolean } = {}) {
  const { counts } = tally;
  const pages = counts.queued + counts.processing + counts.completed + counts.failed + counts.cancelled + counts.expired;
  const finished = pages - counts.queued - counts.processing;
  const skipped = Object.values(tally.skipReasons).reduce((sum, n) => sum + (n ?? 0), 0);
  return {
    id: crawl.id,
    url: crawl.startUrl,
    mode: crawl.mode,
    engine: crawl.engine,
    name: crawl.name,
    tags: crawl.tags,
    priority: crawl.priority,
    config: maskSecrets ? maskConfigSecrets(crawl.config).config : crawl.config,
    options: crawl.options,
    webhookUrl: crawl.webhookUrl,
    scheduleId: crawl.scheduleId,
    status: crawlStatus(crawl),
    stopReason: crawl.stopReason,
    progress: {
      discovered: pages + skipped,
      queued: counts.queued,
      processing: counts.processing,
      done: counts.completed,
      failed: counts.failed + counts.cancelled + counts.expired,
      skipped,
      pages,
      percent: pages === 0 ? 0 : Math.floor((finished / pages) * 1000) / 10,
    },
    skipReasons: tally.skipReasons,
    depths: tally.depths,
    creditsCharged: tally.creditsCharged,
    creditsReserved: tally.creditsReserved,
    createdAt: crawl.createdAt.toISOString(),
    cancelledAt: crawl.cancelledAt?.toISOString() ?? null,
    completedAt: crawl.completedAt?.toISOString() ?? null,
  };
}

export type CrawlJson = ReturnType<typeof serializeCrawl>;

export function pageOutcome(row: Pick<CrawlPageRow, 'skipReason' | 'status'>): CrawlPageOutcome {
  return row.skipReason ? 'skipped' : (row.status ?? 'queued');
}

export function serializeCrawlPage(row: CrawlPageRow) {
  return {
    url: row.url,
    depth: row.depth,
    parentUrl: row.parentUrl,
    outcome: pageOutcome(row),
    skipReason: row.skipReason,
    jobId: row.jobId,
    errorType: row.errorType,
    errorMessage: row.errorMessage,
    discoveredAt: row.createdAt.toISOString(),
  };
}

export type CrawlPageJson = ReturnType<typeof serializeCrawlPage>;
