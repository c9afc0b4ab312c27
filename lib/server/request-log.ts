import { randomUUID } from 'node:crypto';
import { databaseRetryAfterSeconds, isDatabaseUnavailable } from '@/lib/database-errors';
import { log, withLogContext } from '@/lib/log';

// The access log of the web app: every /api request gets a request id (the caller's
// `X-Request-Id` when it is a sane token, else a new UUID), answered in `X-Request-Id` and carried
// by every line logged while the request runs. One line per request: method, path (never the
// query string, which may hold anything), status, and the time to the response headers.

const saneRequestId = /^[A-Za-z0-9._:-]{1,128}$/;

export function requestIdFrom(header: string | null): string {
  return header && saneRequestId.test(header) ? header : randomUUID();
}

/** Sets headers on a response, copying it first when its headers are immutable. */
export function withResponseHeaders(response: Response, headers: Record<string, string>): Response {
  try {
    for (const [name, value] of Object.entries(headers)) response.headers.set(name, value);
    return response;
  } catch {
    const copy = new Response(response.body, { status: response.status, statusText: response.statusText, headers: response.headers });
    for (const [name, value] of Object.entries(headers)) copy.headers.set(name, value);
    return copy;
  }
}

/**
 * The 500 every unexpected error becomes: a generic message; the error itself only in the log.
 * An error that says the database is away (down, restarting, out of connections, past our
 * timeouts) is a 503 with Retry-After instead: nothing is wrong with the request.
 */
export function internalErrorResponse(error: unknown): Response {
  if (isDatabaseUnavailable(error)) {
    log.warn('database unavailable', { err: error });
    return Response.json(
      { error: { code: 'database_unavailable', message: 'The database is not available right now. Please retry in a few seconds.' } },
      { status: 503, headers: { 'Retry-After': String(databaseRetryAfterSeconds) } },
    );
  }
  log.error('unhandled error', { err: error });
  return Response.json(
    { error: { code: 'internal_error', message: 'Something went wrong on our side. Please try again.' } },
    { status: 500 },
  );
}

export function withRequestLog<R extends Request, C>(handler: (req: R, context: C) => Promise<Response> | Response) {
  return async (req: R, context?: C): Promise<Response> => {
    const requestId = requestIdFrom(req.headers.get('x-request-id'));
    const started = performance.now();
    return withLogContext({ requestId }, async () => {
      let response: Response;
      try {
        response = await handler(req, context as C);
      } catch (error) {
        response = internalErrorResponse(error);
      }
      log.info('request', {
        method: req.method,
        path: new URL(req.url).pathname,
        status: response.status,
        durationMs: Math.round(performance.now() - started),
      });
      return withResponseHeaders(response, { 'X-Request-Id': requestId });
    });
  };
}
