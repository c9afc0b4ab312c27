import { getEnv } from '@/lib/env';
import { log } from '@/lib/log';

// Server-Sent Events (the README's Live streams): `event:`, `id:` and one line of JSON as
// `data:`, a `: ping` comment every 15 s so proxies keep the connection open, and a close after
// STREAM_MAX_SECONDS (below the host's limit, e.g. Vercel's maxDuration) so the client
// reconnects with Last-Event-ID instead of being cut off mid-event.

export const heartbeatMs = 15_000;
/** What a client waits before reconnecting after the server closed a stream that had not ended. */
const retryMs = 1000;

export type StreamOut = {
  send(event: string, data: unknown, id?: string | number): void;
  /** Ends the stream (after the last event). */
  close(): void;
  /** Aborted when the client goes away or the stream is closed. */
  signal: AbortSignal;
};

/**
 * A text/event-stream response whose events `run` writes. `run` sets up its subscriptions and
 * returns a cleanup, called once when the stream ends for any reason.
 */
export function eventStream(req: Request, run: (out: StreamOut) => Promise<() => void>): Response {
  const encoder = new TextEncoder();
  const abort = new AbortController();
  let cleanup: (() => void) | undefined;
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  const timers: NodeJS.Timeout[] = [];

  const finish = () => {
    if (abort.signal.aborted) return;
    abort.abort();
    timers.forEach((timer) => clearInterval(timer));
    cleanup?.();
  };
  const write = (text: string) => {
    if (abort.signal.aborted) return;
    try {
      controller.enqueue(encoder.encode(text));
    } catch {
      finish();
    }
  };
  const out: StreamOut = {
    signal: abort.signal,
    send(event, data, id) {
      write(`event: ${event}\n${id === undefined ? '' : `id: ${id}\n`}data: ${JSON.stringify(data)}\n\n`);
    },
    close() {
      if (abort.signal.aborted) return;
      finish();
      try {
        controller.close();
      } catch {
        // already closed by the client
      }
    },
  };

  const body = new ReadableStream<Uint8Array>({
    start(streamController) {
      controller = streamController;
      write(`retry: ${retryMs}\n\n`);
      timers.push(setInterval(() => write(': ping\n\n'), heartbeatMs));
      timers.push(setTimeout(() => out.close(), getEnv().STREAM_MAX_SECONDS * 1000));
      req.signal?.addEventListener('abort', finish, { once: true });
      run(out).then(
        (done) => {
          if (abort.signal.aborted) done();
          else cleanup = done;
        },
        (error) => {
          log.error('stream failed', { err: error });
          out.close();
        },
      );
    },
    cancel: finish,
  });

  return new Response(body, {
    headers: {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-cache, no-transform',
      // nginx and similar proxies buffer responses unless told not to.
      'X-Accel-Buffering': 'no',
    },
  });
}

/**
 * Runs `read` whenever `schedule()` was called, never twice at once: calls during a read make
 * one more read after it (so a burst of notifications costs one or two reads), at most every
 * `minIntervalMs`. A failed read closes the stream: the client reconnects and resumes.
 */
export function coalesced(read: () => Promise<void>, { minIntervalMs = 0, out }: { minIntervalMs?: number; out: StreamOut }) {
  const { signal } = out;
  let running = false;
  let again = false;
  let last = 0;
  const loop = async () => {
    running = true;
    try {
      while (again && !signal.aborted) {
        again = false;
        const wait = last + minIntervalMs - Date.now();
        if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
        last = Date.now();
        await read();
      }
    } catch (error) {
      // The database is away or the read failed: the client reconnects and resumes (Last-Event-ID).
      log.warn('stream read failed; closing the stream', { err: error });
      out.close();
    } finally {
      running = false;
    }
  };
  return () => {
    again = true;
    if (!running) void loop();
  };
}

/** The resume point: `Last-Event-ID` (what EventSource sends on reconnect), else `?after=`. */
export function lastEventId(req: Request): string | null {
  return req.headers.get('last-event-id') ?? new URL(req.url).searchParams.get('after');
}
