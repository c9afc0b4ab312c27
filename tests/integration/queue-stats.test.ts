import { describe, expect, it } from 'vitest';
import { createTestAccount } from '@/tests/helpers/accounts';
import { api, waitForStatus } from '@/tests/helpers/api';
import { useJobsEnvironment } from '@/tests/helpers/environment';
import { waitFor } from '@/tests/helpers/worker';

const env = useJobsEnvironment({}, { worker: false });

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
  });

  it('lists a live worker with its load, counts processing jobs and throughput, and marks the worker stopped', async () => {
    const { secret } = await createTestAccount(env.database.db, { credits: 50 });
    const worker = await env.startWorker({ heartbeatIntervalMs: 100, WORKER_CONCURRENCY_HTTP: 4 });
    const stats = async () => (await api('GET', '/api/v1/stats/queue', { key: secret })).body;

    const first = await stats();
    expect(first.workers).toEqual([
      expect.objectContaining({ id: worker.id, alive: true, concurrency: { http: 4, browser: 1, stealth: 1 }, stoppedAt: null }),
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
    expect(stopped.workers).toEqual([expect.objectContaining({ id: worker.id, alive: false, running: 0, stoppedAt: expect.any(String) })]);
    env.worker = undefined;
  });
});
