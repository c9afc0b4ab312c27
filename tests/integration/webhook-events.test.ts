import { randomUUID } from 'node:crypto';
import http, { type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { verifyWebhookSignature } from '@/lib/server/webhooks/signature';
import { createTestAccount } from '@/tests/helpers/accounts';
import { api, waitForStatus } from '@/tests/helpers/api';
import { useJobsEnvironment } from '@/tests/helpers/environment';
import { waitFor } from '@/tests/helpers/worker';

// What a programmer relies on in webhook events (issue 15): job.completed says where its result
// is, batch.completed is the batch the API returns, job.started when asked for, a test event on
// demand, secret rotation that overlaps for 24 hours, and GET /api/v1/events to catch up.

vi.mock('@/lib/server/session', () => import('@/tests/helpers/session'));
process.env.EGRESS_ALLOWLIST = '127.0.0.1/32';

type Received = { path: string; headers: IncomingHttpHeaders; body: string };

const env = useJobsEnvironment({ WEBHOOK_RETRY_DELAY_SECONDS: 0, WEBHOOK_RETRY_LIMIT: 1, webhookPollIntervalMs: 500 }, { worker: false });
const received: Received[] = [];
let server: http.Server;
let receiverUrl: string;

beforeAll(async () => {
  server = http.createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    received.push({ path: new URL(req.url ?? '/', 'http://x').pathname, headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
    res.writeHead(200).end('ok');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  receiverUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  await env.startWorker();
});
afterAll(() => new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve()))));

const at = (path: string) => received.filter((entry) => entry.path === path);
const arrived = (path: string, count = 1) => waitFor(async () => (at(path).length >= count ? at(path) : undefined), { what: `${count} request(s) to ${path}` });
const eventsAt = (path: string) => at(path).map((entry) => JSON.parse(entry.body));

async function addEndpoint(key: string, events?: string[]) {
  const path = `/hook-${randomUUID()}`;
  const { status, body } = await api('POST', '/api/v1/webhooks', { key, body: { url: `${receiverUrl}${path}`, ...(events ? { events } : {}) } });
  expect(status).toBe(201);
  return { path, endpoint: body };
}

const ownSuffix = randomUUID();

describe('job events', () => {
  it('job.completed carries the result description and its URL; events are listed for catching up', async () => {
    const { secret } = await createTestAccount(env.database.db);
    const { path } = await addEndpoint(secret);
    const { body: job } = await api('POST', '/api/v1/jobs', { key: secret, body: { url: `${env.fixture.url}/page`, format: 'markdown' } });
    await waitForStatus(job.id, secret, ['completed']);
    const [event] = eventsAt((await arrived(path))[0].path);
    expect(event.type).toBe('job.completed');
    expect(event.data.result).toEqual({ format: 'markdown', size: expect.any(Number), contentType: expect.stringContaining('text/markdown'), url: `/api/v1/jobs/${job.id}/result` });
    const result = await api('GET', event.data.result.url, { key: secret });
    expect(result.status).toBe(200);
    expect(Buffer.byteLength(result.body)).toBe(event.data.result.size);
    expect(event.sequence).toBeGreaterThanOrEqual(1);

    // A second job, then catching up: everything in sequence order, filterable by type and sequence.
    const { body: failing } = await api('POST', '/api/v1/jobs', { key: secret, body: { url: `${env.fixture.url}/status/404` } });
    await waitForStatus(failing.id, secret, ['failed']);
    await arrived(path, 2);
    const { body: listed } = await api('GET', '/api/v1/events', { key: secret });
    expect(listed).toMatchObject({ page: 1, size: 25, total: 2 });
    expect(listed.data.map((e: { type: string }) => e.type)).toEqual(['job.completed', 'job.failed']);
    expect(listed.data[0]).toEqual(event);
    expect(listed.data[1].data).toMatchObject({ id: failing.id, result: null });
    expect(listed.data[1].sequence).toBeGreaterThan(listed.data[0].sequence);
    expect((await api('GET', '/api/v1/events?type=job.failed', { key: secret })).body.data.map((e: { id: string }) => e.id)).toEqual([listed.data[1].id]);
    expect((await api('GET', `/api/v1/events?after=${event.sequence}`, { key: secret })).body.total).toBe(1);
    expect((await api('GET', `/api/v1/events?since=${encodeURIComponent(new Date(Date.now() + 60_000).toISOString())}`, { key: secret })).body.total).toBe(0);
    expect((await api('GET', '/api/v1/events?type=job.nope', { key: secret })).status).toBe(400);
    // Another account sees none of them.
    const other = await createTestAccount(env.database.db);
    expect((await api('GET', '/api/v1/events', { key: other.secret })).body.total).toBe(0);
  });

  it('sends job.started only to endpoints that subscribe to it', async () => {
    const { secret } = await createTestAccount(env.database.db);
    const optedIn = await addEndpoint(secret, ['job.started', 'job.completed']);
    const byDefault = await addEndpoint(secret);
    expect(byDefault.endpoint.events).not.toContain('job.started');
    const { body: job } = await api('POST', '/api/v1/jobs', { key: secret, body: { url: `${env.fixture.url}/page`, webhookUrl: `${receiverUrl}/own-${ownSuffix}` } });
    await waitForStatus(job.id, secret, ['completed']);
    await arrived(optedIn.path, 2);
    await arrived(byDefault.path, 1);
    const types = eventsAt(optedIn.path).map((e) => e.type).sort();
    expect(types).toEqual(['job.completed', 'job.started']);
    expect(eventsAt(optedIn.path).find((e) => e.type === 'job.started').data).toMatchObject({ id: job.id, status: 'processing', result: null });
    expect(eventsAt(byDefault.path).map((e) => e.type)).toEqual(['job.completed']);
    // The job's own webhookUrl hears its end only.
    await arrived(`/own-${ownSuffix}`);
    expect(eventsAt(`/own-${ownSuffix}`).map((e) => e.type)).toEqual(['job.completed']);
  });
});

describe('batch.completed', () => {
  it('is the batch exactly as GET /api/v1/batches/{id} returns it', async () => {
    const { secret } = await createTestAccount(env.database.db);
    const path = `/batch-${randomUUID()}`;
    const { body: batch } = await api('POST', '/api/v1/batches', { key: secret, body: { urls: [`${env.fixture.url}/page?b=1`, `${env.fixture.url}/status/404`], webhookUrl: `${receiverUrl}${path}` } });
    const [request] = await arrived(path);
    const event = JSON.parse(request.body);
    expect(event.type).toBe('batch.completed');
    const { body: current } = await api('GET', `/api/v1/batches/${batch.id}`, { key: secret });
    expect(event.data).toEqual(current);
    expect(event.data).toMatchObject({ status: 'completed', finished: 2, counts: { completed: 1, failed: 1 } });
  });
});

describe('send test event', () => {
  it('delivers a made-up event, signed and marked as a test, once', async () => {
    const { secret } = await createTestAccount(env.database.db);
    const { path, endpoint } = await addEndpoint(secret);
    const reply = await api('POST', `/api/v1/webhooks/${endpoint.id}/test`, { key: secret, body: { type: 'job.failed' } });
    expect(reply.status).toBe(202);
    expect(reply.body).toMatchObject({ endpointId: endpoint.id, event: 'job.failed', status: 'pending', jobId: null });
    const [request] = await arrived(path);
    expect(request.headers['scrapifie-test']).toBe('true');
    expect(verifyWebhookSignature({ secret: endpoint.secret, header: String(request.headers['scrapifie-signature']), body: request.body })).toBe(true);
    expect(JSON.parse(request.body)).toMatchObject({ id: reply.body.eventId, type: 'job.failed', sequence: null, data: { status: 'failed', error: { type: 'TARGET_BLOCKED' } } });
    // Default type, and not in the event log.
    expect((await api('POST', `/api/v1/webhooks/${endpoint.id}/test`, { key: secret })).body.event).toBe('job.completed');
    expect((await api('GET', '/api/v1/events', { key: secret })).body.total).toBe(0);
    const other = await createTestAccount(env.database.db);
    expect((await api('POST', `/api/v1/webhooks/${endpoint.id}/test`, { key: other.secret })).status).toBe(404);
  });
});

describe('secret rotation', () => {
  it('signs with the new and the old secret for 24 hours, then with the new one only', async () => {
    const { secret } = await createTestAccount(env.database.db);
    const { path, endpoint } = await addEndpoint(secret);
    const { status, body: rotated } = await api('POST', `/api/v1/webhooks/${endpoint.id}/secret/rotate`, { key: secret });
    expect(status).toBe(200);
    expect(rotated.secret).toMatch(/^whsec_/);
    expect(rotated.secret).not.toBe(endpoint.secret);
    const expires = Date.parse(rotated.previousSecretExpiresAt) - Date.now();
    expect(expires).toBeGreaterThan(23 * 3600_000);
    expect(expires).toBeLessThanOrEqual(24 * 3600_000);
    expect((await api('GET', `/api/v1/webhooks/${endpoint.id}/secret`, { key: secret })).body.secret).toBe(rotated.secret);

    await api('POST', `/api/v1/webhooks/${endpoint.id}/test`, { key: secret });
    const [during] = await arrived(path);
    const header = String(during.headers['scrapifie-signature']);
    expect(header.match(/v1=/g)).toHaveLength(2);
    for (const key of [rotated.secret, endpoint.secret]) expect(verifyWebhookSignature({ secret: key, header, body: during.body })).toBe(true);

    // Once the old secret expired, only the new one signs.
    await env.database.client`UPDATE webhook_endpoints SET previous_secret_expires_at = now() - interval '1 second' WHERE id = ${endpoint.id}`;
    await api('POST', `/api/v1/webhooks/${endpoint.id}/test`, { key: secret });
    const [, after] = await arrived(path, 2);
    const next = String(after.headers['scrapifie-signature']);
    expect(next.match(/v1=/g)).toHaveLength(1);
    expect(verifyWebhookSignature({ secret: rotated.secret, header: next, body: after.body })).toBe(true);
    expect(verifyWebhookSignature({ secret: endpoint.secret, header: next, body: after.body })).toBe(false);
  });

  it('rotates the account secret that signs jobs\' own webhookUrl the same way', async () => {
    const { secret } = await createTestAccount(env.database.db);
    const { body: first } = await api('GET', '/api/v1/webhooks/secret', { key: secret });
    const { body: rotated } = await api('POST', '/api/v1/webhooks/secret/rotate', { key: secret });
    expect(rotated.secret).not.toBe(first.secret);
    const path = `/own-rotated-${randomUUID()}`;
    const { body: job } = await api('POST', '/api/v1/jobs', { key: secret, body: { url: `${env.fixture.url}/page`, webhookUrl: `${receiverUrl}${path}` } });
    await waitForStatus(job.id, secret, ['completed']);
    const [request] = await arrived(path);
    const header = String(request.headers['scrapifie-signature']);
    for (const key of [rotated.secret, first.secret]) expect(verifyWebhookSignature({ secret: key, header, body: request.body })).toBe(true);
  });
});

describe('one egress rule for webhook URLs', () => {
  it('judges an endpoint and a job\'s or batch\'s own webhookUrl alike, with the allow-list (127.0.0.1 here)', async () => {
    const { secret } = await createTestAccount(env.database.db);
    // localhost names 127.0.0.1, which the allow-list admits: accepted as an endpoint and as a job's URL, and delivered.
    const path = `/localhost-${randomUUID()}`;
    const localhostUrl = `${receiverUrl.replace('127.0.0.1', 'localhost')}${path}`;
    expect((await api('POST', '/api/v1/webhooks', { key: secret, body: { url: localhostUrl, events: ['job.failed'] } })).status).toBe(201);
    const { status, body: job } = await api('POST', '/api/v1/jobs', { key: secret, body: { url: `${env.fixture.url}/page`, webhookUrl: localhostUrl } });
    expect(status).toBe(202);
    await waitForStatus(job.id, secret, ['completed']);
    await arrived(path);
    // A private address outside the allow-list is refused in all three places, naming the field.
    const inside = 'http://10.0.0.8/hook';
    const endpoint = await api('POST', '/api/v1/webhooks', { key: secret, body: { url: inside } });
    const submitted = await api('POST', '/api/v1/jobs', { key: secret, body: { url: `${env.fixture.url}/page`, webhookUrl: inside } });
    const batch = await api('POST', '/api/v1/batches', { key: secret, body: { urls: [`${env.fixture.url}/page`], webhookUrl: inside } });
    expect([endpoint.status, submitted.status, batch.status]).toEqual([400, 400, 400]);
    expect(endpoint.body.error.details.fields[0]).toEqual({ field: 'url', message: expect.stringContaining('a private address') });
    expect(submitted.body.error.details.fields[0]).toEqual({ field: 'webhookUrl', message: expect.stringContaining('a private address') });
    expect(batch.body.error.details.fields[0].field).toBe('webhookUrl');
  });
});
