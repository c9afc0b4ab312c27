import { sleep, untilReachable, type RequestOptions, type Transport } from './transport.js';
import type { CrawlList, CrawlPageList, CreateCrawlRequest, Crawl, ListCrawlPagesQuery, ListCrawlsQuery } from './types.js';

// Crawls: create, read, cancel, the per-page ledger, and a wait that polls until every page is terminal.

export class Crawls {
  constructor(private readonly transport: Transport) {}

  /** POST /api/v1/crawls: the start URL is its first page job; later pages are found and reserved as the crawl goes. */
  create(body: CreateCrawlRequest, options?: RequestOptions): Promise<Crawl> {
    return this.transport.unwrap(this.transport.api.POST('/api/v1/crawls', { body, ...this.transport.options(options) }));
  }

  get(id: string, options?: RequestOptions): Promise<Crawl> {
    return this.transport.unwrap(this.transport.api.GET('/api/v1/crawls/{id}', { params: { path: { id } }, ...this.transport.options(options) }));
  }

  list(query: ListCrawlsQuery = {}, options?: RequestOptions): Promise<CrawlList> {
    return this.transport.unwrap(this.transport.api.GET('/api/v1/crawls', { params: { query }, ...this.transport.options(options) }));
  }

  /** Stops discovery and cancels its queued pages at once (one `crawl.cancelled` event). */
  cancel(id: string, options?: RequestOptions): Promise<Crawl> {
    return this.transport.unwrap(this.transport.api.POST('/api/v1/crawls/{id}/cancel', { params: { path: { id } }, ...this.transport.options(options) }));
  }

  /** A page of the ledger: every URL with its depth, outcome, error type or skip reason. */
  pages(id: string, query: Omit<ListCrawlPagesQuery, 'format'> = {}, options?: RequestOptions): Promise<CrawlPageList> {
    return this.transport.unwrap(
      this.transport.api.GET('/api/v1/crawls/{id}/pages', { params: { path: { id }, query: { ...query, format: 'json' } }, ...this.transport.options(options) }),
    ) as Promise<CrawlPageList>;
  }

  /** Resolves with the crawl once it is completed or cancelled, calling `onUpdate` with each poll. */
  async wait(id: string, options: { signal?: AbortSignal; pollIntervalMs?: number; onUpdate?: (crawl: Crawl) => void } = {}): Promise<Crawl> {
    for (;;) {
      const crawl = await untilReachable(() => this.get(id, { signal: options.signal }), { signal: options.signal, reconnectForMs: 60_000 });
      options.onUpdate?.(crawl);
      if (crawl.status === 'completed' || crawl.status === 'cancelled') return crawl;
      await sleep(options.pollIntervalMs ?? this.transport.pollIntervalMs, options.signal);
    }
  }
}
