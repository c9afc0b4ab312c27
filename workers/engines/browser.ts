// The Browser engine: the page loaded in Chromium (puppeteer-core), in a fresh incognito
// context per attempt whose every request goes through the job's egress proxy session. Formats
// are taken from the rendered DOM; classification mirrors the HTTP engine (status codes, block
// and captcha pages, size limit), plus selector waits, screenshots and browser crashes.

import { ProtocolError, TimeoutError as PuppeteerTimeoutError, type BrowserContext, type HTTPResponse, type Page } from 'puppeteer-core';
import type { ProxyEntry } from '@/lib/proxy-pool';
import {
  BrowserError,
  ContentTooLargeError,
  EgressDeniedError,
  InvalidUrlError,
  ScrapeError,
  SelectorNotFoundError,
  TimeoutError,
} from '@/lib/scrape-errors';
import { attemptBudgetMs } from '@/workers/browser/limits';
import { networkError, networkErrorCode } from '@/workers/browser/network-errors';
import type { BrowserLease, BrowserPool } from '@/workers/browser/pool';
import { applyRequestOptions } from '@/workers/browser/request-options';
import { egressHeader, type EgressProxy, type EgressSession } from '@/workers/egress/forward-proxy';
import { assertUrlAllowed } from '@/workers/egress/policy';
import { UpstreamProxyFailedError, withProxyRotation, type ProxyPool } from '@/workers/egress/proxy-pool';
import { assertNotBlockPage, assertSuccessStatus, targetUrl } from '@/workers/engines/http';
import type { Engine, EngineContext, EngineLog, EngineRequest, EngineResult, Screenshot } from '@/workers/engines/types';
import { toFormat } from '@/workers/formats';

export type BrowserEngineDeps = { browsers: BrowserPool; egress: EgressProxy; proxies: ProxyPool };

/** Runs on each fresh page before navigation; the Stealth engine applies its fingerprint here. */
export type PagePreparer = (page: Page, options: { request: EngineRequest; proxy: ProxyEntry | null; log: EngineLog }) => Promise<void>;

const viewport = { width: 1920, height: 1080 };
/** Chromium cannot capture taller images; a longer full-page screenshot is cut here. */
const maxScreenshotHeight = 16_384;
/** After `load`, a page without a selector to wait for gets this long to finish its requests. */
const settle = { idleTime: 300, timeout: 3_000 };
const teardownMs = 3_000;

function formatSeconds(ms: number): string {
  return String(Number((ms / 1000).toFixed(3)));
}

/** Width and height from a PNG's IHDR chunk. */
export function pngSize(png: Buffer): { width: number; height: number } {
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

function settleWithin<T>(promise: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), ms);
  });
  return Promise.race([promise.catch(() => undefined), timeout]).finally(() => clearTimeout(timer));
}

type AttemptOptions = {
  deps: BrowserEngineDeps;
  request: EngineRequest;
  ctx: EngineContext;
  proxy: ProxyEntry | null;
  target: URL;
  prepare?: PagePreparer;
};

/** One attempt in one context: everything it opens is closed when it ends, however it ends. */
class BrowserAttempt {
  private readonly deadline: AbortSignal;
  private readonly stop: AbortSignal;
  private readonly failed: Promise<never>;
  private fail: (error: unknown) => void = () => {};
  private lastNavigation: string;
  private lease: BrowserLease | undefined;
  private session: EgressSession | undefined;

  constructor(private readonly o: AttemptOptions) {
    const { request } = o;
    this.lastNavigation = request.url;
    this.deadline = AbortSignal.timeout(attemptBudgetMs(request));
    this.stop = AbortSignal.any([o.ctx.signal, this.deadline]);
    this.failed = new Promise<never>((_, reject) => {
      this.fail = reject;
    });
    this.failed.catch(() => {});
  }

  /** Races a browser call against cancel, shutdown, the deadline and crashes. */
  private guard<T>(promise: Promise<T>): Promise<T> {
    return Promise.race([promise, this.failed]);
  }

  async run(): Promise<EngineResult> {
    const { ctx, deps, proxy } = this.o;
    const onStop = () => this.fail(this.stop.reason);
    this.stop.addEventListener('abort', onStop, { once: true });
    let contextReady: Promise<BrowserContext> | undefined;
    try {
      ctx.log('INFO', 'Launching browser instance');
      this.lease = await deps.browsers.acquire();
      this.lease.onCrash((error) => this.fail(error));
      this.stop.throwIfAborted();
      this.session = await deps.egress.openSession({ policy: ctx.egress, upstream: proxy });
      contextReady = this.lease.browser.createBrowserContext({
        proxyServer: this.session.url,
        proxyBypassList: ['<-loopback>'],
        downloadBehavior: { policy: 'deny' },
      });
      const context = await this.guard(contextReady);
      const page = await this.guard(context.newPage());
      return await this.load(page);
    } catch (error) {
      throw this.classify(error);
    } finally {
      this.stop.removeEventListener('abort', onStop);
      await this.teardown(contextReady);
    }
  }

  private async teardown(contextReady: Promise<BrowserContext> | undefined): Promise<void> {
    const { lease, session, o } = this;
    const context = contextReady && (await settleWithin(contextReady, teardownMs));
    if (context && lease?.browser.connected) {
      const closed = await settleWithin(context.close().then(() => true), teardownMs);
      if (!closed) lease.retire(); // a browser that cannot close a context is not trusted with the next
    }
    if (session) {
      if (session.refused > 0) {
        const targets = [...new Set(session.refusals.map((refusal) => `${refusal.host}:${refusal.port}`))];
        o.ctx.log('WARN', `Egress guard blocked ${session.refused} request(s) to non-public addresses`, { targets: targets.slice(0, 20) });
      }
      await session.close();
    }
    lease?.release();
  }

  private async load(page: Page): Promise<EngineResult> {
    const { ctx, request, proxy, prepare } = this.o;
    page.on('error', () => {
      this.lease?.retire();
      this.fail(new BrowserError(`The browser page crashed while loading ${request.url}`));
    });
    page.on('dialog', (dialog) => void dialog.dismiss().catch(() => {}));
    page.on('request', (req) => {
      if (req.isNavigationRequest() && req.frame() === page.mainFrame()) this.lastNavigation = req.url();
    });
    await this.guard(page.setViewport(viewport));
    if (!request.renderJs) await this.guard(page.setJavaScriptEnabled(false));
    if (prepare) await this.guard(prepare(page, { request, proxy, log: ctx.log }));
    await this.guard(applyRequestOptions(page, { request, target: this.o.target }));

    ctx.log('DEBUG', 'Navigating to target URL', { url: request.url });
    const started = performance.now();
    const response = await this.guard(page.goto(request.url, { waitUntil: 'load', timeout: request.timeoutMs }));
    if (response) this.assertNotEgressReply(response);
    const statusCode = response?.status() ?? 200;
    const headers = response?.headers() ?? {};
    const contentType = headers['content-type'] ?? 'text/html';
    const timingMs = Math.round(performance.now() - started);
    const selector = request.waitForSelector;
    ctx.log('INFO', selector ? 'Page loaded, waiting for selector' : 'Page loaded', { statusCode, contentType, timingMs });
    assertSuccessStatus(statusCode, page.url());
    if (Number(headers['content-length']) > ctx.maxContentBytes) {
      throw new ContentTooLargeError(`Response from ${page.url()} exceeds the ${ctx.maxContentBytes} byte limit`);
    }

    if (selector) await this.waitForSelector(page, selector);
    else await this.settle(page);

    const screenshot = request.screenshot ? await this.screenshot(page) : undefined;
    const result = await this.extract(page, { response, statusCode, headers, contentType });
    return screenshot ? { ...result, screenshot } : result;
  }

  /** Lets requests the page's scripts started after `load` finish, for a bounded time. */
  private async settle(page: Page): Promise<void> {
    try {
      await this.guard(page.waitForNetworkIdle(settle));
    } catch (error) {
      if (!(error instanceof PuppeteerTimeoutError)) throw error;
    }
  }

  private async waitForSelector(page: Page, selector: string): Promise<void> {
    const { ctx, request } = this.o;
    try {
      await this.guard(page.waitForSelector(selector, { timeout: request.waitTimeoutMs }));
    } catch (error) {
      if (error instanceof PuppeteerTimeoutError && !this.stop.aborted) {
        const seconds = formatSeconds(request.waitTimeoutMs);
        ctx.log('WARN', `Selector not found within ${seconds}s`, { selector });
        throw new SelectorNotFoundError(`Selector ${selector} was not found on ${page.url()} within ${seconds}s`);
      }
      if (error instanceof Error && /is not a valid selector/i.test(error.message)) {
        throw new SelectorNotFoundError(`${selector} is not a valid CSS selector`);
      }
      throw error;
    }
    ctx.log('INFO', `Selector found: ${selector}`);
  }

  private async screenshot(page: Page): Promise<Screenshot> {
    const { ctx, request } = this.o;
    let fullPage = request.screenshot === 'fullPage';
    let clip: { x: number; y: number; width: number; height: number } | undefined;
    if (fullPage) {
      const cdp = await this.guard(page.createCDPSession());
      const { cssContentSize } = await this.guard(cdp.send('Page.getLayoutMetrics'));
      await cdp.detach().catch(() => {});
      if (cssContentSize.height > maxScreenshotHeight) {
        fullPage = false;
        clip = { x: 0, y: 0, width: Math.ceil(cssContentSize.width), height: maxScreenshotHeight };
      }
    }
    const png = Buffer.from(await this.guard(page.screenshot({ type: 'png', fullPage, clip, captureBeyondViewport: Boolean(clip) })));
    if (png.length > ctx.maxContentBytes) {
      throw new ContentTooLargeError(`The screenshot of ${page.url()} exceeds the ${ctx.maxContentBytes} byte limit`);
    }
    const { width, height } = pngSize(png);
    ctx.log('INFO', `Screenshot captured (${width}x${height})`, { size: png.length, fullPage: request.screenshot === 'fullPage' });
    return { png, width, height };
  }

  /** The rendered DOM of an HTML page; any other document (JSON, text, an image) as received. */
  private async extract(
    page: Page,
    { response, statusCode, headers, contentType }: { response: HTTPResponse | null; statusCode: number; headers: Record<string, string>; contentType: string },
  ): Promise<EngineResult> {
    const { ctx, request } = this.o;
    const url = page.url();
    const mime = contentType.split(';')[0].trim().toLowerCase();
    const rendered = !response || mime === 'text/html' || mime === 'application/xhtml+xml';
    const html = rendered ? await this.guard(page.content()) : null;
    const body = html !== null ? Buffer.from(html, 'utf8') : Buffer.from(await this.guard(response!.buffer()));
    if (body.length > ctx.maxContentBytes) {
      throw new ContentTooLargeError(`Response from ${url} exceeds the ${ctx.maxContentBytes} byte limit`);
    }
    ctx.log('DEBUG', `Response size: ${body.length} bytes`);
    if (html !== null) assertNotBlockPage(html, url);

    ctx.log('INFO', 'Extracting page content');
    const { format } = request;
    const type = html !== null ? 'text/html; charset=utf-8' : contentType;
    const result = toFormat({ format, body, contentType: type, url, statusCode, headers });
    if (result.content.length > ctx.maxContentBytes) {
      throw new ContentTooLargeError(`The ${format} result for ${url} exceeds the ${ctx.maxContentBytes} byte limit`);
    }
    return { format, ...result, statusCode, finalUrl: url };
  }

  /** The egress proxy answered instead of the target (plain http:// documents only). */
  private assertNotEgressReply(response: HTTPResponse): void {
    const kind = response.headers()[egressHeader];
    if (!kind) return;
    const url = response.url();
    if (kind === 'proxy-failed') throw new UpstreamProxyFailedError(this.session?.upstreamFailure ?? `The proxy failed loading ${url}`);
    throw this.refusalOf(url) ?? this.unreachable(url) ?? new InvalidUrlError(`Target ${url} is not accessible`);
  }

  /** The egress proxy refused `url`'s host: the refusal, worded as the HTTP engine words it. */
  private refusalOf(url: string): ScrapeError | undefined {
    const parsed = URL.canParse(url) ? new URL(url) : undefined;
    const refusal = parsed && this.session?.refusalFor(parsed);
    if (!parsed || !refusal) return undefined;
    try {
      assertUrlAllowed(parsed, this.o.ctx.egress);
    } catch (error) {
      return error as ScrapeError;
    }
    return new EgressDeniedError(refusal.message);
  }

  /** The egress proxy could not reach `url`'s host, and why. */
  private unreachable(url: string): ScrapeError | undefined {
    const failure = URL.canParse(url) ? this.session?.unreachableFor(new URL(url)) : undefined;
    return failure && new InvalidUrlError(`Target ${url} is not accessible (${failure.message})`);
  }

  private classify(error: unknown): unknown {
    const { ctx, request, proxy } = this.o;
    if (ctx.signal.aborted) return ctx.signal.reason;
    if (this.session?.upstreamFailure) {
      return new UpstreamProxyFailedError(`Proxy ${proxy?.label} failed: ${this.session.upstreamFailure}`);
    }
    if (error instanceof ScrapeError) return error;
    const refused = this.refusalOf(this.lastNavigation);
    if (refused) return refused;
    // A CDP call that outlived the protocol timeout is a slow page too, never puppeteer's own advice.
    if (error instanceof PuppeteerTimeoutError || this.deadline.aborted || (error instanceof ProtocolError && /timed out/i.test(error.message))) {
      return new TimeoutError(`Timed out after ${request.timeoutMs} ms loading ${this.lastNavigation}`);
    }
    if (this.lease && !this.lease.browser.connected) return new BrowserError('The browser crashed or disconnected during the job');
    const message = error instanceof Error ? error.message : String(error);
    const code = networkErrorCode(message);
    if (code) return this.unreachable(this.lastNavigation) ?? networkError(code, this.lastNavigation);
    if (/target closed|session closed|detached|connection closed/i.test(message)) {
      return new BrowserError(`The browser lost the page loading ${this.lastNavigation}`);
    }
    // Unclassified: the runner logs it in full and gives the job a generic INTERNAL_ERROR (toScrapeError).
    return error;
  }
}

/** The Browser engine, or (with `prepare`) a variant of it such as Stealth. */
export function createBrowserEngine(deps: BrowserEngineDeps, prepare?: PagePreparer): Engine {
  return async (request, ctx) => {
    ctx.signal.throwIfAborted();
    const target = targetUrl({ href: request.url, source: 'The target' });
    assertUrlAllowed(target, ctx.egress);
    const rotation = { pool: deps.proxies, country: request.proxyCountry, url: request.url, log: ctx.log, signal: ctx.signal };
    return withProxyRotation(rotation, (proxy) => new BrowserAttempt({ deps, request, ctx, proxy, target, prepare }).run());
  };
}
