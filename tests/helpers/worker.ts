import { startWorker, type WorkerOptions } from '@/workers/worker';

/** A real worker on the test file's database, tuned so retries and recovery run in test time. */
export function startTestWorker(databaseUrl: string, overrides: Partial<WorkerOptions> = {}) {
  return startWorker({
    databaseUrl,
    WORKER_CONCURRENCY_HTTP: 8,
    WORKER_CONCURRENCY_BROWSER: 1,
    WORKER_CONCURRENCY_STEALTH: 1,
    WORKER_SHUTDOWN_GRACE_SECONDS: 5,
    JOB_LEASE_SECONDS: 3,
    MAX_QUEUE_WAIT_SECONDS: 300,
    MAX_RESULT_BYTES: 1024 * 1024,
    EGRESS_ALLOWLIST: '127.0.0.1/32',
    RETRY_DELAY_SCALE: 0.05,
    LOG_FLUSH_MS: 50,
    sweepIntervalMs: 250,
    log: () => {},
    ...overrides,
  });
}

/** Polls until `check` returns a value (not undefined), or fails after `timeoutMs`. */
export async function waitFor<T>(check: () => Promise<T | undefined | false>, { timeoutMs = 20_000, intervalMs = 50, what = 'condition' } = {}): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value as T;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}
