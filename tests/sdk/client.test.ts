import { existsSync, readFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signWebhook } from '@/lib/server/webhooks/signature';
import {
  ApiError,
  ConnectionError,
  Scrapifie,
  UnexpectedResponseError,
  constructWebhookEvent,
  verifyWebhookSignature,
  WebhookSignatureError,
  type LogEntry,
} from '@/packages/sdk/src/index';
import { startSdkEnvironment, type SdkEnvironment } from './support';

// The SDK against the real server: jobs followed to the end (this server has no stream routes,
// so by polling), retries that do not duplicate, iterators over pages and logs, batch progress,
// the errors a program can tell apart, and webhook signatures as the server makes them.

let env: SdkEnvironment;
let client: Scrapifie;

beforeAll(async () => {
  env = await startSdkEnvironment();
  const { secret } = await env.newAccount(200);
  client = new Scrapifie({ apiKey: secret, baseUrl: env.server.url, pollIntervalMs: 100 });
});

afterAll(async () => {
  await env?.close();
});

describe('jobs', () => {
  it('submits a job, waits for it (falling back to polling where there is no stream) and downloads its result', async () => {
    const submitted = await client.jobs.submit({ url: `${env.fixture.url}/page`, format: 'markdown', name: 'sdk', tags: ['sdk'] });
    expect(submitted).toMatchObject({ status: 'queued', name: 'sdk', tags: ['sdk'] });
    const fallbacks: string[] = [];
    const seen: string[] = [];
    const done = await client.waitForJob(submitted.id, { onFallback: (reason) => fallbacks.push(reason), onUpdate: (job) => seen.push(job.status) });
    expect(done.status).toBe('completed');
    expect(seen.at(-1)).toBe('completed');
    expect(fallbacks).toEqual([`/api/v1/jobs/${submitted.id}/stream answered 404`]);

    const result = await client.jobs.result(done.id);
    expect(result.contentType).toBe('text/markdown; charset=utf-8');
    expect(result.filename).toBe(`scrapifie-${done.id.slice(0, 8)}-markdown.md`);
    expect(result.text()).toContain('Fixture');
  });

  it('follows the log entry by entry until the job ends, each entry once and in order', async () => {
    const job = await client.jobs.submit({ url: `${env.fixture.url}/slow?ms=600` });
    const entries: LogEntry[] = [];
    for await (const entry of client.jobs.logEntries(job.id, { follow: true })) entries.push(entry);
    const seqs = entries.map((entry) => entry.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    expect(new Set(seqs).size).toBe(seqs.length);
    expect((await client.jobs.get(job.id)).status).toBe('completed');
    // All of it: the same entries as one read after the end.
    expect(seqs).toEqual((await client.jobs.logs(job.id)).data.map((entry) => entry.seq));
    expect(entries.length).toBeGreaterThan(2);
    // Resuming after a seq returns only newer entries.
    const later: LogEntry[] = [];
    for await (const entry of client.jobs.logEntries(job.id, { after: seqs[1] })) later.push(entry);
    expect(later.map((entry) => entry.seq)).toEqual(seqs.slice(2));
  });

  it('sets an Idempotency-Key on every POST, so a retry after a lost reply makes no second job', async () => {
    const { secret } = await env.newAccount(20);
    const sent: { key: string | null; replayed: string | null }[] = [];
    let dropped = false;
    // The first reply is lost on the way back (the server did act): the SDK retries.
    const lossy: typeof fetch = async (input, init) => {
      const request = new Request(input, init);
      const response = await fetch(request);
      sent.push({ key: request.headers.get('idempotency-key'), replayed: response.headers.get('idempotent-replayed') });
      if (!dropped && request.method === 'POST') {
        dropped = true;
        throw new TypeError('fetch failed', { cause: { code: 'ECONNRESET' } });
      }
      return response;
    };
    const flaky = new Scrapifie({ apiKey: secret, baseUrl: env.server.url, fetch: lossy });
    const job = await flaky.jobs.submit({ url: `${env.fixture.url}/page` });
    expect(sent).toHaveLength(2);
    expect(sent[0].key).toMatch(/^[0-9a-f-]{36}$/);
    expect(sent[1]).toEqual({ key: sent[0].key, replayed: 'true' });
    const { total, data } = await flaky.jobs.list();
    expect(total).toBe(1);
    expect(data[0].id).toBe(job.id);
  });

  it('walks every page of the list, and every job of a batch, following its progress to the end', async () => {
    const { secret } = await env.newAccount(100);
    const own = new Scrapifie({ apiKey: secret, baseUrl: env.server.url, pollIntervalMs: 100 });
    const urls = Array.from({ length: 30 }, (_, i) => `${env.fixture.url}/page?n=${i}`);
    const batch = await own.batches.create({ urls, name: 'thirty' });
    expect(batch).toMatchObject({ total: 30, status: 'active' });

    const progress: number[] = [];
    const last = await own.batches.wait(batch.id, { onUpdate: (b) => progress.push(b.finished) });
    expect(last).toMatchObject({ status: 'completed', finished: 30, percent: 100 });
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
    expect(progress.at(-1)).toBe(30);

    const pages = [];
    for await (const page of own.jobs.pages({ batch: batch.id, size: 25 })) pages.push(page.data.length);
    expect(pages).toEqual([25, 5]);
    const ids = new Set<string>();
    for await (const job of own.jobs.all({ batch: batch.id })) ids.add(job.id);
    expect(ids.size).toBe(30);
  });
});

describe('errors a program can tell apart', () => {
  it('the API refusing a request, with its code, status, details and request id', async () => {
    const invalid = await client.jobs.submit({ url: 'ftp://example.com/file', timeoutMs: 5 }).catch((error: unknown) => error);
    expect(invalid).toBeInstanceOf(ApiError);
    expect(invalid).toMatchObject({ status: 400, code: 'validation_error' });
    expect((invalid as ApiError).details?.fields?.map((field) => field.field).sort()).toEqual(['timeoutMs', 'url']);
    expect((invalid as ApiError).requestId).toBeTruthy();

    const missing = await client.jobs.get('00000000-0000-4000-8000-000000000000').catch((error: unknown) => error);
    expect(missing).toMatchObject({ status: 404, code: 'not_found', message: 'No job with id 00000000-0000-4000-8000-000000000000' });
    const badKey = await new Scrapifie({ apiKey: 'sk_live_nope', baseUrl: env.server.url }).account().catch((error: unknown) => error);
    expect(badKey).toMatchObject({ status: 401, code: 'unauthorized' });
  });

  it('a server that is not Scrapifie, and one that cannot be reached', async () => {
    // The fixture site answers HTML, not the API.
    const other = new Scrapifie({ apiKey: 'sk_live_x', baseUrl: env.fixture.url, maxRetries: 0 });
    const html = await other.jobs.list().catch((error: unknown) => error);
    expect(html).toBeInstanceOf(UnexpectedResponseError);
    expect((html as Error).message).toMatch(new RegExp(`^The server at ${env.fixture.url} did not answer like a Scrapifie server: GET /api/v1/jobs answered \\d{3}`));

    const port = await closedPort();
    const down = await new Scrapifie({ apiKey: 'sk_live_x', baseUrl: `http://127.0.0.1:${port}`, maxRetries: 1 }).account().catch((error: unknown) => error);
    expect(down).toBeInstanceOf(ConnectionError);
    expect((down as Error).message).toBe(`Cannot reach the Scrapifie API at http://127.0.0.1:${port}: ECONNREFUSED`);
  });
});

describe('webhook signatures', () => {
  const body = JSON.stringify({ id: '0e9d8c7b-6a5f-4e3d-8c2b-1a0f9e8d7c6b', type: 'job.completed', createdAt: '2026-03-01T10:30:00.000Z', data: {} });
  const now = 1_772_361_001;

  it('verifies what the server signs, on the raw body, within 5 minutes', () => {
    const header = signWebhook({ secrets: ['whsec_one'], body, timestamp: now });
    expect(verifyWebhookSignature({ payload: body, header, secret: 'whsec_one', now })).toBe(true);
    expect(verifyWebhookSignature({ payload: Buffer.from(body), header, secret: 'whsec_one', now: now + 299 })).toBe(true);
    expect(verifyWebhookSignature({ payload: body, header, secret: 'whsec_one', now: now + 301 })).toBe(false);
    expect(verifyWebhookSignature({ payload: `${body} `, header, secret: 'whsec_one', now })).toBe(false);
    expect(verifyWebhookSignature({ payload: body, header, secret: 'whsec_two', now })).toBe(false);
    expect(verifyWebhookSignature({ payload: body, header: null, secret: 'whsec_one', now })).toBe(false);
    expect(constructWebhookEvent({ payload: body, header, secret: 'whsec_one', now }).type).toBe('job.completed');
    expect(() => constructWebhookEvent({ payload: body, header, secret: 'whsec_two', now })).toThrow(WebhookSignatureError);
  });

  it('accepts any of several signatures and secrets, as while a secret is rotated', () => {
    const old = signWebhook({ secrets: ['whsec_old'], body, timestamp: now });
    const fresh = signWebhook({ secrets: ['whsec_new'], body, timestamp: now }).split(',')[1];
    const header = `${old},${fresh}`;
    expect(verifyWebhookSignature({ payload: body, header, secret: 'whsec_new', now })).toBe(true);
    expect(verifyWebhookSignature({ payload: body, header, secret: 'whsec_old', now })).toBe(true);
    expect(verifyWebhookSignature({ payload: body, header: signWebhook({ secrets: ['whsec_old'], body, timestamp: now }), secret: ['whsec_new', 'whsec_old'], now })).toBe(true);
  });
});

describe('the package', () => {
  it('is built by npm install: ESM with type declarations, and the document it was generated from', async () => {
    const dir = path.join(process.cwd(), 'packages/sdk');
    const manifest = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as { exports: Record<string, { types: string; import: string }> };
    expect(existsSync(path.join(dir, manifest.exports['.'].types))).toBe(true);
    const built = (await import(path.join(dir, manifest.exports['.'].import))) as typeof import('@/packages/sdk/src/index');
    expect(typeof built.Scrapifie).toBe('function');
    expect(typeof built.verifyWebhookSignature).toBe('function');
    const generated = readFileSync(path.join(dir, 'src/generated/api.ts'), 'utf8');
    expect(generated).toContain('"/api/v1/jobs/{id}/logs"');
    expect(generated).toContain('Batch: {');
  });
});

function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}
