import postgres, { type Sql } from 'postgres';
import { databaseTimeouts, getDatabase, reconnectBackoffSeconds } from '@/db/client';
import { getEnv } from '@/lib/env';
import { log } from '@/lib/log';
import { jobChangedChannel, jobFinishedChannel, jobLogChannel } from '@/lib/queue';

// One LISTEN connection per web process, shared by everything that waits on the database's
// notifications: scrape waits (job finished) and live streams (job changed, log appended). A
// transaction-mode pooler cannot hold a LISTEN, so it connects to DATABASE_URL_DIRECT when set.
// When the connection drops, it LISTENs again (retrying while the database is away) and then
// tells every subscriber to re-read, since notifications sent meanwhile were lost.

const channels = [jobFinishedChannel, jobChangedChannel, jobLogChannel] as const;
export type NotificationChannel = (typeof channels)[number];

/** What a notification says: the job (`*`: every job of the statement), its account and batch when known. */
export type Notification = { channel: NotificationChannel; jobId: string; accountId?: string; batchId?: string };
type Handler = (note: Notification) => void;

type Hub = {
  /** The pool this hub was made for: a new pool (tests, closeDatabase) means a new database. */
  pool: Sql;
  connection: Sql;
  /** By key: `finished:<jobId>`, `job:<jobId>`, `account:<accountId>`, `batch:<batchId>`, `log:<jobId>`. */
  handlers: Map<string, Set<Handler>>;
  resyncs: Set<() => void>;
  /** Settles once the first LISTEN succeeded (or failed: subscribers fall back on their own checks). */
  ready: Promise<void>;
  closed: boolean;
};

const globalForHub = globalThis as unknown as { scrapifieNotifications?: Hub };

const relistenDelayMs = (attempt: number) => Math.min(5000, 250 * 2 ** attempt);

function hub(): Hub {
  const { client: pool } = getDatabase();
  const current = globalForHub.scrapifieNotifications;
  if (current && current.pool === pool && !current.closed) return current;
  if (current) void closeHub(current);
  const env = getEnv();
  const handlers = new Map<string, Set<Handler>>();
  const resyncs = new Set<() => void>();
  let listening = false;
  let attempt = 0;
  const next = {} as Hub;
  // postgres.js's own options for a LISTEN connection (its `listen` uses the same), plus onnotify,
  // which its types leave out.
  const options = {
    max: 1,
    max_lifetime: null,
    fetch_types: false,
    connect_timeout: databaseTimeouts().connectSeconds,
    backoff: reconnectBackoffSeconds,
    onnotice: () => {},
    onnotify: (channel: string, payload: string) => route(handlers, channel as NotificationChannel, payload),
    onclose: () => {
      if (next.closed || !listening) return;
      listening = false;
      log.warn('notifications: LISTEN connection closed; listening again');
      void listen(true);
    },
  };
  const connection = postgres(env.DATABASE_URL_DIRECT ?? env.DATABASE_URL!, options as postgres.Options<Record<string, never>>);
  async function listen(again: boolean): Promise<void> {
    for (;;) {
      if (next.closed) return;
      try {
        await connection.unsafe(channels.map((channel) => `LISTEN "${channel}"`).join('; '));
        listening = true;
        attempt = 0;
        // Whatever was announced while nobody listened is read again by each subscriber.
        if (again) resyncs.forEach((resync) => resync());
        return;
      } catch (error) {
        if (!again) throw error;
        await new Promise((resolve) => setTimeout(resolve, relistenDelayMs(attempt++)));
      }
    }
  }
  Object.assign(next, {
    pool,
    connection,
    handlers,
    resyncs,
    closed: false,
    ready: listen(false).catch((error) => {
      log.error('notifications: LISTEN failed; waiters fall back to their own checks', { err: error });
      // Try again in the background, and let subscribers re-read once it works.
      void listen(true);
    }),
  });
  globalForHub.scrapifieNotifications = next;
  return next;
}

/** Hands a notification to the handlers of each key it concerns (parsed once, however many listen). */
function route(handlers: Map<string, Set<Handler>>, channel: NotificationChannel, payload: string): void {
  const deliver = (key: string, note: Notification) => handlers.get(key)?.forEach((handler) => handler(note));
  if (channel === jobFinishedChannel) return deliver(`finished:${payload}`, { channel, jobId: payload });
  if (channel === jobLogChannel) {
    const note = { channel, jobId: payload };
    if (payload !== '*') return deliver(`log:${payload}`, note);
    for (const [key, set] of handlers) if (key.startsWith('log:')) set.forEach((handler) => handler(note));
    return;
  }
  const [jobId = '', accountId = '', batchId = ''] = payload.split(' ');
  const note = { channel, jobId, accountId, batchId: batchId || undefined };
  if (jobId !== '*') deliver(`job:${jobId}`, note);
  deliver(`account:${accountId}`, note);
  if (batchId) deliver(`batch:${batchId}`, note);
}

async function closeHub(current: Hub): Promise<void> {
  current.closed = true;
  if (globalForHub.scrapifieNotifications === current) globalForHub.scrapifieNotifications = undefined;
  await current.connection.end({ timeout: 1 }).catch(() => {});
}

/**
 * Calls `handler` with each notification about `key` (`finished:<jobId>`, `job:<jobId>`,
 * `account:<accountId>`, `batch:<batchId>`, `log:<jobId>`); `resync` after the LISTEN connection
 * was lost and is back (what was announced meanwhile is lost: read again). Resolves once
 * listening (or once the first attempt failed). Returns the unsubscribe.
 */
export async function subscribe(keys: string[], handler: Handler, resync?: () => void): Promise<() => void> {
  const current = hub();
  for (const key of keys) {
    const set = current.handlers.get(key) ?? new Set();
    set.add(handler);
    current.handlers.set(key, set);
  }
  if (resync) current.resyncs.add(resync);
  await current.ready;
  return () => {
    for (const key of keys) {
      const set = current.handlers.get(key);
      set?.delete(handler);
      if (set?.size === 0) current.handlers.delete(key);
    }
    if (resync) current.resyncs.delete(resync);
  };
}

/** The LISTEN connection's backend pid (tests drop it to check the reconnection). */
export async function notificationBackendPid(): Promise<number> {
  const current = hub();
  await current.ready;
  const [row] = await current.connection<{ pid: number }[]>`SELECT pg_backend_pid() AS pid`;
  return row.pid;
}

/** Ends the process's LISTEN connection (tests, shutdown). */
export async function closeNotifications(): Promise<void> {
  const current = globalForHub.scrapifieNotifications;
  if (current) await closeHub(current);
}
