import type { CrawlListJson, CrawlPageListJson } from '@/lib/server/crawls/read';
import type { CrawlJson, CrawlPageJson } from '@/lib/server/crawls/serialize';

// The JSON the crawl pages read from /api/v1/crawls. Types, and two facts read off them.

export type { CrawlJson, CrawlListJson, CrawlPageJson, CrawlPageListJson };

/**
 * Whether the crawl can still change: active, or stopped (out of credits) with pages still
 * running. What the pages poll for, and when Cancel is offered.
 */
export const isCrawlLive = (crawl: CrawlJson) =>
  crawl.status === 'active' || (crawl.status === 'stopped' && crawl.progress.queued + crawl.progress.processing > 0);

/** The crawl's name, else its start URL. */
export const crawlLabel = (crawl: Pick<CrawlJson, 'name' | 'url'>) => crawl.name ?? crawl.url;
