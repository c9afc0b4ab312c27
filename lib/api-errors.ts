import type { ZodError } from 'zod';

// One error shape for every API reply: { "error": { "code", "message", "details"? } },
// with a single table from code to HTTP status.

export const errorStatuses = {
  validation_error: 400,
  unauthorized: 401,
  insufficient_credits: 402,
  forbidden: 403,
  account_suspended: 403,
  not_found: 404,
  method_not_allowed: 405,
  conflict: 409,
  idempotency_in_flight: 409,
  gone: 410,
  payload_too_large: 413,
  unsupported_media_type: 415,
  idempotency_mismatch: 422,
  rate_limited: 429,
  request_too_large: 431,
  internal_error: 500,
  database_unavailable: 503,
} as const;

export type ApiErrorCode = keyof typeof errorStatuses;

/** Spec section 7: a suspended account's API requests (and dashboard actions) are refused with this. */
export const accountSuspendedMessage = 'This account is suspended. Contact support to restore access.';

export type ApiErrorBody = { error: { code: ApiErrorCode; message: string; details?: unknown } };

export class ApiError extends Error {
  constructor(
    readonly code: ApiErrorCode,
    message: string,
    readonly details?: unknown,
    /** Extra response headers, such as Retry-After on a 429. */
    readonly headers?: Record<string, string>,
  ) {
    super(message);
  }

  get status(): number {
    return errorStatuses[this.code];
  }

  toBody(): ApiErrorBody {
    return { error: { code: this.code, message: this.message, ...(this.details === undefined ? {} : { details: this.details }) } };
  }
}

/** Every issue of a ZodError, each naming its field, becomes one 400. */
export function validationError(error: ZodError, source: 'body' | 'query' | 'path' = 'body'): ApiError {
  const fields = error.issues.map((issue) => ({
    field: issue.path.length ? issue.path.join('.') : source,
    message: issue.message,
  }));
  const summary = fields.map((f) => `${f.field}: ${f.message}`).join('; ');
  return new ApiError('validation_error', `Invalid ${source}: ${summary}`, { fields });
}
