import { afterAll, beforeAll } from 'vitest';
import { startFixtureServer, type FixtureServer } from '@/tests/fixtures/server';
import { createTestDatabase } from '@/tests/helpers/database';
import { startTestWorker } from '@/tests/helpers/worker';
import type { RunningWorker, WorkerOptions } from '@/workers/worker';

export type JobsEnvironment = {
  database: Awaited<ReturnType<typeof createTestDatabase>>;
  fixture: FixtureServer;
  /** The worker, once started; stopped after the file's tests unless a test stopped it. */
  worker: RunningWorker | undefined;
  /** Starts the file's worker (once) when a test wants the queue to fill first. */
  startWorker(options?: Partial<WorkerOptions>): Promise<RunningWorker>;
};

/**
 * A test file's own database (cloned from the migrated template), the local fixture site and a
 * real worker, started before the file's tests (or later with `startWorker`) and stopped after them.
 */
export function useJobsEnvironment(workerOptions: Partial<WorkerOptions> = {}, { worker = true } = {}): JobsEnvironment {
  const env = {
    async startWorker(options: Partial<WorkerOptions> = {}) {
      env.worker ??= await startTestWorker(env.database.url, { ...workerOptions, ...options });
      return env.worker;
    },
  } as JobsEnvironment;
  beforeAll(async () => {
    env.database = await createTestDatabase();
    env.fixture = await startFixtureServer();
    if (worker) await env.startWorker();
  });
  afterAll(async () => {
    await env.worker?.stop();
    await env.fixture?.close();
    await env.database?.close();
  });
  return env;
}
