import { WaitTimeoutError } from './errors.js';
import { StreamUnavailable, eventStream, type StreamOptions } from './streams.js';
import { sleep, untilReachable, type RequestOptions, type Transport } from './transport.js';
import {
  isTerminal,
  type BulkDeleteResult,
  type CreateJobRequest,
  type DeleteJobsRequest,
  type DeletedJob,
  type ExportJobsQuery,
  type ExportSummary,
  type Job,
  type JobCounts,
  type JobList,
  type JobSummary,
  type ListJobsQuery,
  type LogEntry,
  type LogList,
  type ScrapeReply,
  type ScrapeRequest,
  type WebhookDelivery,
} from './types.js';

// Jobs: the calls of /api/v1/jobs, and following a job live (its stream, or polling where the
// server has none): waitForJob, its log as an async iterator, every page of the list.

export type JobUpdate = { type: 'status'; job: Job } | { type: 'log'; entry: LogEntry } | { type: 'end'; job: Job };

export type FollowOptions = {
  signal?: AbortSignal;
  /** Only log entries after this `seq`. Default 0: all of them. */
  after?: number;
  /** Fetch log entries while polling (a stream always sends them). Default true. */
  logs?: boolean;
  /** Between polls when there is no stream, in ms; default the client's pollIntervalMs. */
  pollIntervalMs?: number;
  /** Called once if the server has no live stream and the SDK polls instead. */
  onFallback?: (reason: string) => void;
  /** Reconnection limits of the live stream. */
  stream?: Pick<StreamOptions, 'idleTimeoutMs' | 'reconnectForMs'>;
};

export type WaitOptions = {
  signal?: AbortSignal;
  /** Give up (WaitTimeoutError) after this many ms. Default: wait as long as it takes. */
  timeoutMs?: number;
  pollIntervalMs?: number;
  /** Every state the job is seen in: each status change, and each new attempt. */
  onUpdate?: (job: Job) => void;
  onFallback?: (reason: string) => void;
};

export type JobResult = {
  contentType: string;
  /** The download name the server suggests: `scrapifie-3f0c1c8e-markdown.md`. */
  filename: string | null;
  content: Uint8Array;
  text(): string;
};

export type JobExport = { body: ReadableStream<Uint8Array>; rows: number | null; total: number | null; warning: string | null };

export class Jobs {
  constructor(private readonly transport: Transport) {}

  private get api() {
    return this.transport.api;
  }

  /** POST /api/v1/jobs: the job, queued. Retried safely: an Idempotency-Key is sent. */
  submit(body: CreateJobRequest, options?: RequestOptions): Promise<Job> {
    return this.transport.unwrap(this.api.POST('/api/v1/jobs', { body, ...this.transport.options(options) }));
  }

  /** POST /api/v1/scrape: waits up to `wait` seconds for the job, and returns its content inline when it finished. */
  scrape(body: ScrapeRequest, options?: RequestOptions): Promise<ScrapeReply> {
    const timeoutMs = ((body.wait ?? 30) + 30) * 1000;
    return this.transport.unwrap(this.api.POST('/api/v1/scrape', { body, ...this.transport.options({ timeoutMs, ...options }) }));
  }

  get(id: string, options?: RequestOptions): Promise<Job> {
    return this.transport.unwrap(this.api.GET('/api/v1/jobs/{id}', { params: { path: { id } }, ...this.transport.options(options) }));
  }

  /** One page of the list. */
  list(query: ListJobsQuery = {}, options?: RequestOptions): Promise<JobList> {
    return this.transport.unwrap(this.api.GET('/api/v1/jobs', { params: { query }, ...this.transport.options(options) }));
  }

  /** Every page of the list from `query.page` (default 1) on. */
  async *pages(query: ListJobsQuery = {}, options?: RequestOptions): AsyncGenerator<JobList> {
    for (let page = query.page ?? 1; ; page += 1) {
      const reply = await this.list({ ...query, page }, options);
      yield reply;
      if (page >= reply.totalPages) return;
    }
  }

  /** Every job the filters match, page after page. */
  async *all(query: ListJobsQuery = {}, options?: RequestOptions): AsyncGenerator<JobSummary> {
    for await (const page of this.pages(query, options)) yield* page.data;
  }

  counts(query: ListJobsQuery = {}, options?: RequestOptions): Promise<JobCounts> {
    return this.transport.unwrap(this.api.GET('/api/v1/jobs/counts', { params: { query }, ...this.transport.options(options) }));
  }

  cancel(id: string, options?: RequestOptions): Promise<Job> {
    return this.transport.unwrap(this.api.POST('/api/v1/jobs/{id}/cancel', { params: { path: { id } }, ...this.transport.options(options) }));
  }

  /** A new job with the same request, linked by `parentJobId`. */
  retry(id: string, options?: RequestOptions): Promise<Job> {
    return this.transport.unwrap(this.api.POST('/api/v1/jobs/{id}/retry', { params: { path: { id } }, ...this.transport.options(options) }));
  }

  delete(id: string, options?: RequestOptions): Promise<DeletedJob> {
    return this.transport.unwrap(this.api.DELETE('/api/v1/jobs/{id}', { params: { path: { id } }, ...this.transport.options(options) }));
  }

  /** Deletes every job the filters match (`dryRun: true` only counts them). */
  deleteMany(body: DeleteJobsRequest, options?: RequestOptions): Promise<BulkDeleteResult> {
    return this.transport.unwrap(this.api.POST('/api/v1/jobs/delete', { body, ...this.transport.options(options) }));
  }

  /** One read of the log: entries after `after`, with the total and the retention notice. */
  logs(id: string, { after, ...options }: RequestOptions & { after?: number } = {}): Promise<LogList> {
    return this.transport.unwrap(
      this.api.GET('/api/v1/jobs/{id}/logs', { params: { path: { id }, query: { after } }, ...this.transport.options(options) }),
    );
  }

  /** The log entries; with `follow`, new ones as they are written until the job has ended. */
  async *logEntries(id: string, { follow = false, ...options }: FollowOptions & { follow?: boolean } = {}): AsyncGenerator<LogEntry> {
    if (!follow) {
      yield* (await this.logs(id, { after: options.after, signal: options.signal })).data;
      return;
    }
    for await (const update of this.follow(id, options)) if (update.type === 'log') yield update.entry;
  }

  /**
   * Follows a job live: its state (`status`), each log entry in order (`log`), and `end` with the
   * final job, after which the iterator finishes. Uses GET /api/v1/jobs/{id}/stream, resuming
   * after a drop without gaps or repeats; polls the job and its log where there is no stream.
   */
  async *follow(id: string, options: FollowOptions = {}): AsyncGenerator<JobUpdate> {
    const { signal, logs = true, onFallback } = options;
    const interval = options.pollIntervalMs ?? this.transport.pollIntervalMs;
    let lastSeq = options.after ?? 0;
    try {
      const events = eventStream(this.transport, `/api/v1/jobs/${encodeURIComponent(id)}/stream`, { ...options.stream, signal, lastEventId: String(lastSeq) }, (event) => event.event === 'end');
      for await (const event of events) {
        if (event.event === 'log') {
          const entry = JSON.parse(event.data) as LogEntry;
          // A reconnection resumes after the last id; never hand an entry out twice.
          if (entry.seq <= lastSeq) continue;
          lastSeq = entry.seq;
          yield { type: 'log', entry };
        } else if (event.event === 'status' || event.event === 'end') {
          yield { type: event.event, job: JSON.parse(event.data) as Job };
          if (event.event === 'end') return;
        }
      }
      return;
    } catch (error) {
      if (!(error instanceof StreamUnavailable)) throw error;
      onFallback?.(error.message);
    }

    let previous: Job | undefined;
    const reconnectForMs = options.stream?.reconnectForMs ?? 60_000;
    for (;;) {
      // The state first: once a job is terminal its last entries are written, so the log read
      // after it holds them all. A server restarting meanwhile is waited for, as a stream would be.
      const job = await untilReachable(() => this.get(id, { signal }), { signal, reconnectForMs });
      if (!previous || previous.status !== job.status || previous.attempts !== job.attempts) yield { type: 'status', job };
      previous = job;
      if (logs) {
        for (const entry of (await untilReachable(() => this.logs(id, { after: lastSeq, signal }), { signal, reconnectForMs })).data) {
          if (entry.seq <= lastSeq) continue;
          lastSeq = entry.seq;
          yield { type: 'log', entry };
        }
      }
      if (isTerminal(job.status)) {
        yield { type: 'end', job };
        return;
      }
      await sleep(interval, signal);
    }
  }

  /** Resolves with the job once it is completed, failed, cancelled or expired. */
  async wait(id: string, { timeoutMs, onUpdate, ...options }: WaitOptions = {}): Promise<Job> {
    const controller = new AbortController();
    const signals = [controller.signal, ...(options.signal ? [options.signal] : [])];
    const timer = timeoutMs === undefined ? undefined : setTimeout(() => controller.abort(new WaitTimeoutError(`Job ${id} did not finish within ${Math.round(timeoutMs / 1000)} s`)), timeoutMs);
    try {
      let last: Job | undefined;
      for await (const update of this.follow(id, { ...options, signal: AbortSignal.any(signals), logs: false })) {
        if (update.type === 'log') continue;
        if (!last || last.status !== update.job.status || last.attempts !== update.job.attempts) onUpdate?.(update.job);
        last = update.job;
        if (update.type === 'end') return update.job;
      }
      // A stream that ended without its `end` event: read the job as it is.
      return await this.get(id, { signal: options.signal });
    } finally {
      clearTimeout(timer);
    }
  }

  /** GET /api/v1/jobs/{id}/result: the content as stored, with its type and download name. */
  async result(id: string, options?: RequestOptions): Promise<JobResult> {
    const { data, response } = await this.downloadOf(
      this.api.GET('/api/v1/jobs/{id}/result', { params: { path: { id } }, parseAs: 'arrayBuffer', ...this.transport.options(options) }),
    );
    const content = new Uint8Array(data);
    return {
      contentType: response.headers.get('content-type') ?? 'application/octet-stream',
      filename: /filename="([^"]+)"/.exec(response.headers.get('content-disposition') ?? '')?.[1] ?? null,
      content,
      text: () => new TextDecoder().decode(content),
    };
  }

  /** GET /api/v1/jobs/{id}/screenshot: the PNG. */
  async screenshot(id: string, options?: RequestOptions): Promise<Uint8Array> {
    const { data } = await this.downloadOf(
      this.api.GET('/api/v1/jobs/{id}/screenshot', { params: { path: { id } }, parseAs: 'arrayBuffer', ...this.transport.options(options) }),
    );
    return new Uint8Array(data);
  }

  /** GET /api/v1/jobs/export as a stream of the file (CSV or JSON). */
  async export(query: ExportJobsQuery = {}, options?: RequestOptions): Promise<JobExport> {
    const { data, response } = await this.downloadOf(
      this.api.GET('/api/v1/jobs/export', { params: { query: { ...query, count: undefined } }, parseAs: 'stream', ...this.transport.options(options) }),
    );
    const number = (name: string) => (response.headers.get(name) === null ? null : Number(response.headers.get(name)));
    return { body: data as unknown as ReadableStream<Uint8Array>, rows: number('x-export-rows'), total: number('x-export-total'), warning: response.headers.get('x-export-warning') };
  }

  /** What an export with these filters would hold, without using one of the hour's exports. */
  exportSummary(query: ExportJobsQuery = {}, options?: RequestOptions): Promise<ExportSummary> {
    return this.transport.unwrap(
      this.api.GET('/api/v1/jobs/export', { params: { query: { ...query, count: 'true' } }, ...this.transport.options(options) }),
    ) as Promise<ExportSummary>;
  }

  /** The job's webhook deliveries with every attempt. */
  async webhookDeliveries(id: string, options?: RequestOptions): Promise<WebhookDelivery[]> {
    const reply = await this.transport.unwrap(this.api.GET('/api/v1/jobs/{id}/webhooks', { params: { path: { id } }, ...this.transport.options(options) }));
    return reply.data;
  }

  private async downloadOf<T>(call: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<{ data: T; response: Response }> {
    const settled = await call;
    const data = await this.transport.unwrap(Promise.resolve(settled));
    return { data: data as T, response: settled.response };
  }
}
