import * as jobStreamRoute from '@/app/api/v1/jobs/[id]/stream/route';
import * as batchStreamRoute from '@/app/api/v1/batches/[id]/stream/route';
import * as accountStreamRoute from '@/app/api/v1/jobs/stream/route';

// Opens a live stream on the real route handler and reads its Server-Sent Events as a client
// would (EventSource's parsing rules: `event:`, `id:`, `data:` lines, a blank line ends an event).

export type StreamEvent = { event: string; id?: string; data: any };

type Handler = (req: Request, ctx: { params: Promise<Record<string, string>> }) => Promise<Response>;

function routeFor(path: string): { handler: Handler; params: Record<string, string> } {
  const pathname = new URL(path, 'http://localhost').pathname;
  if (pathname === '/api/v1/jobs/stream') return { handler: accountStreamRoute.GET as Handler, params: {} };
  const job = /^\/api\/v1\/jobs\/([^/]+)\/stream$/.exec(pathname);
  if (job) return { handler: jobStreamRoute.GET as Handler, params: { id: job[1] } };
  const batch = /^\/api\/v1\/batches\/([^/]+)\/stream$/.exec(pathname);
  if (batch) return { handler: batchStreamRoute.GET as Handler, params: { id: batch[1] } };
  throw new Error(`No stream route for ${pathname}`);
}

export type OpenStream = {
  status: number;
  headers: Headers;
  /** The events read so far. */
  events: StreamEvent[];
  /** Comment lines read so far (`: ping`). */
  comments: string[];
  /** Resolves when the server closed the stream. */
  closed: Promise<void>;
  /** Waits until an event satisfies `match` (or the stream closes first: then throws). */
  next(match: (event: StreamEvent) => boolean, what?: string): Promise<StreamEvent>;
  /** The client goes away. */
  close(): Promise<void>;
  /** The body, for a reply that is not a stream. */
  json(): Promise<any>;
};

export async function openStream(path: string, { key, lastEventId }: { key?: string; lastEventId?: string } = {}): Promise<OpenStream> {
  const { handler, params } = routeFor(path);
  const controller = new AbortController();
  const headers: Record<string, string> = { accept: 'text/event-stream' };
  if (key) headers.authorization = `Bearer ${key}`;
  if (lastEventId !== undefined) headers['last-event-id'] = lastEventId;
  const res = await handler(new Request(new URL(path, 'http://localhost:3000'), { headers, signal: controller.signal }), { params: Promise.resolve(params) });
  const events: StreamEvent[] = [];
  const comments: string[] = [];
  const waiters = new Set<() => void>();
  let ended = false;
  const isStream = (res.headers.get('content-type') ?? '').startsWith('text/event-stream');
  const reader = isStream ? res.body!.getReader() : undefined;
  const closed = (async () => {
    if (!reader) return;
    const decoder = new TextDecoder();
    let buffer = '';
    let current: { event?: string; id?: string; data: string[] } = { data: [] };
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += decoder.decode(value, { stream: true });
        let newline: number;
        while ((newline = buffer.indexOf('\n')) >= 0) {
          const line = buffer.slice(0, newline);
          buffer = buffer.slice(newline + 1);
          if (line === '') {
            if (current.data.length > 0) events.push({ event: current.event ?? 'message', id: current.id, data: JSON.parse(current.data.join('\n')) });
            current = { data: [] };
            waiters.forEach((wake) => wake());
          } else if (line.startsWith(':')) comments.push(line.slice(1).trim());
          else {
            const [field, ...rest] = line.split(':');
            const text = rest.join(':').replace(/^ /, '');
            if (field === 'event') current.event = text;
            else if (field === 'id') current.id = text;
            else if (field === 'data') current.data.push(text);
          }
        }
      }
    } catch {
      // the client closed it
    } finally {
      ended = true;
      waiters.forEach((wake) => wake());
    }
  })();
  return {
    status: res.status,
    headers: res.headers,
    events,
    comments,
    closed,
    json: () => res.json(),
    async next(match, what = 'an event') {
      const deadline = Date.now() + 30_000;
      for (;;) {
        const found = events.find(match);
        if (found) return found;
        if (ended) throw new Error(`The stream closed before ${what} (got ${events.map((e) => e.event).join(', ')})`);
        if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
        await new Promise<void>((resolve) => {
          const timer = setTimeout(done, 1000);
          waiters.add(done);
          function done() {
            clearTimeout(timer);
            waiters.delete(done);
            resolve();
          }
        });
      }
    },
    async close() {
      await reader?.cancel().catch(() => {});
      controller.abort();
      await closed;
    },
  };
}
