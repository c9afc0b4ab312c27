import { crawlPageOutcomes, crawlSkipReasons, maxCrawlDepth, type CrawlPageOutcome, type CrawlSkipReason } from '@/lib/schemas/crawls';
import { pageQuery, parsePageParams, readParam, type CrawlListParams } from './list-params';

// The ledger's filters and page on a crawl's page live in its URL (?outcome=&reason=&depth=&page=&size=).

export type LedgerParams = CrawlListParams & { outcome?: CrawlPageOutcome; reason?: CrawlSkipReason; depth?: number };

const oneOf = <T extends string>(values: readonly T[], value: string | undefined): T | undefined =>
  value !== undefined && (values as readonly string[]).includes(value) ? (value as T) : undefined;

export function parseLedgerParams(source: URLSearchParams | Record<string, string | string[] | undefined>): LedgerParams {
  return {
    ...parsePageParams(source),
    outcome: oneOf(crawlPageOutcomes, readParam(source, 'outcome')),
    reason: oneOf(crawlSkipReasons, readParam(source, 'reason')),
    depth: depthOf(readParam(source, 'depth')),
  };
}

function depthOf(value: string | undefined): number | undefined {
  return value !== undefined && /^\d{1,3}$/.test(value) && Number(value) <= maxCrawlDepth + 1 ? Number(value) : undefined;
}

function filterQuery({ outcome, reason, depth }: LedgerParams): URLSearchParams {
  const query = new URLSearchParams();
  if (outcome) query.set('outcome', outcome);
  if (reason) query.set('reason', reason);
  if (depth !== undefined) query.set('depth', String(depth));
  return query;
}

/** The page's own query: the filters, then the page and size. */
export function ledgerQuery(params: LedgerParams): URLSearchParams {
  const query = filterQuery(params);
  for (const [name, value] of pageQuery(params)) query.set(name, value);
  return query;
}

export function ledgerApiUrl(crawlId: string, params: LedgerParams): string {
  const query = filterQuery(params);
  query.set('page', String(params.page));
  query.set('size', String(params.size));
  return `/api/v1/crawls/${crawlId}/pages?${query}`;
}

/** The whole ledger with the same filters, as the CSV file the API exports. */
export function ledgerCsvUrl(crawlId: string, params: LedgerParams): string {
  const query = filterQuery(params);
  query.set('format', 'csv');
  return `/api/v1/crawls/${crawlId}/pages?${query}`;
}
