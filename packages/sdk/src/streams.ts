import { EventSourceParserStream } from 'eventsource-parser/stream';
import { ApiError, ConnectionError } from './errors.js';
import { backoffMs, errorFrom, sleep, type Transport } from './transport.js';

// Live streams (Server-Sent Events) with reconnection, and the signal to poll instead. A stream
// answers `text/event-stream`; a server without the route (404, 405, 501 that are not the API's
// error shape) or with something else in front of it (not an event stream) means: poll the
// ordinary GET routes. A dropped connection
// (a server restart, a proxy's or Vercel's time limit) is reconnected with backoff, resuming
// after the last event id, so nothing is missed or repeated.

export type StreamEvent = { event: string; data: string; id?: string };

export type StreamOptions = {
  signal?: AbortSignal;
  /** Resume after this event id (sent as Last-Event-ID). */
  lastEventId?: string;
  /** How long reconnecting may fail in a row before giving up, in ms. Default 60,000. */
  reconnectForMs?: number;
  /**
   * A connection silent for this long (no event, no `: ping`, sent every 15 s) is taken for
   * dead, as a half-open connection behind a proxy would be, and reopened. Default 45,000 ms.
   */
  idleTimeoutMs?: number;
};

/** The route has no stream here: poll instead. */
export class StreamUnavailable extends Error {}

/**
 * The events of `path`, across reconnections, until the server ends the stream after an event for
 * which `isLast` is true. Throws StreamUnavailable when the server has no such stream.
 */
export async function* eventStream(
  transport: Transport,
  path: string,
  { signal, lastEventId, reconnectForMs = 60_000, idleTimeoutMs = 45_000 }: StreamOptions,
  isLast: (event: StreamEvent) => boolean,
): AsyncGenerator<StreamEvent> {
  let lastId = lastEventId;
  let failingSince: number | undefined;
  // The server's `retry:` field, if it sent one, is the delay before reconnecting.
  let retryMs: number | undefined;
  for (let n = 0; ; n += 1) {
    let response: Response;
    const connection = new AbortController();
    try {
      const headers: Record<string, string> = { accept: 'text/event-stream' };
      if (lastId !== undefined) headers['last-event-id'] = lastId;
      // Only the headers are bounded; the stream itself stays open as long as the server keeps it.
      const connectionSignal = signal ? AbortSignal.any([signal, connection.signal]) : connection.signal;
      response = await transport.raw(path, { headers, signal: connectionSignal, timeoutMs: 30_000 });
    } catch (error) {
      if (signal?.aborted) throw signal.reason;
      if (!(error instanceof ConnectionError)) throw error;
      failingSince ??= Date.now();
      if (Date.now() - failingSince > reconnectForMs) throw error;
      await sleep(backoffMs(Math.min(n, 4)), signal);
      continue;
    }
    if (!response.ok) {
      // The stream route's own refusal (the job does not exist, is not yours, was deleted) has
      // the API's error shape; a 404, 405 or 501 without it means the server has no such route.
      const error = errorFrom(transport.baseUrl, `GET ${path}`, response, await response.json().catch(() => undefined));
      if (!(error instanceof ApiError) && [404, 405, 501].includes(response.status)) throw new StreamUnavailable(`${path} answered ${response.status}`);
      throw error;
    }
    if (!(response.headers.get('content-type') ?? '').startsWith('text/event-stream') || !response.body) {
      await response.body?.cancel();
      throw new StreamUnavailable(`${path} is not an event stream`);
    }
    failingSince = undefined;
    n = 0;
    let idle: ReturnType<typeof setTimeout> | undefined;
    const alive = () => {
      clearTimeout(idle);
      idle = setTimeout(() => connection.abort(new Error('the stream went silent')), idleTimeoutMs);
    };
    try {
      alive();
      const events = response.body
        .pipeThrough(new TextDecoderStream())
        .pipeThrough(new TransformStream<string, string>({ transform: (text, stream) => (alive(), stream.enqueue(text)) }))
        .pipeThrough(new EventSourceParserStream({ onRetry: (ms) => (retryMs = ms) }));
      for await (const message of events) {
        const event = { event: message.event ?? 'message', data: message.data, id: message.id };
        if (event.id !== undefined) lastId = event.id;
        yield event;
        if (isLast(event)) return;
      }
    } catch (error) {
      if (signal?.aborted) throw signal.reason;
      // A dropped or silent connection: reconnect below.
      void error;
    } finally {
      clearTimeout(idle);
      connection.abort();
    }
    failingSince ??= Date.now();
    await sleep(retryMs ?? backoffMs(0), signal);
  }
}
