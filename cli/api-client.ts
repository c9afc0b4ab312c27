import { ApiRequestError, NetworkError, UnsupportedError, type ApiErrorPayload, type CliError } from './errors';
import { cliVersion } from './version';

// The one way commands talk to the API: it adds the key, bounds the wait for an answer, and turns
// every failure into an error with an exit code: the API's error shape becomes ApiRequestError, a
// missing endpoint (404/405 without that shape) UnsupportedError, an unreachable server NetworkError.

type Query = Record<string, string | number | boolean | undefined>;

export type RequestOptions = {
  query?: Query;
  body?: unknown;
  /** What the user asked for, named in "this server does not support ... yet". */
  feature?: string;
  /** How long to wait for the response headers; a streamed body may take longer. */
  timeoutMs?: number;
};

const defaultTimeoutMs = 30_000;

export class ApiClient {
  constructor(readonly connection: { apiUrl: string; apiKey?: string }) {}

  url(path: string, query: Query = {}): string {
    const url = new URL(`${this.connection.apiUrl}${path}`);
    for (const [name, value] of Object.entries(query)) {
      if (value !== undefined && value !== '') url.searchParams.set(name, String(value));
    }
    return url.toString();
  }

  async send(method: string, path: string, options: RequestOptions = {}): Promise<Response> {
    const headers: Record<string, string> = { 'user-agent': `scrapifie-cli/${cliVersion}`, accept: 'application/json, */*' };
    if (this.connection.apiKey) headers.authorization = `Bearer ${this.connection.apiKey}`;
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(new DOMException('timed out', 'TimeoutError')), options.timeoutMs ?? defaultTimeoutMs);
    let response: Response;
    try {
      response = await fetch(this.url(path, options.query), {
        method,
        headers,
        body: options.body === undefined ? undefined : JSON.stringify(options.body),
        signal: controller.signal,
      });
    } catch (error) {
      throw new NetworkError(this.connection.apiUrl, controller.signal.aborted ? controller.signal.reason : error);
    } finally {
      clearTimeout(timer);
    }
    if (response.ok) return response;
    throw await errorFrom(response, { request: `${method} ${path}`, feature: options.feature });
  }

  async json<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
    const response = await this.send(method, path, options);
    return (await response.json()) as T;
  }

  get<T>(path: string, options?: RequestOptions): Promise<T> {
    return this.json<T>('GET', path, options);
  }

  post<T>(path: string, body?: unknown, options?: RequestOptions): Promise<T> {
    return this.json<T>('POST', path, { ...options, body: body ?? {} });
  }
}

async function errorFrom(response: Response, { request, feature }: { request: string; feature?: string }): Promise<CliError> {
  const text = await response.text().catch(() => '');
  const payload = parseErrorShape(text);
  if (payload) {
    const retryAfter = response.headers.get('retry-after');
    const error = new ApiRequestError(response.status, payload);
    if (retryAfter && !/try again/i.test(payload.message)) error.details.push(`Retry after ${retryAfter} s.`);
    return error;
  }
  // A route that does not exist answers without the API's error shape.
  if (response.status === 404 || response.status === 405) return new UnsupportedError(feature ?? request, request, response.status);
  return new ApiRequestError(response.status, {
    code: 'http_error',
    message: `${request} answered HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ''}`,
  });
}

function parseErrorShape(text: string): ApiErrorPayload | undefined {
  try {
    const error = (JSON.parse(text) as { error?: ApiErrorPayload }).error;
    return typeof error?.code === 'string' && typeof error.message === 'string' ? error : undefined;
  } catch {
    return undefined;
  }
}
