import { statusLabels } from '@/components/jobs/status';
import type { ResultFormat } from '@/lib/jobs';
import type { CrawlMode, CrawlPageOutcome, CrawlSkipReason, CrawlStatus } from '@/lib/schemas/crawls';
import { countOf } from '@/lib/format';
import type { CrawlJson } from './api-types';

// The words the crawl pages use for the API's values.

export const crawlStatusLabels: Record<CrawlStatus, string> = { active: 'Active', completed: 'Completed', stopped: 'Stopped', cancelled: 'Cancelled' };

export const formatLabels: Record<ResultFormat, string> = { html: 'HTML', json: 'JSON', markdown: 'Markdown', text: 'Text' };

export const crawlModeLabels: Record<CrawlMode, string> = { crawl: 'Crawl', map: 'Map' };

export const skipReasonLabels: Record<CrawlSkipReason, string> = {
  robots: 'Disallowed by robots.txt',
  pattern: 'Excluded by a pattern',
  depth: 'Deeper than the depth limit',
  limit: 'Over the page limit',
  other_host: 'On another host',
  credits: 'Out of credits',
  cancelled: 'Crawl cancelled',
  other: 'Other',
};

export const outcomeLabels: Record<CrawlPageOutcome, string> = { ...statusLabels, skipped: 'Skipped' };

const pages = (n: number) => countOf(n, 'page');

/** Why the crawl ended (or stopped discovering), in plain words; null while it runs. */
export function stopText(crawl: CrawlJson): string | null {
  if (crawl.status === 'cancelled') return 'Cancelled: discovery stopped and the unfinished pages were cancelled.';
  if (crawl.stopReason) return crawl.stopReason;
  if (crawl.status !== 'completed') return null;
  if ((crawl.skipReasons.limit ?? 0) > 0) return `Reached the page limit: ${pages(crawl.options.maxPages)} fetched, more links were found.`;
  return 'Finished: every page found within the limits was fetched.';
}
