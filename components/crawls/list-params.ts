import type { PageSize } from '@/components/jobs/list-params';
import { pageSizes } from '@/lib/schemas/jobs';

// The crawls list's page and size live in the URL (?page=&size=), defaults left out.

export type CrawlListParams = { page: number; size: PageSize };

type Source = URLSearchParams | Record<string, string | string[] | undefined>;

/** One query parameter, from the browser's URLSearchParams or a server page's searchParams. */
export function readParam(source: Source, name: string): string | undefined {
  if (source instanceof URLSearchParams) return source.get(name) ?? undefined;
  const value = source[name];
  return Array.isArray(value) ? value[0] : value;
}

export function parsePageParams(source: Source): CrawlListParams {
  const page = Number(readParam(source, 'page'));
  const size = Number(readParam(source, 'size'));
  return {
    page: Number.isInteger(page) && page >= 1 ? page : 1,
    size: (pageSizes as readonly number[]).includes(size) ? (size as PageSize) : 25,
  };
}

/** The page and size as query parameters, the defaults left out. */
export function pageQuery({ page, size }: CrawlListParams): URLSearchParams {
  const query = new URLSearchParams();
  if (page > 1) query.set('page', String(page));
  if (size !== 25) query.set('size', String(size));
  return query;
}

export const crawlsApiUrl = ({ page, size }: CrawlListParams) => `/api/v1/crawls?page=${page}&size=${size}`;

/** Replaces the address bar's query without a navigation (useSearchParams follows it). */
export function pushQuery(query: URLSearchParams) {
  const text = query.toString();
  window.history.pushState(null, '', `${window.location.pathname}${text ? `?${text}` : ''}`);
}
