import { PgBoss } from 'pg-boss';
import { afterAll, describe, expect, it } from 'vitest';
import { queueNames } from '@/lib/queue';
import { createTestAccount } from '@/tests/helpers/accounts';
import { api, waitForStatus } from '@/tests/helpers/api';
import { useJobsEnvironment } from '@/tests/helpers/environment';
import { waitFor } from '@/tests/helpers/worker';
import { spawnWorkerProcess, type WorkerProcess } from '@/tests/helpers/worker-process';

const env = useJobsEnvironment({}, { worker: false });
const processes: WorkerProcess[] = [];
afterAll(() => processes.forEach((worker) => worker.child.kill('SIGKILL')));

describe('GET /api/v1/stats/queue', () => {
  it('shows queued jobs per engine and their age while no worker runs', async () => {
    const { secret } = await createTestAccount(env.database.db, { credits: 50 });
    const other = await createTestAccount(env.database.db, { credits: 50 });
    await api('POST', '/api/v1/jobs', { key: secret, body: { url: `${env.fixture.url}/page` } });
    await api('POST', '/api/v1/jobs', { key: secret, body: { url: `${env.fixture.url}/text` } });
    await api('POST', '/api/v1/jobs', { key: other.secret, body: { url: `${env.fixture.url}/page` } });
    await env.database.client`UPDATE jobs SET created_at = now() - interval '42 seconds' WHERE url = ${`${env.fixture.url}/page`}`;

    const { status, body } = await api('GET', '/api/v1/stats/queue', { key: secret });
    expect(status).toBe(200);
    expect(body.engines).toEqual([
      { engine: 'http', queued: 2, processing: 0, oldestQueuedAgeSeconds: expect.any(Number) },
      { engine: 'browser', queued: 0, processing: 0, oldestQueuedAgeSeconds: null },
      { engine: 'stealth', queued: 0, processing: 0, oldestQueuedAgeSeconds: null },
    ]);
    expect(body.engines[0].oldestQueuedAgeSeconds).toBeGreaterThanOrEqual(42);
    expect(body.workers).toEqual([]);
    expect(body.jobsPerMinute).toBe(0);
    expect(body.stuckJobs).toEqual({ count: 0, oldestLeaseExpiredSeconds: null });
    expect(body.recoveringJobs).toEqual({ count: 0, withinSeconds: null });
  });

  it('lists a live worker with its load, counts processing jobs and throughput, and marks the worker stopped', async () => {
    const { secret } = await createTestAccount(env.database.db, { credits: 50 });
    const worker = await env.startWorker({ heartbeatIntervalMs: 100, WORKER_CONCURRENCY_HTTP: 4 });
    const stats = async () => (await api('GET', '/api/v1/stats/queue', { key: secret })).body;

    const first = await stats();
    expect(first.workers).toEqual([
      expect.objectContaining({ id: worker.id, alive: true, status: 'alive', concurrency: { http: 4, browser: 1, stealth: 1 }, stoppedAt: null }),
    ]);
    expect(first.workers[0].rssBytes).toBeGreaterThan(1024 * 1024);

    const { body: slow } = await api('POST', '/api/v1/jobs', { key: secret, body: { url: `${env.fixture.url}/slow?ms=2000` } });
    const busy = await waitFor(async () => {
      const now = await stats();
      return now.workers[0]?.running === 1 && now.engines[0].processing === 1 ? now : undefined;
    }, { what: 'the worker to report the slow job running' });
    expect(busy.engines[0]).toMatchObject({ engine: 'http', queued: 0, processing: 1 });

    await waitForStatus(slow.id, secret, ['completed']);
    const after = await waitFor(async () => {
      const now = await stats();
      return now.workers[0]?.running === 0 ? now : undefined;
    });
    expect(after.jobsPerMinute).toBe(0.2);

    await worker.stop();
    const stopped = await stats();
    expect(stopped.workers).toEqual([
      expect.objectContaining({ id: worker.id, alive: false, status: 'stopped', running: 0, stoppedAt: expect.any(String) }),
    ]);
    env.worker = undefined;
  });

  it('shows a hung worker as gone and its job as recovering, then stuck, until another worker recovers it', async () => {
    const { secret } = await createTestAccount(env.database.db, { credits: 50 });
    const stats = async () => (await api('GET', '/api/v1/stats/queue', { key: secret })).body;
    const hung = await spawnWorkerProcess(env.database, { JOB_LEASE_SECONDS: '6' });
    processes.push(hung);
    const { body: job } = await api('POST', '/api/v1/jobs', { key: secret, body: { url: `${env.fixture.url}/slow?ms=3000` } });
    await waitForStatus(job.id, secret, ['processing']);

    // Frozen mid-job: no heartbeat, no lease renewal, no sweep. Its last heartbeat is then set 20 s
    // back, as if that long had passed (the frozen process cannot write a newer one).
    hung.child.kill('SIGSTOP');
    await env.database.client`UPDATE workers SET heartbeat_at = now() - interval '20 seconds' WHERE id = ${hung.id}`;
    const frozen = await stats();
    expect(frozen.workers.find((w: any) => w.id === hung.id)).toMatchObject({ status: 'gone', alive: false, stoppedAt: null });
    expect(frozen.workers.find((w: any) => w.id === hung.id).heartbeatAgeSeconds).toBeGreaterThanOrEqual(20);
    expect(frozen.recoveringJobs).toEqual({ count: 1, withinSeconds: expect.any(Number) });
    expect(frozen.recoveringJobs.withinSeconds).toBeLessThanOrEqual(6);
    expect(frozen.stuckJobs.count).toBe(0);

    // Its lease lapses; with no live worker to sweep, the job is stuck and says so.
    const stuck = await waitFor(async () => {
      const now = await stats();
      return now.stuckJobs.count === 1 ? now : undefined;
    }, { what: 'the lease to lapse', timeoutMs: 30_000 });
    expect(stuck.stuckJobs.oldestLeaseExpiredSeconds).toBeGreaterThanOrEqual(0);
    expect(stuck.recoveringJobs.count).toBe(0);
    expect(stuck.engines[0]).toMatchObject({ engine: 'http', processing: 1 });

    // A live worker's sweeper gives the job a new attempt, which completes.
    const rescuer = await env.startWorker({ heartbeatIntervalMs: 100 });
    const done = await waitForStatus(job.id, secret, ['completed', 'failed']);
    expect(done).toMatchObject({ status: 'completed', attempts: 2, credits: 1 });
    expect(done.attemptHistory.map((a: any) => a.outcome)).toEqual(['lost', 'completed']);
    const after = await stats();
    expect(after.stuckJobs).toEqual({ count: 0, oldestLeaseExpiredSeconds: null });
    // Running workers first; the one stopped by the previous test is listed as stopped.
    expect(after.workers.map((w: any) => [w.id, w.status])).toEqual([
      [rescuer.id, 'alive'],
      [hung.id, 'gone'],
      [expect.any(String), 'stopped'],
    ]);
  });

  it('re-sends a job whose delivery a worker fetched and never claimed', async () => {
    const { secret } = await createTestAccount(env.database.db, { credits: 50 });
    processes.forEach((worker) => worker.child.kill('SIGKILL'));
    await env.worker?.stop();
    env.worker = undefined;
    const { body: job } = await api('POST', '/api/v1/jobs', { key: secret, body: { url: `${env.fixture.url}/page?orphan=1` } });
    // A worker that fetches the delivery and dies before claiming the job: pg-boss marks it active
    // and, never retrying a delivery, would leave the job queued until it expires.
    const boss = new PgBoss({ connectionString: env.database.url, max: 1, migrate: false, supervise: false, schedule: false, registerInstance: false });
    await boss.start();
    const [delivery] = await boss.fetch(queueNames.http);
    expect(delivery.data).toEqual({ jobId: job.id });
    await boss.stop({ graceful: false });

    await env.startWorker({ JOB_LEASE_SECONDS: 1 });
    const done = await waitForStatus(job.id, secret, ['completed', 'failed']);
    expect(done).toMatchObject({ status: 'completed', attempts: 1, credits: 1 });
    const logs = (await api('GET', `/api/v1/jobs/${job.id}/logs`, { key: secret })).body.data.map((e: any) => e.message);
    expect(logs).toContain('The worker that took this job from the queue stopped responding before starting it; job re-queued');
  });
});
