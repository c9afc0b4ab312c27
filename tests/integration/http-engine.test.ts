import net from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { LogLevel } from '@/lib/jobs';
import {
  CaptchaDetectedError,
  ContentTooLargeError,
  EgressDeniedError,
  InvalidUrlError,
  RateLimitedError,
  ScrapeError,
  TargetBlockedError,
  TargetUnavailableError,
  TimeoutError,
} from '@/lib/scrape-errors';
import { jobRequestSchema, type JobConfig } from '@/lib/schemas/jobs';
import type { EgressPolicy } from '@/workers/egress/policy';
import { assertNotBlockPage, httpEngine } from '@/workers/engines/http';
import type { EngineContext } from '@/workers/engines/types';
import { fixtureJson, fixturePng, startFixtureServer, type FixtureServer } from '@/tests/fixtures/server';

type LogEntry = { level: LogLevel; message: string; metadata?: Record<string, unknown> };

const loopbackAllowed: EgressPolicy = { allow: ['127.0.0.1/32'] };

let server: FixtureServer;
beforeAll(async () => {
  server = await startFixtureServer();
});
afterAll(() => server.close());
beforeEach(() => server.reset());

function scrape(
  path: string,
  options: Partial<JobConfig> = {},
  context: Partial<EngineContext> & { logs?: LogEntry[] } = {},
) {
  const { logs = [], ...overrides } = context;
  const url = /^https?:/.test(path) ? path : `${server.url}${path}`;
  return httpEngine(
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

async function failure(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the scrape to fail');
}

describe('httpEngine formats', () => {
  it('html: the page as fetched', async () => {
    const result = await scrape('/page');
    expect(result).toMatchObject({ format: 'html', contentType: 'text/html; charset=utf-8', statusCode: 200 });
    expect(result.finalUrl).toBe(`${server.url}/page`);
    expect(result.content.toString()).toContain('<h1>Fixture Heading</h1>');
  });

  it('text, markdown and json from the same page', async () => {
    const text = await scrape('/page', { format: 'text' });
    expect(text.contentType).toBe('text/plain; charset=utf-8');
    expect(text.content.toString()).toContain('The first paragraph, with a link to JSON.');

    const markdown = await scrape('/page', { format: 'markdown' });
    expect(markdown.content.toString()).toMatch(/^# Fixture Heading$/m);
    expect(markdown.content.toString()).toContain(`[a link to JSON](${server.url}/json)`);

    const json = JSON.parse((await scrape('/page', { format: 'json' })).content.toString());
    expect(json).toMatchObject({ url: `${server.url}/page`, statusCode: 200, title: 'Fixture Page' });
  });

  it('json from a JSON endpoint is the target JSON, pretty-printed', async () => {
    const result = await scrape('/json', { format: 'json' });
    expect(result.contentType).toBe('application/json; charset=utf-8');
    expect(result.content.toString()).toBe(JSON.stringify(fixtureJson, null, 2));
  });

  it('binary is kept as fetched whatever the format', async () => {
    const result = await scrape('/binary.png', { format: 'markdown' });
    expect(result.contentType).toBe('image/png');
    expect(result.content.equals(fixturePng)).toBe(true);
  });

  it('an empty body is an empty result', async () => {
    const result = await scrape('/empty', { format: 'text' });
    expect(result).toMatchObject({ statusCode: 200 });
    expect(result.content.length).toBe(0);
  });
});

describe('httpEngine request options', () => {
  async function echo(options: Partial<JobConfig>, path = '/echo') {
    const result = await scrape(path, { format: 'json', ...options });
    return JSON.parse(result.content.toString()) as {
      method: string;
      headers: Record<string, string>;
      cookies: Record<string, string>;
      body: string;
    };
  }

  it('sends the method, headers, cookies and body', async () => {
    const seen = await echo({
      method: 'POST',
      headers: { 'X-Scrapifie-Test': 'yes', 'Content-Type': 'application/json' },
      cookies: { session: 'abc123', theme: 'dark' },
      body: '{"query":"shoes"}',
    });
    expect(seen.method).toBe('POST');
    expect(seen.headers['x-scrapifie-test']).toBe('yes');
    expect(seen.headers['content-type']).toBe('application/json');
    expect(seen.headers['user-agent']).toMatch(/^Mozilla\//);
    expect(seen.cookies).toEqual({ session: 'abc123', theme: 'dark' });
    expect(seen.body).toBe('{"query":"shoes"}');
  });

  it('lets a job header replace a generated one', async () => {
    const seen = await echo({ headers: { 'User-Agent': 'ScrapifieTest/1.0' } });
    expect(seen.headers['user-agent']).toBe('ScrapifieTest/1.0');
  });

  it('sends a body-less DELETE', async () => {
    expect(await echo({ method: 'DELETE' })).toMatchObject({ method: 'DELETE', body: '' });
  });

  it('turns POST into GET on a 303 and keeps it on a 307', async () => {
    const post = { method: 'POST', body: 'a=1' } as const;
    expect(await echo(post, '/redirect?to=/echo&status=303')).toMatchObject({ method: 'GET', body: '' });
    expect(await echo(post, '/redirect?to=/echo&status=307')).toMatchObject({ method: 'POST', body: 'a=1' });
  });

  it('drops cookies when a redirect leaves the origin', async () => {
    const port = new URL(server.url).port;
    const seen = await echo({ cookies: { session: 'abc123' } }, `/redirect?to=http://localhost:${port}/echo`);
    expect(seen.cookies).toEqual({});
  });
});

describe('httpEngine status classification', () => {
  it('429 is RATE_LIMITED and retryable', async () => {
    const error = await failure(scrape('/rate-limited'));
    expect(error).toBeInstanceOf(RateLimitedError);
    expect(error).toMatchObject({ type: 'RATE_LIMITED', retryable: true });
  });

  it('503 is a retryable unavailable target with its status code', async () => {
    const error = await failure(scrape('/flaky?key=always&fail=5'));
    expect(error).toBeInstanceOf(TargetUnavailableError);
    expect(error).toMatchObject({ retryable: true, statusCode: 503 });
  });

  it('a flaky target succeeds once it recovers', async () => {
    await expect(scrape('/flaky?key=once&fail=1')).rejects.toBeInstanceOf(TargetUnavailableError);
    await expect(scrape('/flaky?key=once&fail=1')).resolves.toMatchObject({ statusCode: 200 });
    expect(server.hits('/flaky')).toBe(2);
  });

  it('500 is an unavailable target too', async () => {
    await expect(scrape('/status/500')).rejects.toMatchObject({ statusCode: 500, retryable: true });
  });

  it.each(['/blocked', '/status/401', '/status/451'])('%s is TARGET_BLOCKED, not retryable', async (path) => {
    const error = await failure(scrape(path));
    expect(error).toBeInstanceOf(TargetBlockedError);
    expect(error).toMatchObject({ retryable: false });
    expect((error as Error).message).toContain(`${server.url}${path}`);
  });

  it('404 is INVALID_URL with the status named', async () => {
    const error = await failure(scrape('/status/404'));
    expect(error).toBeInstanceOf(InvalidUrlError);
    expect((error as Error).message).toBe(`Target returned HTTP 404 Not Found for ${server.url}/status/404`);
  });

  it('a 200 captcha page is CAPTCHA_DETECTED', async () => {
    const error = await failure(scrape('/captcha'));
    expect(error).toBeInstanceOf(CaptchaDetectedError);
    expect(error).toMatchObject({ retryable: false });
  });
});

describe('assertNotBlockPage', () => {
  const page = (head: string, body: string) => `<html><head>${head}</head><body>${body}</body></html>`;

  it.each([
    page('', '<div class="h-captcha" data-sitekey="x"></div>'),
    page('<script src="https://js.hcaptcha.com/1/api.js"></script>', ''),
    page('', '<div class="cf-turnstile"></div>'),
    page('', '<p>Please verify you are a human</p>'),
    page('<title>Captcha required</title>', ''),
  ])('sees a captcha in %s', (html) => {
    expect(() => assertNotBlockPage(html, 'https://a.example/')).toThrow(CaptchaDetectedError);
  });

  it('sees a block page by its title', () => {
    const html = page('<title>Access Denied</title>', "<p>You don't have permission.</p>");
    expect(() => assertNotBlockPage(html, 'https://a.example/')).toThrow(TargetBlockedError);
  });

  it('leaves ordinary pages alone', () => {
    const html = page('<title>Forbidden Planet: comics and games</title>', '<p>Access denied? Not here.</p>');
    expect(() => assertNotBlockPage(html, 'https://a.example/')).not.toThrow();
  });
});

describe('httpEngine limits and failures', () => {
  it('times out a slow target with TIMEOUT', async () => {
    const error = await failure(scrape('/slow?ms=10000', { timeoutMs: 1000 }));
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error).toMatchObject({ retryable: true });
  });

  it('stops promptly when the job is aborted, rethrowing the abort', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 200);
    const started = Date.now();
    const error = await failure(scrape('/slow?ms=20000', {}, { signal: controller.signal }));
    expect(error).not.toBeInstanceOf(ScrapeError);
    expect((error as Error).name).toBe('AbortError');
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('refuses to start an already aborted job without connecting', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(scrape('/page', {}, { signal: controller.signal })).rejects.toMatchObject({ name: 'AbortError' });
    expect(server.connections()).toBe(0);
  });

  it.each(['/large?kb=2048', '/large?kb=2048&length=1'])('stops %s past the size limit', async (path) => {
    const error = await failure(scrape(path, {}, { maxContentBytes: 256 * 1024 }));
    expect(error).toBeInstanceOf(ContentTooLargeError);
    expect((error as Error).message).toContain('262144 byte limit');
    expect((error as Error).message).toContain(`${server.url}${path}`);
  });

  it('a dropped connection is a retryable unavailable target', async () => {
    await expect(scrape('/reset')).rejects.toBeInstanceOf(TargetUnavailableError);
  });

  it('a refused connection is INVALID_URL', async () => {
    const closed = await startFixtureServer();
    await closed.close();
    await expect(scrape(`${closed.url}/page`)).rejects.toBeInstanceOf(InvalidUrlError);
  });
});

describe('httpEngine redirects', () => {
  it('follows a redirect chain to the final page', async () => {
    const logs: LogEntry[] = [];
    const result = await scrape('/redirect-chain?n=3', {}, { logs });
    expect(result.finalUrl).toBe(`${server.url}/page`);
    expect(server.hits('/redirect-chain')).toBe(3);
    expect(logs.filter((entry) => entry.message === 'Following redirect')).toHaveLength(3);
  });

  it('gives up after 10 redirects', async () => {
    await expect(scrape('/redirect-chain?n=11')).rejects.toThrow('redirected more than 10 times');
    expect(server.hits('/redirect-chain')).toBe(11);
  });
});

describe('httpEngine egress guard', () => {
  function connectSpy() {
    return vi.spyOn(net.Socket.prototype, 'connect');
  }

  /** Every host a socket was asked to connect to (Node passes options, or [options, callback]). */
  function connectedHosts(spy: ReturnType<typeof connectSpy>): string[] {
    return spy.mock.calls
      .map(([first]) => (Array.isArray(first) ? first[0] : first))
      .map((options) => (options as { host?: string }).host ?? '');
  }

  it('refuses a redirect to a private address without connecting to it', async () => {
    const spy = connectSpy();
    try {
      const error = await failure(scrape('/redirect-private'));
      expect(error).toBeInstanceOf(EgressDeniedError);
      expect((error as Error).message).toContain('10.0.0.1 (private network)');
      // The first hop did connect (so the spy sees connects); the refused one never did.
      expect(connectedHosts(spy)).toContain('127.0.0.1');
      expect(connectedHosts(spy)).not.toContain('10.0.0.1');
    } finally {
      spy.mockRestore();
    }
  });

  it('refuses localhost when the allow-list is empty, before any connection', async () => {
    const port = new URL(server.url).port;
    const error = await failure(scrape(`http://localhost:${port}/`, {}, { egress: { allow: [] } }));
    expect(error).toBeInstanceOf(EgressDeniedError);
    expect((error as Error).message).toContain('localhost: it resolves to 127.0.0.1 (loopback)');
    expect(server.connections()).toBe(0);
  });

  it('refuses https://localhost without any unguarded connection (no HTTP/2 probe)', async () => {
    const port = new URL(server.url).port;
    const error = await failure(scrape(`https://localhost:${port}/`, {}, { egress: { allow: [] } }));
    expect(error).toBeInstanceOf(EgressDeniedError);
    expect(server.connections()).toBe(0);
  });

  it('refuses a loopback literal when the allow-list is empty', async () => {
    const error = await failure(scrape('/page', {}, { egress: { allow: [] } }));
    expect(error).toBeInstanceOf(EgressDeniedError);
    expect(server.connections()).toBe(0);
  });

  it('refuses a redirect from an allowed host to one the policy does not allow', async () => {
    const port = new URL(server.url).port;
    const policy: EgressPolicy = { allow: ['127.0.0.1/32'] };
    const to = encodeURIComponent(`http://[::1]:${port}/page`);
    await expect(scrape(`/redirect?to=${to}`, {}, { egress: policy })).rejects.toBeInstanceOf(EgressDeniedError);
  });
});

describe('httpEngine logs', () => {
  it('logs navigation, load, size and extraction in order', async () => {
    const logs: LogEntry[] = [];
    await scrape('/page', { format: 'markdown' }, { logs });
    expect(logs.map(({ level, message }) => `${level} ${message}`)).toEqual([
      'DEBUG Navigating to target URL',
      'INFO Page loaded',
      expect.stringMatching(/^DEBUG Response size: \d+ bytes$/),
      'INFO Extracting page content',
    ]);
    expect(logs[0].metadata).toEqual({ url: `${server.url}/page` });
    expect(logs[1].metadata).toMatchObject({ statusCode: 200, contentType: 'text/html; charset=utf-8' });
    expect(logs[1].metadata?.timingMs).toEqual(expect.any(Number));
  });
});
