// The HTTP engine: one got-scraping request per hop, redirects followed by hand so every hop
// passes the egress guard, the body read under a size limit, failures classified once here.
// With a proxy pool, every hop goes through the job's egress proxy session, which checks the
// target at connect time (as guardedLookup does for direct requests) and tunnels through the
// pool proxy to the checked address: got-scraping's dnsLookup would only see the proxy's host.

import http, { STATUS_CODES } from 'node:http';
import https from 'node:https';
import { gotScraping, TransformHeadersAgent, type PlainResponse, type Request } from 'got-scraping';
import { isTextual } from '@/lib/jobs';
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
import { egressHeader, type EgressProxy, type EgressSession } from '@/workers/egress/forward-proxy';
import { assertUrlAllowed, guardedLookup, type EgressPolicy } from '@/workers/egress/policy';
import { UpstreamProxyFailedError, withProxyRotation, type ProxyPool } from '@/workers/egress/proxy-pool';
import type { Engine, EngineContext, EngineRequest, EngineResult } from '@/workers/engines/types';
import { htmlTitle, toFormat } from '@/workers/formats';

const maxRedirects = 10;
const redirectStatuses = new Set([301, 302, 303, 307, 308]);
const credentialHeaders = ['authorization', 'cookie', 'proxy-authorization'];

// No keep-alive: a pooled socket would be reused without a lookup, possibly by a later job
// whose policy never approved the address it was opened to.
const agent = {
  http: new TransformHeadersAgent(new http.Agent({ keepAlive: false })),
  https: new TransformHeadersAgent(new https.Agent({ keepAlive: false })),
};

type HeaderGenerator = { getHeaders(options: { httpVersion: '1' | '2' }): Record<string, string> };

function isHeaderGenerator(value: unknown): value is HeaderGenerator {
  return typeof (value as HeaderGenerator | undefined)?.getHeaders === 'function';
}

/**
 * Browser-like headers from got-scraping's own generator. got-scraping's header hook would first
 * open a TLS connection to probe for HTTP/2 using the system resolver, bypassing the guarded
 * lookup; generating the headers here (HTTP/1.1 only) means the one connection is the guarded one.
 */
function browserHeaders(): Record<string, string> {
  const slot = Math.floor(Math.random() * headerSetCount);
  headerSets[slot] ??= generateBrowserHeaders();
  return { ...headerSets[slot] };
}

/**
 * Generating a header set costs about 1.4 ms of CPU, a quarter of a whole HTTP job, so each
 * worker draws from a pool of sets generated once: still varied across requests, not per request.
 */
const headerSetCount = 64;
const headerSets: Record<string, string>[] = [];

function generateBrowserHeaders(): Record<string, string> {
  const generator = gotScraping.defaults.options.context.headerGenerator;
  if (!isHeaderGenerator(generator)) return {};
  const headers = lowercaseKeys(generator.getHeaders({ httpVersion: '1' }));
  delete headers.connection;
  return headers;
}

function lowercaseKeys(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]));
}

function requestHeaders(request: EngineRequest): Record<string, string> {
  const headers = { ...browserHeaders(), ...lowercaseKeys(request.headers) };
  const cookies = Object.entries(request.cookies).map(([name, value]) => `${name}=${value}`);
  if (cookies.length > 0) headers.cookie = [headers.cookie, ...cookies].filter(Boolean).join('; ');
  return headers;
}

type Hop = { url: URL; method: EngineRequest['method']; headers: Record<string, string>; body?: string };
type SendOptions = { hop: Hop; policy: EgressPolicy; signal: AbortSignal; timeoutMs: number; proxyUrl?: string };
type ExtractOptions = {
  stream: Request;
  response: PlainResponse;
  request: EngineRequest;
  ctx: EngineContext;
  url: string;
};

/** An absolute http(s) URL, or INVALID_URL naming where the bad one came from. */
export function targetUrl({ href, base, source }: { href: string; base?: URL; source: string }): URL {
  if (!URL.canParse(href, base)) throw new InvalidUrlError(`${source} is not a valid URL: ${href}`);
  const url = new URL(href, base);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new InvalidUrlError(`${source} is not an http:// or https:// URL: ${url.href}`);
  }
  return url;
}

/** The next hop of a redirect, with the method and credentials a browser would carry over. */
function redirectHop(hop: Hop, { statusCode, location }: { statusCode: number; location: string }): Hop {
  const url = targetUrl({ href: location, base: hop.url, source: `The redirect from ${hop.url.href}` });
  const headers = { ...hop.headers };
  if (url.origin !== hop.url.origin) for (const name of credentialHeaders) delete headers[name];
  const becomesGet = statusCode === 303 || ((statusCode === 301 || statusCode === 302) && hop.method === 'POST');
  if (!becomesGet || hop.method === 'HEAD') return { ...hop, url, headers };
  delete headers['content-type'];
  delete headers['content-length'];
  return { url, method: 'GET', headers };
}

/**
 * Starts one request. Literal IPs are refused before got is called; a hostname is resolved by
 * `guardedLookup`, passed to got as `dnsLookup` and so to `net.connect({ lookup })`: the socket
 * connects only to the addresses that lookup checked and returned, so a rebinding answer cannot
 * slip in between the check and the connect. Through the egress proxy (`proxyUrl`), the proxy
 * does the same at its end.
 */
function send({ hop, policy, signal, timeoutMs, proxyUrl }: SendOptions): Request {
  assertUrlAllowed(hop.url, policy);
  const body = hop.method === 'HEAD' ? undefined : hop.body;
  const stream = gotScraping.stream(hop.url, {
    method: hop.method,
    headers: hop.headers,
    body,
    allowGetBody: body !== undefined,
    followRedirect: false,
    throwHttpErrors: false,
    // HTTP/1.1 only: the HTTP/2 path (http2-wrapper) negotiates ALPN on a socket of its own, and
    // got-scraping's header hook probes it unguarded; see browserHeaders.
    http2: false,
    useHeaderGenerator: false,
    ...(proxyUrl ? { proxyUrl } : { agent, dnsLookup: guardedLookup(policy) }),
    signal,
    timeout: { request: timeoutMs },
    retry: { limit: 0 },
  });
  // A stream with no body option waits to be piped into; end it so the request goes out.
  if (body === undefined && hop.method !== 'GET' && hop.method !== 'HEAD') stream.end();
  return stream;
}

function responseOf(stream: Request): Promise<PlainResponse> {
  // The error listener stays attached: a redirect hop's stream, destroyed once its headers are
  // read, may still report a late socket error, which must not crash the worker as unhandled.
  return new Promise((resolve, reject) => {
    stream.once('response', resolve);
    stream.on('error', reject);
  });
}

async function readBody(stream: Request, { limit, url }: { limit: number; url: string }): Promise<Buffer> {
  const tooLarge = () => new ContentTooLargeError(`Response from ${url} exceeds the ${limit} byte limit`);
  const declared = Number(stream.response?.headers['content-length']);
  if (declared > limit) {
    stream.destroy();
    throw tooLarge();
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    size += chunk.length;
    // Leaving the loop destroys the stream, so the download stops here.
    if (size > limit) throw tooLarge();
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, size);
}

/** Throws the classified error for any final status that is not 2xx. */
export function assertSuccessStatus(statusCode: number, url: string): void {
  if (statusCode >= 200 && statusCode < 300) return;
  const status = `HTTP ${statusCode} ${STATUS_CODES[statusCode] ?? ''}`.trim();
  if (statusCode === 401 || statusCode === 403 || statusCode === 451) {
    throw new TargetBlockedError(`Target blocked the request: ${url} returned ${status}`);
  }
  if (statusCode === 429) throw new RateLimitedError(`Target rate-limited the request: ${url} returned ${status}`);
  if (statusCode >= 500) throw new TargetUnavailableError(`Target returned ${status} for ${url}`, statusCode);
  throw new InvalidUrlError(`Target returned ${status} for ${url}`, statusCode);
}

const captchaMarkers = [/g-recaptcha/i, /h-captcha|hcaptcha/i, /cf-turnstile/i, /please verify you are a human/i];
const blockTitles = /^(access denied|403 forbidden)\b|^attention required! \| cloudflare/i;

/** Refuses a 200 page that is really a captcha or a block page. */
export function assertNotBlockPage(html: string, url: string): void {
  const title = htmlTitle(html) ?? '';
  if (/captcha/i.test(title) || captchaMarkers.some((marker) => marker.test(html))) {
    throw new CaptchaDetectedError(`Target ${url} answered with a captcha page`);
  }
  if (blockTitles.test(title)) throw new TargetBlockedError(`Target ${url} answered with a block page ("${title}")`);
}

/** Classifies a transport failure; anything unrecognised is left for the worker to wrap. */
function classifyNetworkError(error: unknown, url: string): unknown {
  for (let cause = error; cause instanceof Error; cause = cause.cause) {
    if (cause instanceof ScrapeError) return cause;
  }
  const code = (error as NodeJS.ErrnoException | undefined)?.code ?? '';
  if (code === 'ETIMEDOUT') return new TimeoutError(`Timed out fetching ${url}`);
  if (code === 'ECONNRESET' || code === 'EPIPE') {
    return new TargetUnavailableError(`Connection to ${url} was reset before the response completed`);
  }
  if (['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH'].includes(code)) {
    return new InvalidUrlError(`Target ${url} is not accessible (${code})`);
  }
  return error;
}

function contentTypeOf(response: PlainResponse, body: Buffer): string {
  const declared = response.headers['content-type'];
  if (declared) return declared;
  // Undeclared: text unless it holds NUL bytes, HTML when it looks like a document.
  const head = body.subarray(0, 1024);
  if (head.includes(0)) return 'application/octet-stream';
  return /<(!doctype html|html|head|body)\b/i.test(head.toString('latin1')) ? 'text/html' : 'text/plain';
}

/** Reads, checks and converts the final (non-redirect) response. */
async function extract({ stream, response, request, ctx, url }: ExtractOptions): Promise<EngineResult> {
  const { statusCode } = response;
  if (statusCode < 200 || statusCode >= 300) stream.destroy();
  assertSuccessStatus(statusCode, url);

  const body = await readBody(stream, { limit: ctx.maxContentBytes, url });
  ctx.log('DEBUG', `Response size: ${body.length} bytes`);
  const contentType = contentTypeOf(response, body);
  if (isTextual(contentType) && /html/i.test(contentType)) assertNotBlockPage(body.toString('utf8'), url);

  ctx.log('INFO', 'Extracting page content');
  const { format } = request;
  const result = toFormat({ format, body, contentType, url, statusCode, headers: response.headers });
  if (result.content.length > ctx.maxContentBytes) {
    throw new ContentTooLargeError(`The ${format} result for ${url} exceeds the ${ctx.maxContentBytes} byte limit`);
  }
  return { format, ...result, statusCode, finalUrl: url };
}

/** The egress proxy's own reply in place of the target's: a refusal or an unreachable target. */
function assertNotEgressReply(stream: Request, hop: Hop, session: EgressSession | undefined): void {
  const kind = session && stream.response?.headers[egressHeader];
  if (!kind) return;
  stream.destroy();
  throw egressFailure(hop.url, session) ?? new InvalidUrlError(`Target ${hop.url.href} is not accessible`);
}

/** What the egress proxy recorded about `url`'s host: refused, or not reachable. */
function egressFailure(url: URL, session: EgressSession | undefined): ScrapeError | undefined {
  const refusal = session?.refusalFor(url);
  if (refusal) return new EgressDeniedError(refusal.message);
  const unreachable = session?.unreachableFor(url);
  return unreachable ? new InvalidUrlError(`Target ${url.href} is not accessible (${unreachable.message})`) : undefined;
}

/** Without a session the request goes out directly; with one, through the egress proxy. */
type Route = { session?: EgressSession };

async function fetchPage(request: EngineRequest, ctx: EngineContext, route: Route): Promise<EngineResult> {
  const deadline = AbortSignal.timeout(request.timeoutMs);
  const signal = AbortSignal.any([ctx.signal, deadline]);
  const started = performance.now();
  let hop: Hop = {
    url: targetUrl({ href: request.url, source: 'The target' }),
    method: request.method,
    headers: requestHeaders(request),
    body: request.body,
  };
  ctx.log('DEBUG', 'Navigating to target URL', { url: request.url });

  try {
    for (let redirects = 0; ; redirects++) {
      const stream = send({ hop, policy: ctx.egress, signal, timeoutMs: request.timeoutMs, proxyUrl: route.session?.url });
      const response = await responseOf(stream);
      assertNotEgressReply(stream, hop, route.session);
      const { statusCode, headers } = response;
      if (!redirectStatuses.has(statusCode) || !headers.location) {
        const timingMs = Math.round(performance.now() - started);
        ctx.log('INFO', 'Page loaded', { statusCode, contentType: headers['content-type'] ?? null, timingMs });
        return await extract({ stream, response, request, ctx, url: hop.url.href });
      }

      stream.destroy();
      if (redirects === maxRedirects) {
        throw new InvalidUrlError(`Too many redirects: ${request.url} redirected more than ${maxRedirects} times`);
      }
      const next = redirectHop(hop, { statusCode, location: headers.location });
      ctx.log('DEBUG', 'Following redirect', { statusCode, from: hop.url.href, to: next.url.href });
      hop = next;
    }
  } catch (error) {
    if (ctx.signal.aborted) throw ctx.signal.reason;
    if (route.session?.upstreamFailure) throw new UpstreamProxyFailedError(route.session.upstreamFailure);
    const failure = error instanceof ScrapeError ? undefined : egressFailure(hop.url, route.session);
    if (failure) throw failure;
    if (deadline.aborted) throw new TimeoutError(`Timed out after ${request.timeoutMs} ms fetching ${hop.url.href}`);
    throw classifyNetworkError(error, hop.url.href);
  }
}

export type HttpEngineDeps = { egress?: EgressProxy; proxies?: ProxyPool };

/** The HTTP engine; with a proxy pool (and the egress proxy to reach it) it rotates proxies. */
export function createHttpEngine({ egress, proxies }: HttpEngineDeps = {}): Engine {
  return async (request, ctx) => {
    ctx.signal.throwIfAborted();
    if (!egress || !proxies?.enabled) return fetchPage(request, ctx, {});
    const target = targetUrl({ href: request.url, source: 'The target' });
    assertUrlAllowed(target, ctx.egress);
    const rotation = { pool: proxies, country: request.proxyCountry, url: request.url, log: ctx.log, signal: ctx.signal };
    return withProxyRotation(rotation, async (proxy) => {
      const session = await egress.openSession({ policy: ctx.egress, upstream: proxy });
      try {
        return await fetchPage(request, ctx, { session });
      } finally {
        await session.close();
      }
    });
  };
}

/** Direct requests only, guarded by the lookup each socket connects through. */
export const httpEngine: Engine = createHttpEngine();
