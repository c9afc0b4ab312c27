import { subscribe } from '@/lib/server/streams/notifications';

// Waiting for a job's end (POST /api/v1/scrape) on the process's one LISTEN connection
// (lib/server/streams/notifications.ts), woken by the notification finishJob sends at commit.

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
  // `notified` keeps a notification that arrives while the job is being checked.
  let notified = false;
  let wake: (() => void) | undefined;
  const waiter = () => {
    notified = true;
    wake?.();
  };
  // Listening first, then the check: a finish between the two is caught by one or the other.
  const unsubscribe = await subscribe([`finished:${jobId}`], waiter, waiter);
  try {
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
    unsubscribe();
  }
}
