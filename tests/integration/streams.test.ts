import { afterAll, describe, expect, it } from 'vitest';
import { resetEnvCache } from '@/lib/env';
import { closeNotifications, notificationBackendPid } from '@/lib/server/streams/notifications';
import { createTestAccount } from '@/tests/helpers/accounts';
import { api, waitForStatus } from '@/tests/helpers/api';
import { useJobsEnvironment } from '@/tests/helpers/environment';
import { openStream, type StreamEvent } from '@/tests/helpers/sse';
import { waitFor } from '@/tests/helpers/worker';

// The live streams against the real route handlers, a real worker and the triggers' NOTIFYs:
// what a client following a job, a batch or the account sees, including resuming with
// Last-Event-ID and surviving the loss of the server's LISTEN connection.

const env = useJobsEnvironment({}, { worker: false });
afterAll(() => closeNotifications());

const logSeqs = (events: StreamEvent[]) => events.filter((e) => e.event === 'log').map((e) => Number(e.id));
const allLogs = async (id: string, key: string) => (await api('GET', `/api/v1/jobs/${id}/logs`, { key })).body.data;

describe('job stream', () => {
  it('sends the job, every log entry in order, status changes, then end with the job, and closes', async () => {
    await env.startWorker();
    const { secret } = await createTestAccount(env.database.db);
    const { body: job } = await api('POST', '/api/v1/jobs', { key: secret, body: { url: `${env.fixture.url}/slow?ms=300` } });
    const stream = await openStream(`/api/v1/jobs/${job.id}/stream`, { key: secret });
    expect(stream.status).toBe(200);
    expect(stream.headers.get('content-type')).toContain('text/event-stream');
    const end = await stream.next((e) => e.event === 'end', 'the end event');
    await stream.closed;

    expect(stream.events[0].event).toBe('status');
    const final = (await api('GET', `/api/v1/jobs/${job.id}`, { key: secret })).body;
    expect(end.data).toEqual(final);
    expect(final.status).toBe('completed');
    const statuses = stream.events.filter((e) => e.event === 'status').map((e) => e.data.status);
    expect(statuses.at(-1)).toBe('completed');
    expect(new Set(statuses).size).toBe(statuses.length);
    // Every entry the logs route lists, once, in order, with id = seq.
    const logs = await allLogs(job.id, secret);
    expect(stream.events.filter((e) => e.event === 'log').map((e) => e.data)).toEqual(logs);
    expect(logSeqs(stream.events)).toEqual(logs.map((entry: { seq: number }) => entry.seq));
    expect(stream.events.at(-1)!.event).toBe('end');
  });

  it('resumes after Last-Event-ID (or ?after=) without gaps or repeats', async () => {
    await env.startWorker();
    const { secret } = await createTestAccount(env.database.db);
    // Two server errors retried: the job logs a dozen entries over a few hundred milliseconds.
    const { body: job } = await api('POST', '/api/v1/jobs', { key: secret, body: { url: `${env.fixture.url}/flaky?fail=2&key=${Date.now()}` } });
    const first = await openStream(`/api/v1/jobs/${job.id}/stream`, { key: secret });
    const third = await first.next((e) => e.event === 'log' && Number(e.id) >= 3, 'the third entry');
    await first.close();
    const seen = logSeqs(first.events);
    const lastSeen = seen.at(-1)!;
    expect(Number(third.id)).toBeLessThanOrEqual(lastSeen);

    const resumed = await openStream(`/api/v1/jobs/${job.id}/stream`, { key: secret, lastEventId: String(lastSeen) });
    await resumed.next((e) => e.event === 'end', 'the end event');
    const logs = await allLogs(job.id, secret);
    const all = [...seen, ...logSeqs(resumed.events)];
    expect(all).toEqual(logs.map((entry: { seq: number }) => entry.seq));
    expect(resumed.events[0]).toMatchObject({ event: 'status' });

    // ?after= means the same; the finished job's stream ends at once.
    const after = await openStream(`/api/v1/jobs/${job.id}/stream?after=${logs.length - 2}`, { key: secret });
    await after.closed;
    expect(after.events.map((e) => e.event)).toEqual(['status', 'log', 'log', 'end']);
    expect(logSeqs(after.events)).toEqual([logs.length - 1, logs.length]);
  });

  it('keeps streaming after the LISTEN connection is dropped, missing nothing', async () => {
    await env.worker?.stop();
    env.worker = undefined;
    const { secret } = await createTestAccount(env.database.db);
    const { body: job } = await api('POST', '/api/v1/jobs', { key: secret, body: { url: `${env.fixture.url}/page` } });
    const stream = await openStream(`/api/v1/jobs/${job.id}/stream`, { key: secret });
    await stream.next((e) => e.event === 'status' && e.data.status === 'queued', 'the queued job');
    const pid = await notificationBackendPid();
    await env.database.client`SELECT pg_terminate_backend(${pid})`;
    // The job runs while (or right after) the server listens again.
    await env.startWorker();
    const end = await stream.next((e) => e.event === 'end', 'the end event');
    expect(end.data.status).toBe('completed');
    expect(logSeqs(stream.events)).toEqual((await allLogs(job.id, secret)).map((entry: { seq: number }) => entry.seq));
    expect(await notificationBackendPid()).not.toBe(pid);
  });

  it('waits for the last entry of a job cancelled while running, then ends with the job as GET returns it', async () => {
    await env.startWorker();
    const { secret } = await createTestAccount(env.database.db);
    const { body: job } = await api('POST', '/api/v1/jobs', { key: secret, body: { url: `${env.fixture.url}/slow?ms=15000`, timeoutMs: 60000 } });
    const stream = await openStream(`/api/v1/jobs/${job.id}/stream`, { key: secret });
    await stream.next((e) => e.event === 'status' && e.data.status === 'processing', 'the processing job');
    await waitFor(async () => env.fixture.hits('/slow') > 0, { what: 'the request to reach the fixture' });
    await api('POST', `/api/v1/jobs/${job.id}/cancel`, { key: secret });
    const end = await stream.next((e) => e.event === 'end', 'the end event');
    const logs = stream.events.filter((e) => e.event === 'log').map((e) => e.data.message);
    expect(logs.at(-1)).toBe('Job cancelled during processing, resources released');
    expect(end.data).toEqual((await api('GET', `/api/v1/jobs/${job.id}`, { key: secret })).body);
    expect(end.data.status).toBe('cancelled');
  });

  it('closes after STREAM_MAX_SECONDS without an end, and a reconnect with Last-Event-ID carries on', async () => {
    await env.worker?.stop();
    env.worker = undefined;
    const { secret } = await createTestAccount(env.database.db);
    const { body: job } = await api('POST', '/api/v1/jobs', { key: secret, body: { url: `${env.fixture.url}/page?limit=1` } });
    process.env.STREAM_MAX_SECONDS = '1';
    resetEnvCache();
    let first;
    try {
      first = await openStream(`/api/v1/jobs/${job.id}/stream`, { key: secret });
      await first.closed;
    } finally {
      delete process.env.STREAM_MAX_SECONDS;
      resetEnvCache();
    }
    // Cut off as a host's time limit would: no end, the client resumes.
    expect(first.events.map((e) => e.event)).toEqual(['status', 'log', 'log']);
    const resumed = await openStream(`/api/v1/jobs/${job.id}/stream`, { key: secret, lastEventId: first.events.at(-1)!.id });
    await env.startWorker();
    await resumed.next((e) => e.event === 'end', 'the end event');
    expect([...logSeqs(first.events), ...logSeqs(resumed.events)]).toEqual((await allLogs(job.id, secret)).map((entry: { seq: number }) => entry.seq));
  });

  it('answers an unknown job, another account\'s job and a bad resume point like the job route', async () => {
    const { secret } = await createTestAccount(env.database.db);
    const other = await createTestAccount(env.database.db);
    const { body: job } = await api('POST', '/api/v1/jobs', { key: other.secret, body: { url: `${env.fixture.url}/page` } });
    const missing = await openStream('/api/v1/jobs/00000000-0000-4000-8000-000000000000/stream', { key: secret });
    expect(missing.status).toBe(404);
    expect((await missing.json()).error.code).toBe('not_found');
    expect((await openStream(`/api/v1/jobs/${job.id}/stream`, { key: secret })).status).toBe(403);
    expect((await openStream(`/api/v1/jobs/${job.id}/stream`)).status).toBe(401);
    const bad = await openStream(`/api/v1/jobs/${job.id}/stream`, { key: other.secret, lastEventId: 'abc' });
    expect(bad.status).toBe(400);
    expect((await bad.json()).error.details.fields[0].field).toBe('Last-Event-ID');
  });
});

describe('batch stream', () => {
  it('sends the batch as GET returns it on each change, then end once every job finished', async () => {
    await env.startWorker();
    const { secret } = await createTestAccount(env.database.db);
    const urls = [1, 2, 3].map((n) => `${env.fixture.url}/page?n=${n}`);
    const { body: batch } = await api('POST', '/api/v1/batches', { key: secret, body: { urls } });
    const stream = await openStream(`/api/v1/batches/${batch.id}/stream`, { key: secret });
    const end = await stream.next((e) => e.event === 'end', 'the end event');
    await stream.closed;
    const progress = stream.events.filter((e) => e.event === 'progress');
    expect(progress.length).toBeGreaterThanOrEqual(1);
    expect(progress.map((e) => e.data.finished)).toEqual([...progress.map((e) => e.data.finished)].sort((a, b) => a - b));
    expect(end.data).toMatchObject({ id: batch.id, status: 'completed', finished: 3, percent: 100 });
    const current = (await api('GET', `/api/v1/batches/${batch.id}`, { key: secret })).body;
    expect({ ...end.data, completedAt: null }).toEqual({ ...current, completedAt: null });
    expect(progress.at(-1)!.data).toEqual(end.data);
  });

  it('ends with the cancelled batch when it is cancelled', async () => {
    await env.worker?.stop();
    env.worker = undefined;
    const { secret } = await createTestAccount(env.database.db);
    const { body: batch } = await api('POST', '/api/v1/batches', { key: secret, body: { urls: [`${env.fixture.url}/page?c=1`, `${env.fixture.url}/page?c=2`] } });
    const stream = await openStream(`/api/v1/batches/${batch.id}/stream`, { key: secret });
    await stream.next((e) => e.event === 'progress', 'the first progress');
    await api('POST', `/api/v1/batches/${batch.id}/cancel`, { key: secret });
    const end = await stream.next((e) => e.event === 'end', 'the end event');
    expect(end.data).toMatchObject({ status: 'cancelled', counts: { cancelled: 2 } });
  });
});

describe('account stream', () => {
  it('sends each state change of the account\'s jobs that matches the filters', async () => {
    await env.startWorker();
    const { secret } = await createTestAccount(env.database.db);
    const other = await createTestAccount(env.database.db);
    const stream = await openStream('/api/v1/jobs/stream?tag=watched', { key: secret });
    // Opened (subscribed) before the jobs exist: wait for the first ping-free moment by submitting after the reply.
    const { body: watched } = await api('POST', '/api/v1/jobs', { key: secret, body: { url: `${env.fixture.url}/page?w=1`, tags: ['watched'] } });
    const { body: unwatched } = await api('POST', '/api/v1/jobs', { key: secret, body: { url: `${env.fixture.url}/page?w=2`, tags: ['other'] } });
    await api('POST', '/api/v1/jobs', { key: other.secret, body: { url: `${env.fixture.url}/page?w=3`, tags: ['watched'] } });
    const done = await stream.next((e) => e.event === 'job' && e.data.id === watched.id && e.data.status === 'completed', 'the completed job');
    await waitForStatus(unwatched.id, secret, ['completed']);
    const listed = (await api('GET', `/api/v1/jobs?tag=watched`, { key: secret })).body.data[0];
    expect(done.data).toEqual(listed);
    expect(stream.events.every((e) => e.event === 'job' && e.data.id === watched.id)).toBe(true);
    // Each read shows the job as it is then: states that passed within one read are not repeated.
    const seen = stream.events.map((e) => e.data.status);
    expect(seen.at(-1)).toBe('completed');
    expect(typeof done.id).toBe('string');

    // Reconnecting with the last cursor catches up on what changed meanwhile (the latest state of each job).
    await stream.close();
    const cursor = done.id!;
    const { body: later } = await api('POST', '/api/v1/jobs', { key: secret, body: { url: `${env.fixture.url}/page?w=4`, tags: ['watched'] } });
    await waitForStatus(later.id, secret, ['completed']);
    const resumed = await openStream('/api/v1/jobs/stream?tag=watched', { key: secret, lastEventId: cursor });
    const caughtUp = await resumed.next((e) => e.data.id === later.id, 'the job that finished while disconnected');
    expect(caughtUp.data.status).toBe('completed');
    await resumed.close();
  });

  it('refuses a bad filter or cursor with 400', async () => {
    const { secret } = await createTestAccount(env.database.db);
    expect((await openStream('/api/v1/jobs/stream?status=nope', { key: secret })).status).toBe(400);
    expect((await openStream('/api/v1/jobs/stream', { key: secret, lastEventId: 'not-a-cursor' })).status).toBe(400);
  });
});

describe('idle streams', () => {
  it('cost no queries while nothing happens', async () => {
    await env.worker?.stop();
    env.worker = undefined;
    const { secret } = await createTestAccount(env.database.db);
    const { body: job } = await api('POST', '/api/v1/jobs', { key: secret, body: { url: `${env.fixture.url}/page` } });
    const streams = await Promise.all(Array.from({ length: 10 }, () => openStream(`/api/v1/jobs/${job.id}/stream`, { key: secret })));
    await Promise.all(streams.map((s) => s.next((e) => e.event === 'status', 'the first status')));
    const count = async () => {
      const [row] = await env.database.client`SELECT xact_commit::bigint AS n FROM pg_stat_database WHERE datname = current_database()`;
      return Number(row.n);
    };
    // pg_stat_database is updated when a backend reports (at most every second or so): wait for it to settle.
    await waitFor(async () => {
      const a = await count();
      await new Promise((r) => setTimeout(r, 1500));
      return (await count()) - a <= 2;
    }, { what: 'transactions to settle', timeoutMs: 20_000 });
    await Promise.all(streams.map((s) => s.close()));
  });
});
