import crypto, { randomUUID } from 'node:crypto';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { batches } from '@/db/schema';
import { expireStaleJobs } from '@/lib/server/jobs/expire';
import { createTestAccount } from '@/tests/helpers/accounts';
import { api, waitForStatus } from '@/tests/helpers/api';
import { useJobsEnvironment } from '@/tests/helpers/environment';
import { startTestWorker, waitFor } from '@/tests/helpers/worker';

// Webhooks end to end: real jobs finish in a real worker, the dispatcher turns their outbox rows
// into deliveries, and the deliveries reach a local receiver (allowed by the test egress
// allow-list, 127.0.0.1/32) signed, retried and recorded; a private address outside the
// allow-list is refused without a request.

vi.mock('@/lib/server/session', () => import('@/tests/helpers/session'));

// The web side's creation check reads the same allow-list as the worker.
process.env.EGRESS_ALLOWLIST = '127.0.0.1/32';

type Received = { path: string; headers: http.IncomingHttpHeaders; body: string };

/** The README's verification snippet, as a receiver would paste it. */
function verify(secret: string, header: string, rawBody: string): boolean {
  const parts = Object.fromEntries(header.split(',').map((part) => part.split('=')));
  const t = Number(parts.t);
  if (!Number.isInteger(t) || Math.abs(Date.now() / 1000 - t) > 300) return false; // 5 minutes
  const expected = crypto.createHmac('sha256', secret).update(`${t}.${rawBody}`).digest('hex');
  const given = Buffer.from(parts.v1 ?? '');
  return given.length === expected.length && crypto.timingSafeEqual(given, Buffer.from(expected));
}

type Receiver = {
  url: string;
  received: Received[];
  at(path: string): Received[];
  /** Answers the next requests to `path` with these statuses, then 200. */
  plan(path: string, statuses: number[]): void;
  /** Holds requests to `path` until `release()`. */
  hold(path: string): { release(): void };
  close(): Promise<void>;
};

async function startReceiver(host = '127.0.0.1'): Promise<Receiver> {
  const received: Received[] = [];
  const plans = new Map<string, number[]>();
  const holds = new Map<string, Promise<void>>();
  const server = http.createServer(async (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    received.push({ path, headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
    await holds.get(path);
    const status = plans.get(path)?.shift() ?? 200;
    res.writeHead(status, { 'content-type': 'text/plain' }).end(status === 200 ? 'ok' : 'nope');
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host}:${port}`,
    received,
    at: (path) => received.filter((entry) => entry.path === path),
    plan: (path, statuses) => plans.set(path, [...statuses]),
    hold(path) {
      let release!: () => void;
      holds.set(path, new Promise<void>((resolve) => (release = resolve)));
      return { release: () => (holds.delete(path), release()) };
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

const env = useJobsEnvironment({ WEBHOOK_RETRY_DELAY_SECONDS: 0, WEBHOOK_RETRY_LIMIT: 3, webhookPollIntervalMs: 500 }, { worker: false });
let receiver: Receiver;

beforeAll(async () => {
  receiver = await startReceiver();
});
afterAll(async () => receiver?.close());

async function deliveriesOf(jobId: string, key: string, settled = true) {
  return waitFor(
    async () => {
      const { body } = await api('GET', `/api/v1/jobs/${jobId}/webhooks`, { key });
      const data = body.data as { status: string }[];
      return data.length > 0 && (!settled || data.every((delivery) => delivery.status !== 'pending')) ? (body.data as any[]) : undefined;
    },
    { what: `deliveries of job ${jobId}` },
  );
}

describe('events written while no worker runs', () => {
  it('sends job.expired for a job the sweeper expired (no worker needed to write the event)', async () => {
    const { secret } = await createTestAccount(env.database.db);
    const path = `/expired-${randomUUID()}`;
    const { body: job } = await api('POST', '/api/v1/jobs', { key: secret, body: { url: `${env.fixture.url}/page`, webhookUrl: `${receiver.url}${path}` } });
    await env.database.client`UPDATE jobs SET created_at = now() - interval '10 minutes' WHERE id = ${job.id}`;
    await expireStaleJobs(env.database.db, { maxWaitSeconds: 300 });
    expect((await api('GET', `/api/v1/jobs/${job.id}`, { key: secret })).body.status).toBe('expired');

    await env.startWorker();
    const [delivery] = await deliveriesOf(job.id, secret);
    expect(delivery).toMatchObject({ event: 'job.expired', status: 'succeeded', endpointId: null });
    const [request] = receiver.at(path);
    expect(JSON.parse(request.body)).toMatchObject({ type: 'job.expired', data: { id: job.id, status: 'expired' } });
  });
});

describe('job events', () => {
  beforeAll(() => env.startWorker());

  it('delivers job.completed to the job’s webhookUrl, signed with the account secret', async () => {
    const { secret } = await createTestAccount(env.database.db);
    const path = `/completed-${randomUUID()}`;
    const { body: job } = await api('POST', '/api/v1/jobs', { key: secret, body: { url: `${env.fixture.url}/page`, webhookUrl: `${receiver.url}${path}` } });
    const done = await waitForStatus(job.id, secret, ['completed']);
    const [delivery] = await deliveriesOf(job.id, secret);

    const [request] = receiver.at(path);
    expect(request.headers).toMatchObject({
      'content-type': 'application/json',
      'user-agent': 'Scrapifie-Webhooks/1.0',
      'scrapifie-event': 'job.completed',
      'scrapifie-delivery': delivery.id,
    });
    const { body: accountSecret } = await api('GET', '/api/v1/webhooks/secret', { key: secret });
    expect(accountSecret.secret).toMatch(/^whsec_/);
    expect(verify(accountSecret.secret, String(request.headers['scrapifie-signature']), request.body)).toBe(true);
    expect(verify(accountSecret.secret, String(request.headers['scrapifie-signature']), request.body.replace('completed', 'failed'))).toBe(false);
    expect(verify('whsec_wrong', String(request.headers['scrapifie-signature']), request.body)).toBe(false);

    const payload = JSON.parse(request.body);
    expect(payload).toEqual({ id: delivery.eventId, type: 'job.completed', createdAt: expect.any(String), sequence: expect.any(Number), data: expect.any(Object) });
    // The job as the API lists it, with its result's description.
    const { body: listed } = await api('GET', `/api/v1/jobs?q=${job.id}`, { key: secret });
    expect(payload.data).toEqual({ ...listed.data[0], result: expect.objectContaining({ url: `/api/v1/jobs/${job.id}/result` }) });
    expect(payload.data).toMatchObject({ id: done.id, status: 'completed', webhookUrl: `${receiver.url}${path}` });

    expect(delivery).toMatchObject({ status: 'succeeded', url: `${receiver.url}${path}`, event: 'job.completed' });
    expect(delivery.attempts).toEqual([
      { attempt: 1, startedAt: expect.any(String), responseStatus: 200, responseTimeMs: expect.any(Number), error: null, trigger: 'automatic' },
    ]);
    // The same secret every time it is asked for.
    expect((await api('GET', '/api/v1/webhooks/secret', { key: secret })).body.secret).toBe(accountSecret.secret);
  });

  it('sends job.failed and job.cancelled to an account endpoint, signed with its own secret', async () => {
    const { secret } = await createTestAccount(env.database.db);
    const path = `/endpoint-${randomUUID()}`;
    const created = await api('POST', '/api/v1/webhooks', { key: secret, body: { url: `${receiver.url}${path}`, description: 'All events' } });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ events: ['job.completed', 'job.failed', 'job.cancelled', 'job.expired', 'batch.completed', 'crawl.completed', 'crawl.cancelled', 'job.changed'], enabled: true });
    const endpointSecret = created.body.secret as string;

    const { body: failing } = await api('POST', '/api/v1/jobs', { key: secret, body: { url: `${env.fixture.url}/status/404` } });
    await waitForStatus(failing.id, secret, ['failed']);
    const { body: slow } = await api('POST', '/api/v1/jobs', { key: secret, body: { url: `${env.fixture.url}/slow?ms=5000` } });
    await waitForStatus(slow.id, secret, ['processing']);
    expect((await api('POST', `/api/v1/jobs/${slow.id}/cancel`, { key: secret })).body.status).toBe('cancelled');

    const [failedDelivery] = await deliveriesOf(failing.id, secret);
    const [cancelledDelivery] = await deliveriesOf(slow.id, secret);
    expect(failedDelivery).toMatchObject({ event: 'job.failed', status: 'succeeded', endpointId: created.body.id });
    expect(cancelledDelivery).toMatchObject({ event: 'job.cancelled', status: 'succeeded', endpointId: created.body.id });
    const requests = receiver.at(path);
    expect(requests.map((request) => JSON.parse(request.body).type).sort()).toEqual(['job.cancelled', 'job.failed']);
    for (const request of requests) expect(verify(endpointSecret, String(request.headers['scrapifie-signature']), request.body)).toBe(true);
    const failedPayload = JSON.parse(requests.find((request) => request.headers['scrapifie-event'] === 'job.failed')!.body);
    expect(failedPayload.data).toMatchObject({ id: failing.id, status: 'failed', error: { type: expect.any(String) } });

    // Listed masked, revealed on request.
    const { body: list } = await api('GET', '/api/v1/webhooks', { key: secret });
    expect(list.data[0].secret).not.toBe(endpointSecret);
    expect(list.data[0].secret).toMatch(/^whsec_•+/);
    expect((await api('GET', `/api/v1/webhooks/${created.body.id}/secret`, { key: secret })).body.secret).toBe(endpointSecret);
  });

  it('sends an endpoint only the events it subscribes to, and nothing once disabled or deleted', async () => {
    const { secret } = await createTestAccount(env.database.db);
    const failedOnly = `/failed-only-${randomUUID()}`;
    const everything = `/everything-${randomUUID()}`;
    const onlyFailed = await api('POST', '/api/v1/webhooks', { key: secret, body: { url: `${receiver.url}${failedOnly}`, events: ['job.failed'] } });
    const all = await api('POST', '/api/v1/webhooks', { key: secret, body: { url: `${receiver.url}${everything}` } });

    const { body: ok } = await api('POST', '/api/v1/jobs', { key: secret, body: { url: `${env.fixture.url}/page` } });
    await waitForStatus(ok.id, secret, ['completed']);
    const deliveries = await deliveriesOf(ok.id, secret);
    expect(deliveries.map((delivery) => delivery.endpointId)).toEqual([all.body.id]);
    expect(receiver.at(failedOnly)).toHaveLength(0);
    expect(receiver.at(everything)).toHaveLength(1);

    // Disabled, then deleted: no more deliveries to it.
    expect((await api('POST', `/api/v1/webhooks/${all.body.id}`, { key: secret, body: { enabled: false } })).body).toMatchObject({ enabled: false, disabledAt: expect.any(String) });
    const { body: failing } = await api('POST', '/api/v1/jobs', { key: secret, body: { url: `${env.fixture.url}/status/404` } });
    await waitForStatus(failing.id, secret, ['failed']);
    expect((await deliveriesOf(failing.id, secret)).map((delivery) => delivery.endpointId)).toEqual([onlyFailed.body.id]);
    expect(receiver.at(everything)).toHaveLength(1);

    expect((await api('DELETE', `/api/v1/webhooks/${onlyFailed.body.id}`, { key: secret })).status).toBe(200);
    expect((await api('GET', `/api/v1/webhooks/${onlyFailed.body.id}`, { key: secret })).status).toBe(404);
    expect((await api('GET', '/api/v1/webhooks', { key: secret })).body.data.map((endpoint: { id: string }) => endpoint.id)).toEqual([all.body.id]);
  });
});

describe('retries, redelivery and the egress guard', () => {
  beforeAll(() => env.startWorker());

  it('retries a receiver that answers 500 twice, recording all three attempts', async () => {
    const { secret } = await createTestAccount(env.database.db);
    const path = `/flaky-${randomUUID()}`;
    receiver.plan(path, [500, 500]);
    const { body: job } = await api('POST', '/api/v1/jobs', { key: secret, body: { url: `${env.fixture.url}/page`, webhookUrl: `${receiver.url}${path}` } });
    const [delivery] = await deliveriesOf(job.id, secret);
    expect(delivery.status).toBe('succeeded');
    expect(delivery.attempts.map((attempt: { responseStatus: number; error: string | null }) => [attempt.responseStatus, attempt.error])).toEqual([
      [500, 'HTTP 500'],
      [500, 'HTTP 500'],
      [200, null],
    ]);
    const requests = receiver.at(path);
    expect(requests).toHaveLength(3);
    // One event, one delivery: the same ids every time.
    expect(new Set(requests.map((request) => request.headers['scrapifie-delivery']))).toEqual(new Set([delivery.id]));
    expect(new Set(requests.map((request) => JSON.parse(request.body).id))).toEqual(new Set([delivery.eventId]));
  });

  it('marks a delivery failed after the last retry, and Redeliver adds an attempt', async () => {
    const { secret } = await createTestAccount(env.database.db);
    const path = `/down-${randomUUID()}`;
    receiver.plan(path, [503, 503, 503, 503]);
    const { body: job } = await api('POST', '/api/v1/jobs', { key: secret, body: { url: `${env.fixture.url}/page`, webhookUrl: `${receiver.url}${path}` } });
    const [failed] = await deliveriesOf(job.id, secret);
    expect(failed.status).toBe('failed');
    expect(failed.attempts).toHaveLength(4); // the first and WEBHOOK_RETRY_LIMIT=3 retries

    const held = receiver.hold(path);
    const redelivered = await api('POST', `/api/v1/webhooks/deliveries/${failed.id}/redeliver`, { key: secret });
    expect(redelivered.status).toBe(202);
    expect(redelivered.body.status).toBe('pending');
    // While that attempt is under way, another is refused.
    await waitFor(async () => receiver.at(path).length === 5);
    const again = await api('POST', `/api/v1/webhooks/deliveries/${failed.id}/redeliver`, { key: secret });
    expect(again.status).toBe(409);
    held.release();

    const [after] = await deliveriesOf(job.id, secret);
    expect(after.status).toBe('succeeded');
    expect(after.attempts.at(-1)).toMatchObject({ attempt: 5, responseStatus: 200, trigger: 'redeliver' });
    expect(JSON.parse(receiver.at(path)[4].body).id).toBe(failed.eventId);

    // Two clicks at once: one attempt (held at the receiver, so the second click meets it under way
    // rather than finished).
    const heldAgain = receiver.hold(path);
    const both = await Promise.all([1, 2].map(() => api('POST', `/api/v1/webhooks/deliveries/${failed.id}/redeliver`, { key: secret })));
    expect(both.map((reply) => reply.status).sort()).toEqual([202, 409]);
    heldAgain.release();
    await waitFor(async () => (await deliveriesOf(job.id, secret))[0].attempts.length === 6);
    // Left pending by a worker that died mid-attempt (no queue entry): still redeliverable.
    await env.database.client`UPDATE webhook_deliveries SET status = 'pending' WHERE id = ${failed.id}`;
    expect((await api('POST', `/api/v1/webhooks/deliveries/${failed.id}/redeliver`, { key: secret })).status).toBe(202);
    await waitFor(async () => (await deliveriesOf(job.id, secret))[0].attempts.length === 7);
    expect(receiver.at(path)).toHaveLength(7);

    const other = await createTestAccount(env.database.db);
    expect((await api('POST', `/api/v1/webhooks/deliveries/${failed.id}/redeliver`, { key: other.secret })).status).toBe(404);
    expect((await api('GET', `/api/v1/jobs/${job.id}/webhooks`, { key: other.secret })).status).toBe(403);
  });

  it('refuses a private webhook address without a request or a retry', async () => {
    const { secret } = await createTestAccount(env.database.db);
    const internal = await startReceiver('127.0.0.2');
    try {
      // Refused when given (the one rule of lib/egress.ts)...
      const refused = await api('POST', '/api/v1/jobs', { key: secret, body: { url: `${env.fixture.url}/page`, webhookUrl: `${internal.url}/hook` } });
      expect(refused.status).toBe(400);
      expect(refused.body.error.details.fields[0].field).toBe('webhookUrl');
      // ...and at delivery, for a URL that became internal after it was accepted (here: changed in the row).
      const { body: job } = await api('POST', '/api/v1/jobs', { key: secret, body: { url: `${env.fixture.url}/slow?ms=1500`, webhookUrl: `${receiver.url}/hook` } });
      await env.database.client`UPDATE jobs SET webhook_url = ${`${internal.url}/hook`} WHERE id = ${job.id}`;
      const [delivery] = await deliveriesOf(job.id, secret);
      expect(delivery.status).toBe('failed');
      expect(delivery.attempts).toHaveLength(1);
      expect(delivery.attempts[0]).toMatchObject({ responseStatus: null, error: 'Blocked: 127.0.0.2 is a loopback address, not a public one' });
      expect(internal.received).toHaveLength(0);
    } finally {
      await internal.close();
    }
  });

  it('refuses obviously internal endpoint URLs when they are added (the allow-list here admits 127.0.0.1 only)', async () => {
    const { secret } = await createTestAccount(env.database.db);
    for (const url of ['http://10.0.0.8/hook', 'http://[::1]/hook', 'http://169.254.169.254/latest', 'ftp://example.com/hook']) {
      const reply = await api('POST', '/api/v1/webhooks', { key: secret, body: { url } });
      expect(reply.status, url).toBe(400);
      expect(reply.body.error.details.fields.map((field: { field: string }) => field.field)).toEqual(['url']);
    }
    const reply = await api('POST', '/api/v1/webhooks', { key: secret, body: { url: 'https://example.com/hook', events: ['job.done'] } });
    expect(reply.body.error.details.fields[0].field).toBe('events.0');
  });
});

describe('several dispatchers and batches', () => {
  beforeAll(() => env.startWorker());

  it('two workers never deliver an event twice', async () => {
    const second = await startTestWorker(env.database.url, { WEBHOOK_RETRY_DELAY_SECONDS: 0, webhookPollIntervalMs: 500 });
    try {
      const { secret } = await createTestAccount(env.database.db);
      const path = `/many-${randomUUID()}`;
      await api('POST', '/api/v1/webhooks', { key: secret, body: { url: `${receiver.url}${path}` } });
      const jobs = await Promise.all(
        Array.from({ length: 30 }, async () => (await api('POST', '/api/v1/jobs', { key: secret, body: { url: `${env.fixture.url}/page` } })).body.id as string),
      );
      for (const id of jobs) await deliveriesOf(id, secret);
      const requests = receiver.at(path);
      expect(requests).toHaveLength(30);
      expect(new Set(requests.map((request) => JSON.parse(request.body).data.id))).toEqual(new Set(jobs));
      const [{ count }] = await env.database.client`SELECT count(*)::int AS count FROM webhook_deliveries WHERE job_id = ANY(${jobs})`;
      expect(count).toBe(30);
    } finally {
      await second.stop();
    }
  });

  it('an event that cannot be dispatched holds back no other, and stays in the outbox', async () => {
    const { secret } = await createTestAccount(env.database.db);
    const path = `/after-poison-${randomUUID()}`;
    const { body: first } = await api('POST', '/api/v1/jobs', { key: secret, body: { url: `${env.fixture.url}/page`, webhookUrl: `${receiver.url}/poison` } });
    await waitForStatus(first.id, secret, ['completed']);
    await deliveriesOf(first.id, secret);
    // The same job's event under an account that does not exist: its delivery row cannot be written.
    const ghost = randomUUID();
    await env.database.client`INSERT INTO webhook_outbox (account_id, job_id, event) VALUES (${ghost}, ${first.id}, 'job.completed')`;
    const { body: job } = await api('POST', '/api/v1/jobs', { key: secret, body: { url: `${env.fixture.url}/page`, webhookUrl: `${receiver.url}${path}` } });
    const [delivery] = await deliveriesOf(job.id, secret);
    expect(delivery.status).toBe('succeeded');
    const [{ count }] = await env.database.client`SELECT count(*)::int AS count FROM webhook_outbox WHERE account_id = ${ghost}`;
    expect(count).toBe(1);
    await env.database.client`DELETE FROM webhook_outbox WHERE account_id = ${ghost}`;
  });

  it('sends batch.completed once, when the batch’s last job ends', async () => {
    const { secret, account, key } = await createTestAccount(env.database.db);
    const path = `/batch-${randomUUID()}`;
    const endpoint = await api('POST', '/api/v1/webhooks', { key: secret, body: { url: `${receiver.url}${path}`, events: ['batch.completed'] } });
    expect(endpoint.status).toBe(201);
    const batchId = randomUUID();
    const ownPath = `/batch-own-${randomUUID()}`;
    await env.database.db.insert(batches).values({
      id: batchId,
      accountId: account.id,
      apiKeyId: key.id,
      engine: 'http',
      config: { method: 'GET', headers: {}, cookies: {}, renderJs: true, waitTimeoutMs: 10_000, screenshot: false, format: 'html', timeoutMs: 30_000 },
      total: 4,
      webhookUrl: `${receiver.url}${ownPath}`,
    });
    // Slow pages, so every job is linked to the batch well before it ends.
    const jobs = await Promise.all(
      [1200, 1300, 1400, 1500].map(
        async (ms) => (await api('POST', '/api/v1/jobs', { key: secret, body: { url: `${env.fixture.url}/slow?ms=${ms}` } })).body.id as string,
      ),
    );
    await env.database.client`UPDATE jobs SET batch_id = ${batchId} WHERE id = ANY(${jobs})`;
    for (const id of jobs) await waitForStatus(id, secret, ['completed']);

    await waitFor(async () => receiver.at(path).length === 1 && receiver.at(ownPath).length === 1, { what: 'batch.completed' });
    const payload = JSON.parse(receiver.at(path)[0].body);
    expect(payload).toMatchObject({ type: 'batch.completed', data: { id: batchId, total: 4, completedAt: expect.any(String) } });
    expect(payload.data.counts).toEqual({ queued: 0, processing: 0, completed: 4, failed: 0, cancelled: 0, expired: 0 });
    expect(JSON.parse(receiver.at(ownPath)[0].body).id).toBe(payload.id);
    const [batch] = await env.database.client`SELECT completed_at FROM batches WHERE id = ${batchId}`;
    expect(batch.completed_at).not.toBeNull();
    // Nothing more comes: the batch completed once.
    const [{ count }] = await env.database.client`SELECT count(*)::int AS count FROM webhook_deliveries WHERE batch_id = ${batchId} AND event = 'batch.completed'`;
    expect(count).toBe(2);
  });
});
