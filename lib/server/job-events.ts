import postgres, { type Sql } from 'postgres';
import { databaseTimeouts, getDatabase, reconnectBackoffSeconds } from '@/db/client';
import { getEnv } from '@/lib/env';
import { log } from '@/lib/log';
import { jobFinishedChannel } from '@/lib/queue';

// One LISTEN connection per process for "job finished" notifications (sent at commit by
// finishJob), shared by every request waiting on a job, instead of a connection per request.
// A transaction-mode pooler (PgBouncer, Supavisor) cannot hold a LISTEN, so with
// DATABASE_URL_DIRECT set the listener gets its own session connection there.

type Listening = { client: Sql; listener?: Sql; ready: Promise<unknown>; waiters: Map<string, Set<() => void>> };

const globalForEvents = globalThis as unknown as { scrapifieJobEvents?: Listening };

function listening(): Listening {
  const { client } = getDatabase();
  const current = globalForEvents.scrapifieJobEvents;
  // A new pool (tests, or after closeDatabase) means the old LISTEN connection is gone with it.
  if (current && current.client === client) return current;
  void current?.listener?.end({ timeout: 1 });
  const direct = getEnv().DATABASE_URL_DIRECT;
  const listener = direct
    ? postgres(direct, { max: 1, connect_timeout: databaseTimeouts().connectSeconds, backoff: reconnectBackoffSeconds, onnotice: () => {} })
    : undefined;
  const waiters = new Map<string, Set<() => void>>();
  const next: Listening = {
    client,
    listener,
    waiters,
    ready: (listener ?? client).listen(jobFinishedChannel, (jobId) => waiters.get(jobId)?.forEach((wake) => wake())),
  };
  next.ready.catch(() => {
    if (globalForEvents.scrapifieJobEvents === next) globalForEvents.scrapifieJobEvents = undefined;
  });
  globalForEvents.scrapifieJobEvents = next;
  return next;
}

/** How often a waiter checks the job itself, for a transition that sent no notification. */
const fallbackCheckMs = 1000;

/**
 * Waits until `isFinished()` says the job reached a terminal state, or `timeoutMs` passes, or
 * `signal` aborts. Woken by the job's notification; checks on its own every second too.
 * Returns whether the job finished.
 */
export async function waitForJobFinished(
  jobId: string,
  { isFinished, timeoutMs, signal }: { isFinished: () => Promise<boolean>; timeoutMs: number; signal?: AbortSignal },
): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  const { ready, waiters } = listening();
  // `notified` keeps a notification that arrives while the job is being checked.
  let notified = false;
  let wake: (() => void) | undefined;
  const waiter = () => {
    notified = true;
    wake?.();
  };
  const set = waiters.get(jobId) ?? new Set();
  set.add(waiter);
  waiters.set(jobId, set);
  try {
    // Listening first, then the check: a finish between the two is caught by one or the other.
    await ready.catch((error) => log.error('job events: LISTEN failed; falling back to checks', { err: error }));
    for (;;) {
      notified = false;
      if (await isFinished()) return true;
      const left = deadline - Date.now();
      if (left <= 0 || signal?.aborted) return false;
      if (notified) continue;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, Math.min(left, fallbackCheckMs));
        signal?.addEventListener('abort', done, { once: true });
        wake = done;
        function done() {
          clearTimeout(timer);
          signal?.removeEventListener('abort', done);
          wake = undefined;
          resolve();
        }
      });
    }
  } finally {
    set.delete(waiter);
    if (set.size === 0 && waiters.get(jobId) === set) waiters.delete(jobId);
  }
}
