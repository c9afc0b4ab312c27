import type { Database, Db } from '@/db/client';
import { listCrawlPages, listCrawls, tallyCrawls } from '@/db/queries/crawls';
import type { Crawl } from '@/db/schema';
import { paginatedReply } from '@/lib/pagination';
import type { ListCrawlPagesQuery, ListCrawlsQuery } from '@/lib/schemas/crawls';
import { expireBeforeRead } from '@/lib/server/jobs/read';
import { serializeCrawl, serializeCrawlPage, type CrawlJson } from './serialize';

// The one read path of a crawl, its list and its ledger, for the API and the dashboard alike.

/** A crawl with its progress, read after expiring the account's overdue queued jobs so the counts are current. */
export async function loadCrawl(db: Database, crawl: Crawl, options: { maskSecrets?: boolean } = {}): Promise<CrawlJson> {
  await expireBeforeRead(db, crawl.accountId);
  return tallyCrawl(db, crawl, options);
}

export async function tallyCrawl(db: Db, crawl: Crawl, options: { maskSecrets?: boolean } = {}): Promise<CrawlJson> {
  const tallies = await tallyCrawls(db, [crawl.id]);
  return serializeCrawl(crawl, tallies.get(crawl.id)!, options);
}

export async function loadCrawlList(db: Database, { accountId, query, maskSecrets }: { accountId: string; query: ListCrawlsQuery; maskSecrets?: boolean }) {
  await expireBeforeRead(db, accountId);
  const { rows, total } = await listCrawls(db, { accountId, page: query.page, size: query.size });
  const tallies = await tallyCrawls(db, rows.map((row) => row.id));
  return paginatedReply(rows.map((row) => serializeCrawl(row, tallies.get(row.id)!, { maskSecrets })), query, total);
}

export type CrawlListJson = Awaited<ReturnType<typeof loadCrawlList>>;

/** A page of the ledger: every URL with its depth, outcome, error type and skip reason. */
export async function loadCrawlPages(db: Database, { crawl, query }: { crawl: Crawl; query: ListCrawlPagesQuery }) {
  const { pages, total } = await listCrawlPages(db, { crawlId: crawl.id, query, limit: query.size, offset: (query.page - 1) * query.size });
  return paginatedReply(pages.map(serializeCrawlPage), query, total);
}

export type CrawlPageListJson = Awaited<ReturnType<typeof loadCrawlPages>>;

const csvColumns = ['URL', 'Depth', 'Outcome', 'Skip reason', 'Error type', 'Error message', 'Job ID', 'Found on', 'Discovered at'];

function csvCell(value: string | number | null): string {
  const text = value === null ? '' : String(value);
  // A leading = + - @ would be a formula in a spreadsheet.
  const safe = /^[=+\-@]/.test(text) ? `'${text}` : text;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** The whole ledger (with the filters) as CSV, read in slices so a 10,000-page crawl is never one query result. */
export async function crawlPagesCsv(db: Database, { crawl, query }: { crawl: Crawl; query: ListCrawlPagesQuery }): Promise<string> {
  const lines = [csvColumns.join(',')];
  const slice = 1000;
  for (let offset = 0; ; offset += slice) {
    const { pages } = await listCrawlPages(db, { crawlId: crawl.id, query, limit: slice, offset });
    for (const row of pages.map(serializeCrawlPage)) {
      lines.push([row.url, row.depth, row.outcome, row.skipReason, row.errorType, row.errorMessage, row.jobId, row.parentUrl, row.discoveredAt].map(csvCell).join(','));
    }
    if (pages.length < slice) break;
  }
  return `${lines.join('\r\n')}\r\n`;
}
