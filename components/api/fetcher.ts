import type { ApiErrorBody } from '@/lib/api-errors';

/** An /api/v1 failure as the dashboard sees it: the API's error shape, or status 0 when offline. */
export class ApiClientError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'ApiClientError';
  }
}

/** The failure of a request that got no answer at all. */
export function unreachableError(): ApiClientError {
  return new ApiClientError(0, 'network_error', 'Could not reach the server. Check your connection.');
}

async function request(url: string, init?: RequestInit): Promise<Response> {
  let response: Response;
  try {
    response = await fetch(url, { credentials: 'same-origin', ...init });
  } catch {
    throw unreachableError();
  }
  if (response.ok) return response;
  const body = (await response.json().catch(() => undefined)) as Partial<ApiErrorBody> | undefined;
  const error = body?.error;
  throw new ApiClientError(response.status, error?.code ?? 'http_error', error?.message ?? `Request failed (${response.status})`, error?.details);
}

/** The one fetcher of the dashboard: same-origin (the session cookie authenticates), throws ApiClientError. */
export async function apiFetch<T>(url: string, init?: RequestInit): Promise<T> {
  const response = await request(url, { ...init, headers: { accept: 'application/json', ...init?.headers } });
  return (await response.json()) as T;
}

/** The same, for a body read as text (a job's result). */
export async function apiFetchText(url: string): Promise<string> {
  return (await request(url)).text();
}

export const fetcher = <T>(url: string) => apiFetch<T>(url);

/** POSTs `body` as JSON and returns the parsed reply (errors as for apiFetch). */
export const postJson = <T>(url: string, body: unknown, headers?: Record<string, string>) =>
  apiFetch<T>(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
