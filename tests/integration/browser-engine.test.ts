import type { LookupAddress } from 'node:dns';
import { load } from 'cheerio';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { LogLevel } from '@/lib/jobs';
import { parseProxyPool } from '@/lib/proxy-pool';
import {
  BrowserError,
  CaptchaDetectedError,
  ContentTooLargeError,
  EgressDeniedError,
  InvalidUrlError,
  NoProxyAvailableError,
  ProxyConnectionError,
  ScrapeError,
  SelectorNotFoundError,
  TargetBlockedError,
  TargetUnavailableError,
  TimeoutError,
} from '@/lib/scrape-errors';
import { jobRequestSchema, type JobConfig } from '@/lib/schemas/jobs';
import { BrowserPool, processGroupMembers } from '@/workers/browser/pool';
import { EgressProxy } from '@/workers/egress/forward-proxy';
import type { EgressPolicy, Resolver } from '@/workers/egress/policy';
import { ProxyPool } from '@/workers/egress/proxy-pool';
import { createBrowserEngine, pngSize } from '@/workers/engines/browser';
import { createHttpEngine, httpEngine } from '@/workers/engines/http';
import { createEngineSet, type EngineSet } from '@/workers/engines/index';
import { createStealthEngine } from '@/workers/engines/stealth';
import type { Engine, EngineContext } from '@/workers/engines/types';
import { startCanary, startUpstreamProxy, type Canary, type UpstreamProxy } from '@/tests/fixtures/network';
import { fixtureJson, fixturePng, startFixtureServer, type FixtureServer } from '@/tests/fixtures/server';

// The Browser and Stealth engines against real Chromium, one browser for the whole file.

type LogEntry = { level: LogLevel; message: string; metadata?: Record<string, unknown> };

const loopbackAllowed: EgressPolicy = { allow: ['127.0.0.1/32'] };

let server: FixtureServer;
let canary: Canary;
let set: EngineSet;

beforeAll(async () => {
  [server, canary] = await Promise.all([startFixtureServer(), startCanary()]);
  set = createEngineSet({ browserMaxPages: 100, browserMaxAgeMinutes: 30, egressProxyHost: '127.0.0.1', proxyPool: '' });
});
afterAll(async () => {
  await set?.close();
  await Promise.all([server?.close(), canary?.close()]);
});
beforeEach(() => server.reset());

function run(
  engine: Engine,
  path: string,
  options: Partial<JobConfig> = {},
  context: Partial<EngineContext> & { logs?: LogEntry[] } = {},
) {
  const { logs = [], ...overrides } = context;
  const url = /^https?:/.test(path) ? path : `${server.url}${path}`;
  return engine(
    { ...jobRequestSchema.parse(options), url },
    {
      signal: new AbortController().signal,
      log: (level, message, metadata) => logs.push({ level, message, metadata }),
      egress: loopbackAllowed,
      maxContentBytes: 1024 * 1024,
      ...overrides,
    },
  );
}

const browser = (...args: [string, Partial<JobConfig>?, (Partial<EngineContext> & { logs?: LogEntry[] })?]) => run(set.engines.browser, ...args);
const stealth = (...args: [string, Partial<JobConfig>?, (Partial<EngineContext> & { logs?: LogEntry[] })?]) => run(set.engines.stealth, ...args);

async function failure(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the scrape to fail');
}

const lines = (logs: LogEntry[]) => logs.map(({ level, message }) => `${level} ${message}`);

describe('browser engine content', () => {
  it('extracts the DOM after scripts ran (and their fetches settled), which the HTTP engine never sees', async () => {
    const rendered = (await browser('/js-rendered')).content.toString();
    expect(rendered).toContain('<div id="app"><h1 id="rendered">Rendered by JavaScript</h1></div>');
    expect(rendered).toContain('<p id="fetched">Fetched fixture</p>');
    const fetched = (await run(httpEngine, '/js-rendered')).content.toString();
    expect(fetched).toContain('<div id="app">Loading</div>');
  });

  it('renderJs: false loads the page without running its scripts', async () => {
    const result = await browser('/js-rendered', { renderJs: false, waitForSelector: '#app' });
    expect(result.content.toString()).toContain('<div id="app">Loading</div>');
    expect(result.content.toString()).not.toContain('id="fetched"');
  });

  it('text, markdown and json come from the rendered DOM', async () => {
    const text = await browser('/js-rendered', { format: 'text' });
    expect(text.contentType).toBe('text/plain; charset=utf-8');
    expect(text.content.toString()).toContain('Rendered by JavaScript');
    const markdown = await browser('/js-rendered', { format: 'markdown' });
    expect(markdown.content.toString()).toMatch(/^# Rendered by JavaScript$/m);
    const json = JSON.parse((await browser('/js-rendered', { format: 'json' })).content.toString());
    expect(json).toMatchObject({ url: `${server.url}/js-rendered`, statusCode: 200, title: 'Rendered' });
    expect(json.text).toContain('Fetched fixture');
  });

  it('returns a non-HTML document as received, not the viewer Chromium wraps it in', async () => {
    const json = await browser('/json', { format: 'json' });
    expect(json.content.toString()).toBe(JSON.stringify(fixtureJson, null, 2));
    const png = await browser('/binary.png');
    expect(png.contentType).toBe('image/png');
    expect(png.content.equals(fixturePng)).toBe(true);
  });

  it('sends method, body, headers and cookies to the target, and neither headers nor cookies elsewhere', async () => {
    const options = {
      method: 'POST',
      body: '{"query":"shoes"}',
      headers: { 'Content-Type': 'application/json', 'X-Scrapifie-Test': 'yes' },
      cookies: { session: 'abc123' },
      format: 'json',
    } as const;
    const seen = JSON.parse((await browser('/echo', options)).content.toString());
    expect(seen).toMatchObject({ method: 'POST', body: '{"query":"shoes"}', cookies: { session: 'abc123' } });
    expect(seen.headers).toMatchObject({ 'content-type': 'application/json', 'x-scrapifie-test': 'yes' });

    const port = new URL(server.url).port;
    const elsewhere = JSON.parse((await browser(`/redirect?to=http://localhost:${port}/echo`, { ...options, method: 'GET', body: undefined })).content.toString());
    expect(elsewhere.cookies).toEqual({});
    expect(elsewhere.headers['x-scrapifie-test']).toBeUndefined();
  });
});

describe('browser engine classification', () => {
  it.each([
    ['/flaky?key=browser&fail=5', TargetUnavailableError, true],
    ['/rate-limited', ScrapeError, true],
    ['/blocked', TargetBlockedError, false],
    ['/status/404', InvalidUrlError, false],
    ['/captcha', CaptchaDetectedError, false],
  ] as const)('%s fails as the HTTP engine would', async (path, type, retryable) => {
    const error = await failure(browser(path));
    expect(error).toBeInstanceOf(type);
    expect(error).toMatchObject({ retryable });
  });

  it('times out a slow page with TIMEOUT', async () => {
    const error = await failure(browser('/slow?ms=10000', { timeoutMs: 1000 }));
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error).toMatchObject({ retryable: true });
  });

  it('a CDP call past the protocol timeout is TIMEOUT with the job\'s own words, not puppeteer\'s', async () => {
    // A pool whose protocol timeout (1 s) is shorter than the job's timeoutMs (5 s), as the 60 s one
    // once was for a 120 s job: Page.navigate outlives it while the slow page holds its headers.
    const pool = new BrowserPool({ maxPages: 10, maxAgeMs: 60_000, proxyUrl: () => set.egress.browserProxyUrl(), proxyHost: '127.0.0.1', protocolTimeoutMs: 1000 });
    try {
      const engine = createBrowserEngine({ browsers: pool, egress: set.egress, proxies: new ProxyPool([]) });
      const error = await failure(run(engine, '/slow?ms=8000', { timeoutMs: 5000 }));
      expect(error).toBeInstanceOf(TimeoutError);
      expect(error).toMatchObject({ type: 'TIMEOUT', retryable: true });
      expect((error as Error).message).toMatch(/^Timed out after 5000 ms loading http:\/\/127\.0\.0\.1:\d+\/slow\?ms=8000$/);
      expect((error as Error).message).not.toMatch(/protocolTimeout|Page\.navigate/);
    } finally {
      await pool.close();
    }
  });

  it('a refused connection is INVALID_URL, naming why', async () => {
    const closed = await startFixtureServer();
    await closed.close();
    const error = await failure(browser(`${closed.url}/page`));
    expect(error).toBeInstanceOf(InvalidUrlError);
    expect((error as Error).message).toMatch(/is not accessible \(could not connect to port \d+ \(ECONNREFUSED\)\)/);
  });

  it('fails a page past the size limit with CONTENT_TOO_LARGE', async () => {
    const error = await failure(browser('/large?kb=512', {}, { maxContentBytes: 256 * 1024 }));
    expect(error).toBeInstanceOf(ContentTooLargeError);
    expect((error as Error).message).toContain('262144 byte limit');
  });
});

describe('browser engine selectors and logs', () => {
  it('waits for a selector that appears late, logging each phase', async () => {
    const logs: LogEntry[] = [];
    const result = await browser('/delayed?ms=400', { waitForSelector: '#late' }, { logs });
    expect(result.content.toString()).toContain('Arrived late');
    expect(lines(logs)).toEqual([
      'INFO Launching browser instance',
      'DEBUG Navigating to target URL',
      'INFO Page loaded, waiting for selector',
      'INFO Selector found: #late',
      expect.stringMatching(/^DEBUG Response size: \d+ bytes$/),
      'INFO Extracting page content',
    ]);
    expect(logs[2].metadata).toMatchObject({ statusCode: 200, contentType: 'text/html; charset=utf-8', timingMs: expect.any(Number) });
  });

  it('fails with SELECTOR_NOT_FOUND and warns when the selector never appears', async () => {
    const logs: LogEntry[] = [];
    const error = await failure(browser('/page', { waitForSelector: '#never', waitTimeoutMs: 1500 }, { logs }));
    expect(error).toBeInstanceOf(SelectorNotFoundError);
    expect(error).toMatchObject({ retryable: false });
    expect(logs.at(-1)).toMatchObject({ level: 'WARN', message: 'Selector not found within 1.5s', metadata: { selector: '#never' } });
  });
});

describe('browser engine screenshots', () => {
  it('captures the viewport, or the full page, as PNG with its size', async () => {
    const logs: LogEntry[] = [];
    const viewport = await browser('/tall?px=3000', { screenshot: true }, { logs });
    expect(viewport.screenshot).toMatchObject({ width: 1920, height: 1080 });
    expect(viewport.screenshot!.png.subarray(1, 4).toString()).toBe('PNG');
    expect(logs).toContainEqual(expect.objectContaining({ level: 'INFO', message: 'Screenshot captured (1920x1080)' }));

    const full = await browser('/tall?px=3000', { screenshot: 'fullPage' });
    expect(pngSize(full.screenshot!.png)).toEqual({ width: 1920, height: full.screenshot!.height });
    expect(full.screenshot!.height).toBeGreaterThanOrEqual(3000);
    expect((await browser('/page')).screenshot).toBeUndefined();
  });
});

describe('browser engine cancel, crashes and cleanup', () => {
  it('stops within a second of an abort and leaves no context or page behind', async () => {
    const controller = new AbortController();
    server.onRequest('/slow', () => setTimeout(() => controller.abort('cancel'), 100));
    const started = Date.now();
    const error = await failure(browser('/slow?ms=20000', {}, { signal: controller.signal }));
    expect(error).toBe('cancel');
    expect(Date.now() - started).toBeLessThan(1500);
    expect(await set.browsers.stats()).toMatchObject({ browsers: 1, contexts: 0, pages: 0 });
    expect(set.egress.openSessions()).toBe(1); // only the browser-wide deny-all listener
  });

  it('turns a renderer crash into a retryable error and replaces the browser', async () => {
    const before = await set.browsers.currentPid();
    server.onRequest('/crash-hold', () => void crashRenderers());
    const error = await failure(browser('/crash'));
    expect(error).toBeInstanceOf(BrowserError);
    expect(error).toMatchObject({ retryable: true });
    await browser('/page');
    expect(await set.browsers.currentPid()).not.toBe(before);
  });

  it('turns a killed browser into a retryable error; the next job gets a fresh browser', async () => {
    const killed = await set.browsers.currentPid();
    expect(killed).toEqual(expect.any(Number));
    server.onRequest('/crash-hold', () => process.kill(killed!, 'SIGKILL'));
    const error = await failure(browser('/crash'));
    expect(error).toBeInstanceOf(BrowserError);
    expect((await browser('/page')).statusCode).toBe(200);
    expect(await set.browsers.currentPid()).not.toBe(killed);
    expect(processGroupMembers(killed!)).toEqual([]);
  });
});

describe('browser recycling', () => {
  it('replaces the browser after its page budget or age, once its running jobs are done', async () => {
    const pool = new BrowserPool({ maxPages: 2, maxAgeMs: 60_000, proxyUrl: () => set.egress.browserProxyUrl(), proxyHost: '127.0.0.1' });
    try {
      const first = await pool.acquire();
      const second = await pool.acquire();
      const third = await pool.acquire(); // over budget: a new browser, while two jobs still run on the old
      expect(third.browser).not.toBe(first.browser);
      expect(second.browser).toBe(first.browser);
      const [old, current] = pool.pids();
      first.release();
      second.release();
      await waitUntil(() => processGroupMembers(old).length === 0);
      third.release();
      expect(processGroupMembers(current).length).toBeGreaterThan(0);
    } finally {
      await pool.close();
    }
    const aged = new BrowserPool({ maxPages: 100, maxAgeMs: 300, proxyUrl: () => set.egress.browserProxyUrl(), proxyHost: '127.0.0.1' });
    try {
      (await aged.acquire()).release();
      await new Promise((resolve) => setTimeout(resolve, 350));
      (await aged.acquire()).release();
      expect(aged.pids()).toHaveLength(2);
    } finally {
      await aged.close();
    }
    expect(aged.pids().flatMap((pid) => processGroupMembers(pid))).toEqual([]);
  });
});

async function waitUntil(check: () => boolean, timeoutMs = 5000) {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** Crashes every job page's renderer, as an out-of-memory renderer would. */
async function crashRenderers() {
  const lease = await set.browsers.acquire();
  try {
    const { browser } = lease;
    for (const page of await browser.pages()) {
      if (page.browserContext() === browser.defaultBrowserContext()) continue;
      const cdp = await page.createCDPSession();
      void cdp.send('Page.crash').catch(() => {});
    }
  } finally {
    lease.release();
  }
}

function fakeResolver(table: Record<string, string[]>): Resolver {
  return async (hostname) => {
    const addresses = table[hostname];
    if (!addresses) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
    return addresses.map((address): LookupAddress => ({ address, family: 4 }));
  };
}

describe('browser egress guard', () => {
  const reportOf = (html: string) => JSON.parse(load(html)('#report').text());

  it('refuses a redirect to a private address', async () => {
    const error = await failure(browser('/redirect-private'));
    expect(error).toBeInstanceOf(EgressDeniedError);
    expect((error as Error).message).toContain('10.0.0.1 (private network)');
  });

  it('refuses a loopback target when the allow-list is empty, before any connection', async () => {
    const error = await failure(browser('/page', {}, { egress: { allow: [] } }));
    expect(error).toBeInstanceOf(EgressDeniedError);
    expect(server.connections()).toBe(0);
  });

  it('lets no image, iframe, stylesheet, fetch, XHR, WebSocket or WebRTC packet reach an internal address', async () => {
    const logs: LogEntry[] = [];
    const refusedBefore = set.egress.refusedTotal;
    const path = `/egress-probe?canary=${canary.port}&udp=${canary.udpPort}`;
    const result = await browser(path, { waitForSelector: '#probes-done' }, { logs });
    const report = reportOf(result.content.toString());
    expect(report).toMatchObject({ fetch: 'error TypeError', metadata: 'error TypeError', xhr: 'error', websocket: 'error' });
    expect(canary.connections()).toBe(0);
    expect(canary.datagrams()).toBe(0);
    expect(set.egress.refusedTotal - refusedBefore).toBeGreaterThanOrEqual(6);
    const warning = logs.find((entry) => entry.message.startsWith('Egress guard blocked'));
    expect(warning).toMatchObject({ level: 'WARN' });
    expect(warning?.metadata?.targets).toEqual(
      expect.arrayContaining(['10.0.0.1:80', '169.254.169.254:80', '192.168.1.1:80', `127.0.0.2:${canary.port}`]),
    );
  });

  it('keeps a service worker inside the guard too', async () => {
    const logs: LogEntry[] = [];
    await browser(`/sw-page?canary=${canary.port}`, { waitForSelector: '#sw-ready' }, { logs });
    expect(canary.connections()).toBe(0);
    const warning = logs.find((entry) => entry.message.startsWith('Egress guard blocked'));
    expect(warning?.metadata?.targets).toEqual(expect.arrayContaining(['10.0.0.1:80', `127.0.0.2:${canary.port}`]));
  });

  it('refuses a hostname that resolves to an internal address, at connect time', async () => {
    const egress = new EgressProxy({ resolve: fakeResolver({ 'public.test': ['127.0.0.1'], 'internal.test': ['127.0.0.2'] }) });
    const engine = createBrowserEngine({ browsers: set.browsers, egress, proxies: new ProxyPool([]) });
    try {
      const port = new URL(server.url).port;
      const page = await run(engine, `http://public.test:${port}/egress-probe?canary=${canary.port}&host=internal.test`, { waitForSelector: '#probes-done' });
      expect(reportOf(page.content.toString())).toMatchObject({ hostname: 'error TypeError' });
      const error = await failure(run(engine, `http://internal.test:${canary.port}/`));
      expect(error).toBeInstanceOf(EgressDeniedError);
      expect((error as Error).message).toContain('internal.test: it resolves to 127.0.0.2 (loopback)');
      expect(canary.connections()).toBe(0);
    } finally {
      await egress.close();
    }
  });
});

describe('stealth engine', () => {
  const check = async (engine: typeof browser, logs: LogEntry[] = []) => {
    const result = await engine('/headless-check', { waitForSelector: '#checks-done' }, { logs });
    const $ = load(result.content.toString());
    return { verdict: $('#result').text(), report: JSON.parse($('#report').text()) };
  };

  it('the headless-detection page flags the Browser engine', async () => {
    const { verdict, report } = await check(browser);
    expect(verdict).toBe('Headless browser detected');
    expect(report.tells).toEqual(
      expect.arrayContaining(['navigator.webdriver is true', 'navigator.userAgent says HeadlessChrome', 'User-Agent header says HeadlessChrome']),
    );
  });

  it('passes the Stealth engine with a consistent generated fingerprint', async () => {
    const logs: LogEntry[] = [];
    const { verdict, report } = await check(stealth, logs);
    expect(report.tells).toEqual([]);
    expect(verdict).toBe('No headless browser detected');
    const applied = logs.find((entry) => entry.message === 'Fingerprint profile applied');
    expect(applied).toMatchObject({ level: 'DEBUG', metadata: { userAgent: report.userAgent, timezone: report.timezone } });
    expect(lines(logs).slice(0, 3)).toEqual(['INFO Launching browser instance', 'DEBUG Fingerprint profile applied', 'DEBUG Navigating to target URL']);
  });
});

describe('proxy pool', () => {
  let good: UpstreamProxy;
  let dead: UpstreamProxy;
  let wrongCredentials: string;
  beforeAll(async () => {
    [good, dead] = await Promise.all([startUpstreamProxy(), startUpstreamProxy({ mode: 'reset' })]);
    wrongCredentials = good.url.replace('s3cret', 'wrong');
  });
  afterAll(async () => Promise.all([good?.close(), dead?.close()]));

  const pool = (value: string) => new ProxyPool(parseProxyPool(value));
  const withPool = (value: string, create = createBrowserEngine) => create({ browsers: set.browsers, egress: set.egress, proxies: pool(value) });

  it('rotates past a dead proxy and one that refuses its credentials', async () => {
    const logs: LogEntry[] = [];
    const engine = withPool(`${dead.url}#us:datacenter,${wrongCredentials}#us:mobile,${good.url}#us:residential`);
    const result = await run(engine, '/page', {}, { logs });
    expect(result.statusCode).toBe(200);
    expect(lines(logs).filter((line) => /Proxy/.test(line))).toEqual([
      'INFO Proxy assigned: US datacenter',
      'WARN Proxy failed, rotating to next proxy',
      'INFO Proxy assigned: US mobile',
      'WARN Proxy failed, rotating to next proxy',
      'INFO Proxy assigned: US residential',
    ]);
    expect(good.tunnels).toContain(`127.0.0.1:${new URL(server.url).port}`);
  });

  it('fails with PROXY_CONNECTION_FAILED once the pool is exhausted', async () => {
    const error = await failure(run(withPool(`${dead.url}#us:datacenter`), '/page'));
    expect(error).toBeInstanceOf(ProxyConnectionError);
    expect(error).toMatchObject({ type: 'PROXY_CONNECTION_FAILED', retryable: true });
    expect((error as Error).message).toMatch(/^All 1 proxy attempts failed/);
  });

  it('picks by proxyCountry and refuses a country the pool does not have', async () => {
    const logs: LogEntry[] = [];
    const engine = withPool(`${good.url}#us:datacenter,${good.url}#de:residential`);
    await run(engine, '/page', { proxyCountry: 'de' }, { logs });
    expect(logs.filter((entry) => entry.message.startsWith('Proxy assigned'))).toEqual([
      expect.objectContaining({ level: 'INFO', message: 'Proxy assigned: DE residential' }),
    ]);
    const error = await failure(run(engine, '/page', { proxyCountry: 'fr' }));
    expect(error).toBeInstanceOf(NoProxyAvailableError);
    expect(error).toMatchObject({ retryable: false });
  });

  it('the Stealth engine matches its fingerprint to the proxy country', async () => {
    const logs: LogEntry[] = [];
    await run(withPool(`${good.url}#de:residential`, createStealthEngine), '/page', {}, { logs });
    const applied = logs.find((entry) => entry.message === 'Fingerprint profile applied');
    expect(applied?.metadata).toMatchObject({ timezone: 'Europe/Berlin', languages: expect.arrayContaining(['de-DE']) });
  });

  it('the HTTP engine uses the pool through the egress proxy, which still refuses internal targets', async () => {
    const logs: LogEntry[] = [];
    const engine = createHttpEngine({ egress: set.egress, proxies: pool(`${dead.url}#us:datacenter,${good.url}#us:residential`) });
    const result = await run(engine, '/page', {}, { logs });
    expect(result.statusCode).toBe(200);
    expect(lines(logs)).toContain('WARN Proxy failed, rotating to next proxy');
    const tunnels = good.tunnels.length;
    const error = await failure(run(engine, '/redirect-private'));
    expect(error).toBeInstanceOf(EgressDeniedError);
    expect(good.tunnels.slice(tunnels).some((tunnel) => tunnel.startsWith('10.0.0.1'))).toBe(false);
  });

  it('a target the proxy cannot reach is not held against the proxy', async () => {
    const logs: LogEntry[] = [];
    const closed = await startFixtureServer();
    await closed.close();
    const engine = createHttpEngine({ egress: set.egress, proxies: pool(`${good.url}#us:residential,${good.url}#us:mobile`) });
    const error = await failure(run(engine, closed.url.replace('http:', 'https:'), {}, { logs }));
    expect(error).toBeInstanceOf(InvalidUrlError);
    expect((error as Error).message).toContain('could not reach the target (HTTP 502)');
    expect(lines(logs)).not.toContain('WARN Proxy failed, rotating to next proxy');
  });
});

describe('shutdown', () => {
  it('leaves no Chromium process and no egress listener behind', async () => {
    const pids = set.browsers.pids();
    expect(pids.length).toBeGreaterThanOrEqual(2); // the crash tests replaced the first browser
    await set.close();
    expect(pids.flatMap((pid) => processGroupMembers(pid))).toEqual([]);
    expect(set.egress.openSessions()).toBe(0);
    expect(await set.browsers.stats()).toEqual({ browsers: 0, contexts: 0, pages: 0 });
  });
});
