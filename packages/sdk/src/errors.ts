// What a call can fail with. Every failure is a ScrapifieError; `instanceof` tells them apart.

export class ScrapifieError extends Error {
  override name = 'ScrapifieError';
}

/** The error details each code sends (see the API document's `*ErrorDetails` schemas). */
export type ApiErrorDetails = {
  fields?: { field: string; message: string }[];
  status?: string;
  required?: number;
  available?: number;
  balance?: number;
  retryAfterSeconds?: number;
  limit?: number;
  deletedAt?: string;
  [key: string]: unknown;
};

/** The API answered with its error shape: `{"error": {"code", "message", "details"?}}`. */
export class ApiError extends ScrapifieError {
  override name = 'ApiError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: ApiErrorDetails | undefined,
    /** The reply's X-Request-Id: quote it when reporting a problem. */
    readonly requestId: string | null,
    /** Seconds from Retry-After, on a 429 (or 503). */
    readonly retryAfterSeconds: number | null,
  ) {
    super(message);
  }
}

/**
 * What answered is not the Scrapifie API, or not this version of it: a reply without the API's
 * shape (an HTML page, a non-JSON body, a 404 of a path the server does not have).
 */
export class UnexpectedResponseError extends ScrapifieError {
  override name = 'UnexpectedResponseError';
  constructor(
    readonly baseUrl: string,
    /** `GET /api/v1/jobs` */
    readonly request: string,
    readonly status: number,
    readonly contentType: string | null,
  ) {
    super(
      `The server at ${baseUrl} did not answer like a Scrapifie server: ${request} answered ${status}` +
        `${contentType ? ` with ${contentType.split(';')[0]}` : ' without a body type'}.`,
    );
  }

  /** A 404 or 405 without the API's error shape: the server has no such endpoint (an older server, or not Scrapifie). */
  get endpointMissing(): boolean {
    return this.status === 404 || this.status === 405 || this.status === 501;
  }
}

/** The server could not be reached, or did not answer in time. */
export class ConnectionError extends ScrapifieError {
  override name = 'ConnectionError';
  constructor(
    readonly baseUrl: string,
    /** ECONNREFUSED, ENOTFOUND, `timeout`, ... */
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(`Cannot reach the Scrapifie API at ${baseUrl}: ${reason}`, options);
  }
}

/** waitForJob's timeout passed before the job finished. */
export class WaitTimeoutError extends ScrapifieError {
  override name = 'WaitTimeoutError';
}

/** A webhook's signature did not verify (constructWebhookEvent). */
export class WebhookSignatureError extends ScrapifieError {
  override name = 'WebhookSignatureError';
}

export function connectionReason(error: unknown): string {
  if (error instanceof Error) {
    if (error.name === 'TimeoutError') return 'the request timed out';
    const cause = (error as Error & { cause?: { code?: string; message?: string } }).cause;
    if (cause?.code) return cause.code;
    if (cause?.message) return cause.message;
    return error.message;
  }
  return String(error);
}
