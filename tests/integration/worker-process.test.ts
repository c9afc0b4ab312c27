import { spawn, type ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFixtureServer, type FixtureServer } from '@/tests/fixtures/server';
import { createTestAccount } from '@/tests/helpers/accounts';
import { api } from '@/tests/helpers/api';
import { createTestDatabase } from '@/tests/helpers/database';
import { startTestWorker, waitFor } from '@/tests/helpers/worker';

// The worker as operators run it: `npm run worker` in its own process, killed and stopped
// with real signals.

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let fixture: FixtureServer;
const children: ChildProcess[] = [];

beforeAll(async () => {
  database = await createTestDatabase();
  fixture = await startFixtureServer();
});
afterAll(async () => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  await fixture?.close();
  await database?.close();
});

function spawnWorker(env: Record<string, string> = {}) {
  // node with the tsx loader, not the tsx CLI: one process, so signals reach the worker itself.
  const child = spawn(process.execPath, ['--import', 'tsx', 'workers/index.ts'], {
    env: {
      ...process.env,
      DATABASE_URL: database.url,
      EGRESS_ALLOWLIST: '127.0.0.1/32',
      JOB_LEASE_SECONDS: '2',
      LOG_FLUSH_MS: '50',
      // Its lifecycle lines ("worker started") are info; the test runner's default is warn.
      LOG_LEVEL: 'info',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  children.push(child);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const started = waitFor(async () => output.includes('started'), { what: 'the worker to start', timeoutMs: 30_000 });
  return { child, exited, started, output: () => output };
}

async function submit(secret: string, url: string) {
  const { body } = await api('POST', '/api/v1/jobs', { key: secret, body: { url, timeoutMs: 60_000 } });
  return body.id as string;
}

const getJob = async (id: string, secret: string) => (await api('GET', `/api/v1/jobs/${id}`, { key: secret })).body;

describe('worker process', () => {
  it('recovers a job from a worker killed with SIGKILL: a new attempt on another worker', async () => {
    const { secret } = await createTestAccount(database.db, { credits: 10 });
    const doomed = spawnWorker();
    await doomed.started;
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
    const worker = spawnWorker({ WORKER_SHUTDOWN_GRACE_SECONDS: '20' });
    await worker.started;
    const id = await submit(secret, `${fixture.url}/slow?ms=1500`);
    await waitFor(async () => (await getJob(id, secret)).status === 'processing', { what: 'processing' });
    worker.child.kill('SIGTERM');
    expect(await worker.exited).toBe(0);
    expect((await getJob(id, secret)).status).toBe('completed');
  });

  it('past the grace period, SIGTERM hands the running job back to the queue', async () => {
    const { secret } = await createTestAccount(database.db, { credits: 10 });
    const worker = spawnWorker({ WORKER_SHUTDOWN_GRACE_SECONDS: '1' });
    await worker.started;
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
