import { afterAll, beforeAll } from 'vitest';
import { startFixtureServer, type FixtureServer } from '@/tests/fixtures/server';
import { createTestDatabase } from '@/tests/helpers/database';
import { startTestWorker } from '@/tests/helpers/worker';
import type { RunningWorker, WorkerOptions } from '@/workers/worker';

export type JobsEnvironment = {
  database: Awaited<ReturnType<typeof createTestDatabase>>;
  fixture: FixtureServer;
  worker: RunningWorker;
};

/**
 * A test file's own database (cloned from the migrated template), the local fixture site and a
 * real worker, started before the file's tests and stopped after them.
 */
export function useJobsEnvironment(workerOptions: Partial<WorkerOptions> = {}): JobsEnvironment {
  const env = {} as JobsEnvironment;
  beforeAll(async () => {
    env.database = await createTestDatabase();
    env.fixture = await startFixtureServer();
    env.worker = await startTestWorker(env.database.url, workerOptions);
  });
  afterAll(async () => {
    await env.worker?.stop();
    await env.fixture?.close();
    await env.database?.close();
  });
  return env;
}
