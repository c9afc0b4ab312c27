import { load } from 'cheerio';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { processGroupMembers } from '@/workers/browser/pool';
import type { RunningWorker } from '@/workers/worker';
import { startCanary, startUpstreamProxy, type Canary, type UpstreamProxy } from '@/tests/fixtures/network';
import { startFixtureServer, type FixtureServer } from '@/tests/fixtures/server';
import { createTestAccount } from '@/tests/helpers/accounts';
import { api } from '@/tests/helpers/api';
import { createTestDatabase } from '@/tests/helpers/database';
import { startTestWorker, waitFor } from '@/tests/helpers/worker';

// Browser and Stealth jobs through the real API and a real worker with its own Chromium: the
// same lifecycle, logs, retries, cancel and charges as HTTP jobs, plus screenshots, crash
// recovery, the egress guard and the proxy pool.

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let fixture: FixtureServer;
let canary: Canary;
let worker: RunningWorker;
let secret: string;

beforeAll(async () => {
  database = await createTestDatabase();
  [fixture, canary] = await Promise.all([startFixtureServer(), startCanary()]);
  worker = await startTestWorker(database.url, { WORKER_CONCURRENCY_BROWSER: 2, WORKER_CONCURRENCY_STEALTH: 1 });
  ({ secret } = await createTestAccount(database.db, { credits: 500 }));
});

afterAll(async () => {
  await worker?.stop();
  await Promise.all([fixture?.close(), canary?.close()]);
  await database?.close();
});

async function submit(body: Record<string, unknown>): Promise<string> {
  const reply = await api('POST', '/api/v1/jobs', { key: secret, body });
  expect(reply.status).toBe(202);
  return reply.body.id;
}

async function finished(id: string, statuses = ['completed', 'failed', 'cancelled']) {
  return waitFor(async () => {
    const { body } = await api('GET', `/api/v1/jobs/${id}`, { key: secret });
    return statuses.includes(body.status) ? body : undefined;
  }, { what: `job ${id} to finish`, timeoutMs: 30_000 });
}

async function logs(id: string): Promise<{ level: string; message: string; metadata: Record<string, unknown> | null }[]> {
  return (await api('GET', `/api/v1/jobs/${id}/logs`, { key: secret })).body.data;
}

const lines = async (id: string) => (await logs(id)).map(({ level, message }) => `${level} ${message}`);

async function result(id: string): Promise<string> {
  return (await api('GET', `/api/v1/jobs/${id}/result`, { key: secret })).body;
}

describe('Browser and Stealth jobs', () => {
  it('a Browser job: rendered result, screenshot, the browser phases in its log and 5 credits', async () => {
    const id = await submit({ url: `${fixture.url}/js-rendered`, engine: 'browser', format: 'markdown', screenshot: true });
    const job = await finished(id);
    expect(job).toMatchObject({ status: 'completed', engine: 'browser', credits: 5, attempts: 1 });
    expect(job.result).toMatchObject({ format: 'markdown', contentType: 'text/markdown; charset=utf-8' });
    expect(job.screenshot).toEqual({ width: 1920, height: 1080, size: expect.any(Number) });
    expect(await result(id)).toMatch(/^# Rendered by JavaScript$/m);

    const screenshot = await api('GET', `/api/v1/jobs/${id}/screenshot`, { key: secret });
    expect(screenshot.status).toBe(200);
    expect(screenshot.headers.get('content-type')).toBe('image/png');
    expect(screenshot.headers.get('content-disposition')).toBe(`inline; filename="scrapifie-${id.slice(0, 8)}-screenshot.png"`);
    const png = Buffer.from(await screenshot.raw.arrayBuffer());
    expect(png.subarray(1, 4).toString()).toBe('PNG');
    expect(png.length).toBe(job.screenshot.size);

    expect(await lines(id)).toEqual([
      'INFO Job queued',
      expect.stringMatching(/^INFO Queue position: \d+$/),
      'INFO Worker picked up job',
      'INFO Engine: Browser',
      'INFO Launching browser instance',
      'DEBUG Navigating to target URL',
      'INFO Page loaded',
      'INFO Screenshot captured (1920x1080)',
      expect.stringMatching(/^DEBUG Response size: \d+ bytes$/),
      'INFO Extracting page content',
      'INFO Job completed successfully',
      'INFO Credits charged: 5',
    ]);
  });

  it('jobs without a screenshot have none to serve', async () => {
    const id = await submit({ url: `${fixture.url}/page` });
    const job = await finished(id);
    expect(job).toMatchObject({ status: 'completed', screenshot: null });
    const reply = await api('GET', `/api/v1/jobs/${id}/screenshot`, { key: secret });
    expect(reply.status).toBe(404);
    expect(reply.body.error).toMatchObject({ code: 'not_found', message: 'This job has no screenshot' });
  });

  it('the headless-detection page flags a Browser job and passes a Stealth job (10 credits)', async () => {
    const check = { url: `${fixture.url}/headless-check`, waitForSelector: '#checks-done' };
    const [plain, disguised] = await Promise.all([submit({ ...check, engine: 'browser' }), submit({ ...check, engine: 'stealth' })]);
    const verdict = async (id: string) => load(await result(id))('#result').text();
    expect(await finished(plain)).toMatchObject({ status: 'completed', credits: 5 });
    expect(await verdict(plain)).toBe('Headless browser detected');
    expect(await finished(disguised)).toMatchObject({ status: 'completed', engine: 'stealth', credits: 10 });
    expect(await verdict(disguised)).toBe('No headless browser detected');
    expect(await lines(disguised)).toEqual(
      expect.arrayContaining(['INFO Engine: Stealth', 'DEBUG Fingerprint profile applied', 'INFO Selector found: #checks-done']),
    );
  });

  it('waits for a late selector, and fails SELECTOR_NOT_FOUND with the WARN when it never comes', async () => {
    const found = await submit({ url: `${fixture.url}/delayed?ms=300`, engine: 'browser', waitForSelector: '#late' });
    const missing = await submit({ url: `${fixture.url}/page`, engine: 'browser', waitForSelector: '#never', waitTimeoutMs: 1000 });
    expect(await finished(found)).toMatchObject({ status: 'completed' });
    expect(await lines(found)).toEqual(expect.arrayContaining(['INFO Page loaded, waiting for selector', 'INFO Selector found: #late']));

    const failed = await finished(missing);
    expect(failed).toMatchObject({ status: 'failed', attempts: 1, credits: 5, error: { type: 'SELECTOR_NOT_FOUND' } });
    expect(failed.error.suggestions).toContain('Verify the CSS selector');
    expect(await lines(missing)).toEqual(
      expect.arrayContaining(['WARN Selector not found within 1s', 'INFO Credits charged: 5 (failed job)']),
    );
  });

  it('retries a 503 and completes on the next attempt', async () => {
    const id = await submit({ url: `${fixture.url}/flaky?key=browser-retry&fail=1`, engine: 'browser' });
    const job = await finished(id);
    expect(job).toMatchObject({ status: 'completed', attempts: 2, credits: 5 });
    expect(job.attemptHistory.map((attempt: any) => attempt.outcome)).toEqual(['retrying', 'completed']);
    expect(await lines(id)).toContainEqual(expect.stringMatching(/^WARN Retry 1 of 2: .*503/));
  });

  it('cancelling a slow page closes its context and page within about a second', async () => {
    const id = await submit({ url: `${fixture.url}/slow?ms=30000`, engine: 'browser' });
    await waitFor(async () => fixture.hits('/slow') > 0, { what: 'the browser to request the slow page' });
    expect(await worker.engines.browsers.stats()).toMatchObject({ contexts: 1, pages: 1 });

    const cancelledAt = Date.now();
    const cancel = await api('POST', `/api/v1/jobs/${id}/cancel`, { key: secret });
    expect(cancel.body).toMatchObject({ status: 'cancelled', credits: 0 });
    await waitFor(async () => {
      const { contexts, pages } = await worker.engines.browsers.stats();
      return contexts === 0 && pages === 0;
    }, { what: 'the job context to close', intervalMs: 20 });
    expect(Date.now() - cancelledAt).toBeLessThan(1500);
    await waitFor(async () => (await lines(id)).includes('WARN Job cancelled during processing, resources released'), { what: 'the cancel log' });
  });

  it('a browser killed mid-job: the job is retried on a fresh browser and completes', async () => {
    const killed = await worker.engines.browsers.currentPid();
    expect(killed).toEqual(expect.any(Number));
    let kills = 0;
    fixture.onRequest('/crash-hold', () => {
      if (kills++ === 0) process.kill(killed!, 'SIGKILL');
    });
    const id = await submit({ url: `${fixture.url}/crash?hold=200`, engine: 'browser' });
    const job = await finished(id);
    expect(job).toMatchObject({ status: 'completed', attempts: 2 });
    expect(job.attemptHistory[0]).toMatchObject({ outcome: 'retrying', error: { type: 'INTERNAL_ERROR' } });
    expect(await lines(id)).toContainEqual(expect.stringMatching(/^WARN Retry 1 of 2: The browser crashed/));
    expect(await worker.engines.browsers.currentPid()).not.toBe(killed);
    expect(processGroupMembers(killed!)).toEqual([]);
  });

  it('egress: a redirect to a private address fails; a page reaching for internal addresses gets none of them', async () => {
    const redirect = await submit({ url: `${fixture.url}/redirect-private`, engine: 'browser' });
    const probe = await submit({
      url: `${fixture.url}/egress-probe?canary=${canary.port}&udp=${canary.udpPort}`,
      engine: 'stealth',
      waitForSelector: '#probes-done',
    });
    const failed = await finished(redirect);
    expect(failed).toMatchObject({ status: 'failed', attempts: 1, error: { type: 'INVALID_URL' } });
    expect(failed.error.message).toContain('10.0.0.1 (private network)');

    expect(await finished(probe)).toMatchObject({ status: 'completed' });
    const warning = (await logs(probe)).find((entry) => entry.message.startsWith('Egress guard blocked'));
    expect(warning).toMatchObject({ level: 'WARN' });
    expect(warning?.metadata?.targets).toEqual(expect.arrayContaining(['10.0.0.1:80', '169.254.169.254:80', `127.0.0.2:${canary.port}`]));
    expect(canary.connections()).toBe(0);
    expect(canary.datagrams()).toBe(0);
  });

  it('stopping the worker leaves no Chromium process, context or egress listener', async () => {
    const pids = worker.engines.browsers.pids();
    expect(pids.length).toBeGreaterThanOrEqual(2);
    await worker.stop();
    expect(pids.flatMap((pid) => processGroupMembers(pid))).toEqual([]);
    expect(worker.engines.egress.openSessions()).toBe(0);
  });
});

describe('the proxy pool through a worker', () => {
  let good: UpstreamProxy;
  let dead: UpstreamProxy;
  let pooled: RunningWorker;

  beforeAll(async () => {
    [good, dead] = await Promise.all([startUpstreamProxy(), startUpstreamProxy({ mode: 'reset' })]);
    pooled = await startTestWorker(database.url, { PROXY_POOL: `${dead.url}#us:datacenter,${good.url}#us:residential` });
  });
  afterAll(async () => {
    await pooled?.stop();
    await Promise.all([good?.close(), dead?.close()]);
  });

  it('rotates past a failing proxy for Browser and HTTP jobs alike, and fails a country it lacks', async () => {
    const browserJob = await submit({ url: `${fixture.url}/page`, engine: 'browser' });
    expect(await finished(browserJob)).toMatchObject({ status: 'completed', attempts: 1 });
    expect((await lines(browserJob)).filter((line) => line.includes('Proxy'))).toEqual([
      'INFO Proxy assigned: US datacenter',
      'WARN Proxy failed, rotating to next proxy',
      'INFO Proxy assigned: US residential',
    ]);

    // The failed proxy now goes last: the next job starts on the working one.
    const httpJob = await submit({ url: `${fixture.url}/page`, proxyCountry: 'us' });
    expect(await finished(httpJob)).toMatchObject({ status: 'completed' });
    expect((await lines(httpJob)).filter((line) => line.includes('Proxy'))).toEqual(['INFO Proxy assigned: US residential']);
    expect(good.tunnels.filter((tunnel) => tunnel === `127.0.0.1:${new URL(fixture.url).port}`)).toHaveLength(2);

    const elsewhere = await submit({ url: `${fixture.url}/page`, engine: 'browser', proxyCountry: 'de' });
    expect(await finished(elsewhere)).toMatchObject({ status: 'failed', attempts: 1, error: { type: 'PROXY_CONNECTION_FAILED' } });
  });
});
