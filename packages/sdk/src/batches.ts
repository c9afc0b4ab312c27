import { StreamUnavailable, eventStream } from './streams.js';
import { sleep, untilReachable, type RequestOptions, type Transport } from './transport.js';
import type { Batch, BatchList, CreateBatchRequest, ListBatchesQuery } from './types.js';

// Batches: create, read, cancel, and their progress as it changes (the batch's stream, or
// polling where the server has none).

export type ProgressOptions = {
  signal?: AbortSignal;
  pollIntervalMs?: number;
  onFallback?: (reason: string) => void;
};

export class Batches {
  constructor(private readonly transport: Transport) {}

  /** POST /api/v1/batches: one job per URL, all reserved at once (402 and nothing created when the balance falls short). */
  create(body: CreateBatchRequest, options?: RequestOptions): Promise<Batch> {
    return this.transport.unwrap(this.transport.api.POST('/api/v1/batches', { body, ...this.transport.options(options) }));
  }

  get(id: string, options?: RequestOptions): Promise<Batch> {
    return this.transport.unwrap(this.transport.api.GET('/api/v1/batches/{id}', { params: { path: { id } }, ...this.transport.options(options) }));
  }

  list(query: ListBatchesQuery = {}, options?: RequestOptions): Promise<BatchList> {
    return this.transport.unwrap(this.transport.api.GET('/api/v1/batches', { params: { query }, ...this.transport.options(options) }));
  }

  async *pages(query: ListBatchesQuery = {}, options?: RequestOptions): AsyncGenerator<BatchList> {
    for (let page = query.page ?? 1; ; page += 1) {
      const reply = await this.list({ ...query, page }, options);
      yield reply;
      if (page >= reply.totalPages) return;
    }
  }

  /** Cancels every unfinished job of the batch. */
  cancel(id: string, options?: RequestOptions): Promise<Batch> {
    return this.transport.unwrap(this.transport.api.POST('/api/v1/batches/{id}/cancel', { params: { path: { id } }, ...this.transport.options(options) }));
  }

  /**
   * The batch each time its counts change, first as it is now, until it is completed or
   * cancelled (the last value yielded). `${finished}/${total} (${percent}%)` is its progress.
   */
  async *progress(id: string, { signal, onFallback, ...options }: ProgressOptions = {}): AsyncGenerator<Batch> {
    // The server's `end` repeats the last `progress`, and a reconnect starts with the batch as it
    // is: hand out only changes, as polling does.
    let previous = '';
    const changed = (batch: Batch) => {
      const seen = JSON.stringify([batch.status, batch.counts]);
      if (seen === previous) return false;
      previous = seen;
      return true;
    };
    try {
      const events = eventStream(this.transport, `/api/v1/batches/${encodeURIComponent(id)}/stream`, { signal }, (event) => event.event === 'end');
      for await (const event of events) {
        if (event.event !== 'progress' && event.event !== 'end') continue;
        const batch = JSON.parse(event.data) as Batch;
        if (changed(batch)) yield batch;
        if (event.event === 'end') return;
      }
      return;
    } catch (error) {
      if (!(error instanceof StreamUnavailable)) throw error;
      onFallback?.(error.message);
    }
    for (;;) {
      const batch = await untilReachable(() => this.get(id, { signal }), { signal, reconnectForMs: 60_000 });
      if (changed(batch)) yield batch;
      if (batch.status !== 'active') return;
      await sleep(options.pollIntervalMs ?? this.transport.pollIntervalMs, signal);
    }
  }

  /** Resolves with the batch once every job has finished (or it was cancelled). */
  async wait(id: string, options: ProgressOptions & { onUpdate?: (batch: Batch) => void } = {}): Promise<Batch> {
    let last: Batch | undefined;
    for await (const batch of this.progress(id, options)) {
      options.onUpdate?.(batch);
      last = batch;
    }
    return last ?? this.get(id, { signal: options.signal });
  }
}
