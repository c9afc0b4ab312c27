import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFixtureServer, type FixtureServer } from '@/tests/fixtures/server';
import { createTestAccount } from '@/tests/helpers/accounts';
import { api } from '@/tests/helpers/api';
import { createTestDatabase } from '@/tests/helpers/database';
import { startTestWorker, waitFor } from '@/tests/helpers/worker';
import { spawnWorkerProcess, type WorkerProcess } from '@/tests/helpers/worker-process';

// The worker as operators run it: `npm run worker` in its own process, killed and stopped
// with real signals.

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let fixture: FixtureServer;
const spawned: WorkerProcess[] = [];

beforeAll(async () => {
  database = await createTestDatabase();
  fixture = await startFixtureServer();
});
afterAll(async () => {
  for (const { child } of spawned) if (child.exitCode === null) child.kill('SIGKILL');
  await fixture?.close();
  await database?.close();
});

async function spawnWorker(env: Record<string, string> = {}) {
  const worker = await spawnWorkerProcess(database, { JOB_LEASE_SECONDS: '2', ...env });
  spawned.push(worker);
  return worker;
}

async function submit(secret: string, url: string) {
  const { body } = await api('POST', '/api/v1/jobs', { key: secret, body: { url, timeoutMs: 60_000 } });
  return body.id as string;
}

const getJob = async (id: string, secret: string) => (await api('GET', `/api/v1/jobs/${id}`, { key: secret })).body;

describe('worker process', () => {
  it('recovers a job from a worker killed with SIGKILL: a new attempt on another worker', async () => {
    const { secret } = await createTestAccount(database.db, { credits: 10 });
    const doomed = await spawnWorker();
    const id = await submit(secret, `${fixture.url}/slow?ms=3000`);
    await waitFor(async () => (await getJob(id, secret)).status === 'processing', { what: 'processing' });
    doomed.child.kill('SIGKILL');
    await doomed.exited;

    // Lease 2 s + sweep interval: the survivor takes the job over well inside the bound.
    const survivor = await startTestWorker(database.url, { JOB_LEASE_SECONDS: 2 });
    try {
      const job = await waitFor(async () => {
        const j = await getJob(id, secret);
        return j.status === 'completed' || j.status === 'failed' ? j : undefined;
      }, { timeoutMs: 30_000, what: 'the recovered job to finish' });
      expect(job).toMatchObject({ status: 'completed', attempts: 2, credits: 1 });
      expect(job.attemptHistory.map((a: any) => a.outcome)).toEqual(['lost', 'completed']);
      const logs = (await api('GET', `/api/v1/jobs/${id}/logs`, { key: secret })).body.data.map((e: any) => e.message);
      expect(logs).toContain('Retry 1 of 2: the worker running this attempt stopped responding; job re-queued');
    } finally {
      await survivor.stop();
    }
  });

  it('SIGTERM lets a running job finish, then exits 0', async () => {
    const { secret } = await createTestAccount(database.db, { credits: 10 });
    const worker = await spawnWorker({ WORKER_SHUTDOWN_GRACE_SECONDS: '20' });
    const id = await submit(secret, `${fixture.url}/slow?ms=1500`);
    await waitFor(async () => (await getJob(id, secret)).status === 'processing', { what: 'processing' });
    worker.child.kill('SIGTERM');
    expect(await worker.exited).toBe(0);
    expect((await getJob(id, secret)).status).toBe('completed');
  });

  it('past the grace period, SIGTERM hands the running job back to the queue', async () => {
    const { secret } = await createTestAccount(database.db, { credits: 10 });
    const worker = await spawnWorker({ WORKER_SHUTDOWN_GRACE_SECONDS: '1' });
    const id = await submit(secret, `${fixture.url}/slow?ms=20000`);
    await waitFor(async () => (await getJob(id, secret)).status === 'processing', { what: 'processing' });
    worker.child.kill('SIGTERM');
    expect(await worker.exited).toBe(0);
    const job = await getJob(id, secret);
    expect(job).toMatchObject({ status: 'queued', attempts: 0 });
    const logs = (await api('GET', `/api/v1/jobs/${id}/logs`, { key: secret })).body.data.map((e: any) => e.message);
    expect(logs).toContain('Worker shutting down; job returned to the queue for another worker');
    await api('POST', `/api/v1/jobs/${id}/cancel`, { key: secret });
  });
});
