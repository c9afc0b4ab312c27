import createClient, { type Client, type Middleware } from 'openapi-fetch';
import { ApiError, ConnectionError, UnexpectedResponseError, connectionReason, type ApiErrorDetails } from './errors.js';
import type { paths } from './types.js';

// The HTTP layer under every call: the generated client (openapi-fetch over the document's
// types) with the key, a bounded wait per attempt, an Idempotency-Key on every POST, retries of
// what is safe to retry, and replies that are not the API's turned into errors.

export type ClientOptions = {
  /** An API key: `sk_live_...` or `sk_test_...`. */
  apiKey: string;
  /** Default http://localhost:3000. */
  baseUrl?: string;
  /** Retries after the first attempt of a request that failed in a retryable way. Default 2. */
  maxRetries?: number;
  /** How long to wait for each attempt's response headers, in ms. Default 30,000. */
  timeoutMs?: number;
  /** Between polls when a live stream is unavailable, in ms. Default 1,000. */
  pollIntervalMs?: number;
  /** Sent as User-Agent, before the SDK's own. */
  userAgent?: string;
  fetch?: typeof fetch;
};

export type RequestOptions = {
  signal?: AbortSignal;
  /** For a POST: the key to send; by default each call gets a new one (kept across its retries). */
  idempotencyKey?: string;
  /** Overrides the client's timeoutMs for this call. */
  timeoutMs?: number;
};

export const sdkVersion = '0.1.0';

const timeoutHeader = 'x-scrapifie-timeout-ms';

/** Statuses worth another attempt: the request did not take effect, or it is safe to repeat. */
const retryableStatuses = new Set([408, 425, 429, 500, 502, 503, 504]);

export type Transport = {
  api: Client<paths>;
  baseUrl: string;
  pollIntervalMs: number;
  /** A plain request with the key and User-Agent, for streams (no retries, no timeout on the body). */
  raw(path: string, init?: RequestInit & { timeoutMs?: number }): Promise<Response>;
  /** Turns openapi-fetch's `{data, error, response}` into the data, or throws the error. */
  unwrap<T>(call: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T>;
  options(options?: RequestOptions): { signal?: AbortSignal; headers?: Record<string, string> };
};

export function createTransport(options: ClientOptions): Transport {
  const baseUrl = (options.baseUrl ?? 'http://localhost:3000').replace(/\/+$/, '');
  const fetchImpl = options.fetch ?? globalThis.fetch;
  const maxRetries = options.maxRetries ?? 2;
  const timeoutMs = options.timeoutMs ?? 30_000;
  const userAgent = `${options.userAgent ? `${options.userAgent} ` : ''}scrapifie-sdk/${sdkVersion}`;
  const authHeaders = { authorization: `Bearer ${options.apiKey}`, 'user-agent': userAgent };

  /** One attempt: the response once its headers arrived, or a ConnectionError. */
  async function attempt(request: Request, wait: number): Promise<Response> {
    const controller = new AbortController();
    const onAbort = () => controller.abort(request.signal.reason);
    request.signal.addEventListener('abort', onAbort, { once: true });
    const timer = setTimeout(() => controller.abort(new DOMException('timed out', 'TimeoutError')), wait);
    try {
      // `duplex` lets a body stream be forwarded (Node's fetch requires it for a Request body).
      return await fetchImpl(new Request(request, { signal: controller.signal, duplex: 'half' } as RequestInit));
    } catch (error) {
      if (request.signal.aborted) throw request.signal.reason;
      throw new ConnectionError(baseUrl, connectionReason(controller.signal.aborted ? controller.signal.reason : error), { cause: error });
    } finally {
      clearTimeout(timer);
      request.signal.removeEventListener('abort', onAbort);
    }
  }

  /**
   * The fetch openapi-fetch calls: retries with backoff, honouring Retry-After. A call's own
   * timeout comes in the internal `x-scrapifie-timeout-ms` header (openapi-fetch passes headers
   * through, not options), which is removed before the request leaves.
   */
  async function retryingFetch(input: Request): Promise<Response> {
    const wait = Number(input.headers.get(timeoutHeader)) || timeoutMs;
    input.headers.delete(timeoutHeader);
    // A POST is retried only under its Idempotency-Key, so the server acts on it once.
    const repeatable = input.method !== 'POST' || input.headers.has('idempotency-key');
    for (let n = 0; ; n += 1) {
      const last = n >= maxRetries || !repeatable;
      let response: Response;
      try {
        response = await attempt(input.clone(), wait);
      } catch (error) {
        if (last || !(error instanceof ConnectionError)) throw error;
        await sleep(backoffMs(n), input.signal);
        continue;
      }
      if (last || !(await shouldRetry(response))) return response;
      await response.body?.cancel();
      await sleep(retryAfterMs(response) ?? backoffMs(n), input.signal);
    }
  }

  /** Each reply's request as `GET /api/v1/jobs`, for the errors that name it. */
  const requests = new WeakMap<Response, string>();
  const api = createClient<paths>({ baseUrl, fetch: retryingFetch as typeof fetch, headers: authHeaders });

  const shapeCheck: Middleware = {
    onRequest({ request }) {
      if (request.method === 'POST' && !request.headers.has('idempotency-key')) request.headers.set('idempotency-key', crypto.randomUUID());
      return request;
    },
    onResponse({ request, response, options: { parseAs } }) {
      requests.set(response, describe(request));
      // openapi-fetch would JSON.parse an HTML page and throw a SyntaxError: say what happened instead.
      if (response.ok && parseAs === 'json' && response.status !== 204 && !isJson(response.headers.get('content-type'))) {
        throw new UnexpectedResponseError(baseUrl, describe(request), response.status, response.headers.get('content-type'));
      }
      return response;
    },
  };
  api.use(shapeCheck);

  async function unwrap<T>(call: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
    const { data, error, response } = await call;
    if (response.ok) return data as T;
    throw errorFrom(baseUrl, requests.get(response) ?? `GET ${new URL(response.url || baseUrl).pathname}`, response, error);
  }

  return {
    api,
    baseUrl,
    pollIntervalMs: options.pollIntervalMs ?? 1000,
    unwrap,
    options(requestOptions = {}) {
      const headers: Record<string, string> = {};
      if (requestOptions.idempotencyKey) headers['idempotency-key'] = requestOptions.idempotencyKey;
      if (requestOptions.timeoutMs) headers[timeoutHeader] = String(requestOptions.timeoutMs);
      return { signal: requestOptions.signal, headers };
    },
    async raw(path, { timeoutMs: wait = timeoutMs, signal, ...init } = {}) {
      const headers = new Headers(init.headers);
      for (const [name, value] of Object.entries(authHeaders)) headers.set(name, value);
      // The timer bounds the wait for the headers only; `signal` still ends the body (a stream) later.
      const timeout = new AbortController();
      const timer = setTimeout(() => timeout.abort(new DOMException('timed out', 'TimeoutError')), wait);
      try {
        return await fetchImpl(`${baseUrl}${path}`, { ...init, headers, signal: signal ? AbortSignal.any([signal, timeout.signal]) : timeout.signal });
      } catch (error) {
        if (signal?.aborted) throw signal.reason;
        throw new ConnectionError(baseUrl, connectionReason(timeout.signal.aborted ? timeout.signal.reason : error), { cause: error });
      } finally {
        clearTimeout(timer);
      }
    },
  };
}

/** The error of a reply that is not 2xx: the API's error shape, or an unexpected reply. */
export function errorFrom(baseUrl: string, request: string, response: Response, body: unknown): Error {
  const shaped = (body as { error?: { code?: unknown; message?: unknown; details?: unknown } } | undefined)?.error;
  if (shaped && typeof shaped.code === 'string' && typeof shaped.message === 'string') {
    return new ApiError(
      response.status,
      shaped.code,
      shaped.message,
      shaped.details as ApiErrorDetails | undefined,
      response.headers.get('x-request-id'),
      retryAfterMs(response) === undefined ? null : retryAfterMs(response)! / 1000,
    );
  }
  return new UnexpectedResponseError(baseUrl, request, response.status, response.headers.get('content-type'));
}

async function shouldRetry(response: Response): Promise<boolean> {
  if (retryableStatuses.has(response.status)) return true;
  if (response.status !== 409) return false;
  // The same Idempotency-Key is still being processed: its reply will be ready shortly.
  const body = (await response.clone().json().catch(() => null)) as { error?: { code?: string } } | null;
  return body?.error?.code === 'idempotency_in_flight';
}

function retryAfterMs(response: Response): number | undefined {
  const value = response.headers.get('retry-after');
  if (!value || !/^\d+$/.test(value.trim())) return undefined;
  return Math.min(Number(value) * 1000, 60_000);
}

/** 0.5 s, 1 s, 2 s, ... up to 8 s, with jitter so many clients do not retry in step. */
export function backoffMs(n: number): number {
  return Math.min(8000, 500 * 2 ** n) * (0.75 + Math.random() * 0.5);
}

export function sleep(ms: number, signal?: AbortSignal | null): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

function isJson(contentType: string | null): boolean {
  return contentType !== null && /^application\/([\w.+-]*\+)?json\b/i.test(contentType.trim());
}

function describe(request: Request): string {
  return `${request.method} ${new URL(request.url).pathname}`;
}

/** Repeats `read` while the server cannot be reached, for up to `reconnectForMs`. */
export async function untilReachable<T>(read: () => Promise<T>, { signal, reconnectForMs }: { signal?: AbortSignal; reconnectForMs: number }): Promise<T> {
  const since = Date.now();
  for (let n = 0; ; n += 1) {
    try {
      return await read();
    } catch (error) {
      if (!(error instanceof ConnectionError) || Date.now() - since > reconnectForMs) throw error;
      await sleep(backoffMs(Math.min(n, 4)), signal);
    }
  }
}
