import { Batches } from './batches.js';
import { Crawls } from './crawls.js';
import { Jobs } from './jobs.js';
import { Schedules } from './schedules.js';
import { createTransport, type ClientOptions, type RequestOptions, type Transport } from './transport.js';
import type { Account, Credits, Job, QueueStats, Stats, Storage } from './types.js';
import { Webhooks } from './webhooks.js';

// The client: `new Scrapifie({ apiKey })`, its resources, and `api`, the generated client for
// any operation of the document (fully typed paths, parameters, bodies and replies).

export class Scrapifie {
  readonly jobs: Jobs;
  readonly batches: Batches;
  readonly webhooks: Webhooks;
  readonly schedules: Schedules;
  readonly crawls: Crawls;
  private readonly transport: Transport;

  constructor(options: ClientOptions) {
    if (!options?.apiKey) throw new TypeError('Scrapifie: apiKey is required (sk_live_... or sk_test_...).');
    this.transport = createTransport(options);
    this.jobs = new Jobs(this.transport);
    this.batches = new Batches(this.transport);
    this.webhooks = new Webhooks(this.transport);
    this.schedules = new Schedules(this.transport);
    this.crawls = new Crawls(this.transport);
  }

  /** The openapi-fetch client over the whole API: `await client.api.GET('/api/v1/credits', {...})`. */
  get api(): Transport['api'] {
    return this.transport.api;
  }

  get baseUrl(): string {
    return this.transport.baseUrl;
  }

  /** Waits for a job to end: completed, failed, cancelled or expired. */
  waitForJob(id: string, options?: Parameters<Jobs['wait']>[1]): Promise<Job> {
    return this.jobs.wait(id, options);
  }

  account(options?: RequestOptions): Promise<Account> {
    return this.transport.unwrap(this.api.GET('/api/v1/account', this.transport.options(options)));
  }

  credits(query: { page?: number; size?: 25 | 50 | 100; tz?: number } = {}, options?: RequestOptions): Promise<Credits> {
    return this.transport.unwrap(this.api.GET('/api/v1/credits', { params: { query }, ...this.transport.options(options) }));
  }

  stats(query: { tz?: number } = {}, options?: RequestOptions): Promise<Stats> {
    return this.transport.unwrap(this.api.GET('/api/v1/stats', { params: { query }, ...this.transport.options(options) }));
  }

  queue(options?: RequestOptions): Promise<QueueStats> {
    return this.transport.unwrap(this.api.GET('/api/v1/stats/queue', this.transport.options(options)));
  }

  storage(options?: RequestOptions): Promise<Storage> {
    return this.transport.unwrap(this.api.GET('/api/v1/storage', this.transport.options(options)));
  }

  /** The server's OpenAPI document (public). */
  openApiDocument(options?: RequestOptions): Promise<Record<string, unknown>> {
    return this.transport.unwrap(this.api.GET('/api/v1/openapi.json', this.transport.options(options))) as Promise<Record<string, unknown>>;
  }
}
