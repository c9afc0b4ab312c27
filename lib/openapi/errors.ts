import type { ZodOpenApiResponsesObject } from 'zod-openapi';
import { accountSuspendedMessage, errorStatuses, validationError, type ApiErrorCode } from '@/lib/api-errors';
import { createJobBodySchema } from '@/lib/schemas/jobs';
import { errorSchemaFor } from './error-schemas';
import { rateLimitHeaders, retryAfterHeader } from './operations';

// The error half of every operation: one shape, each code documented with the status it maps to
// and an example of the reply.

export const errorCodeDescriptions: Record<ApiErrorCode, string> = {
  validation_error: 'A body, query or path value is invalid. `details.fields` lists every invalid field with its message.',
  unauthorized: 'The API key is missing, malformed, unknown or revoked.',
  insufficient_credits: "The account's available credits do not cover the job's price. `details` gives `required`, `available` and `balance`.",
  forbidden: "Another account's job, or an action an API key may not take (such as creating keys).",
  account_suspended: 'The account is suspended: API requests are refused until support restores it.',
  not_found: 'No such job or key, or the job has no result (yet, or any more); also any path under /api/v1 that does not exist.',
  method_not_allowed: 'The path exists but not with this method; `Allow` lists the methods it has.',
  conflict: "The action is not allowed in the job's current state (`details.status` names it), or no active key is left.",
  idempotency_in_flight: 'A request with the same `Idempotency-Key` is still being processed; retry once it has finished.',
  idempotency_mismatch: 'The `Idempotency-Key` was already used with a different request (method, path or body) in the last 24 hours.',
  gone: 'The job was deleted by its owner (`details.deletedAt` says when), or retention removed the result or screenshot asked for.',
  payload_too_large: 'The request body is larger than 2 MB.',
  unsupported_media_type: 'The request body has a content type the endpoint does not accept.',
  rate_limited:
    'Too many requests of this kind: job creation per API key, expensive reads (list, counts, export, stats, storage) per ' +
    'account, or exports per hour. `Retry-After` gives the seconds to wait; `X-RateLimit-*` describe the limit.',
  request_too_large: 'The URL (its query string) is longer than the server accepts.',
  internal_error: 'Something failed on our side. The reply carries a generic message; details are only in the server log.',
  database_unavailable:
    'The database is down or restarting. Nothing was done unless an `Idempotency-Key` replay says otherwise; retry after `Retry-After` seconds.',
};

const errorExamples: Record<ApiErrorCode, { message: string; details?: unknown }> = {
  validation_error: submissionValidationError(),
  unauthorized: { message: 'Invalid API key.' },
  insufficient_credits: { message: 'Insufficient credits. You need 5 credits but have 2.', details: { required: 5, available: 2, balance: 2 } },
  forbidden: { message: 'You do not have permission to access this job' },
  account_suspended: { message: accountSuspendedMessage },
  not_found: { message: 'No job with id 3f0c1c8e-5b7a-4a57-9a47-1c2d3e4f5a6b' },
  method_not_allowed: { message: 'PUT is not allowed on /api/v1/jobs. Allowed: GET, POST.', details: { allow: ['GET', 'POST'] } },
  conflict: { message: 'Job is already completed and cannot be cancelled', details: { status: 'completed' } },
  idempotency_in_flight: { message: 'A request with Idempotency-Key "order-1234" is still being processed. Retry once it has finished.' },
  idempotency_mismatch: {
    message: 'Idempotency-Key "order-1234" was already used with a different request. Use a new key for a new request.',
  },
  gone: { message: 'This job was deleted.', details: { deletedAt: '2026-03-02T08:00:00.000Z' } },
  payload_too_large: { message: 'Request body is larger than 2 MB' },
  unsupported_media_type: { message: 'Content-Type must be application/json' },
  rate_limited: {
    message: 'Rate limit reached: job creation is limited to 20 per second (bursts of 100) per API key. Try again in 1 second.',
    details: { retryAfterSeconds: 1, limit: 100 },
  },
  request_too_large: { message: 'The URL is longer than 8192 characters.' },
  internal_error: { message: 'Something went wrong on our side. Please try again.' },
  database_unavailable: { message: 'The database is not available right now. Please retry in a few seconds.' },
};

/** What a bad submission really gets back, so the example cannot drift from the API. */
function submissionValidationError(): { message: string; details?: unknown } {
  const parsed = createJobBodySchema.safeParse({ url: 'ftp://example.com/file', timeoutMs: 500_000 });
  if (parsed.success) throw new Error('the validation example must be invalid');
  const { message, details } = validationError(parsed.error, 'body');
  return { message, details };
}

export function errorExample(code: ApiErrorCode) {
  const { message, details } = errorExamples[code];
  return { error: { code, message, ...(details === undefined ? {} : { details }) } };
}

/** The errors of a submission (POST /api/v1/jobs, /api/v1/scrape, /api/v1/batches). */
export const submissionErrorCodes: ApiErrorCode[] = [
  'validation_error',
  'insufficient_credits',
  'forbidden',
  'conflict',
  'idempotency_in_flight',
  'payload_too_large',
  'idempotency_mismatch',
  'rate_limited',
];

/** Errors every authenticated operation can answer with. */
const authErrors: ApiErrorCode[] = ['unauthorized', 'account_suspended', 'internal_error', 'database_unavailable'];

/**
 * The error responses of an operation: its own codes plus the ones every authenticated request
 * can meet, grouped by HTTP status, each code with its example.
 */
export function errorResponses(codes: ApiErrorCode[], { authenticated = true } = {}): ZodOpenApiResponsesObject {
  const all = [...new Set([...codes, ...(authenticated ? authErrors : (['internal_error', 'database_unavailable'] as const))])];
  const byStatus = new Map<number, ApiErrorCode[]>();
  for (const code of all) byStatus.set(errorStatuses[code], [...(byStatus.get(errorStatuses[code]) ?? []), code]);
  const responses: ZodOpenApiResponsesObject = {};
  for (const [status, statusCodes] of [...byStatus].sort(([a], [b]) => a - b)) {
    responses[`${status}` as `4${string}`] = {
      description: statusCodes.map((code) => `\`${code}\`: ${errorCodeDescriptions[code]}`).join('\n\n'),
      ...(statusCodes.includes('rate_limited')
        ? {
            headers: {
              'Retry-After': retryAfterHeader,
              ...rateLimitHeaders,
            },
          }
        : {}),
      content: {
        'application/json': {
          schema: errorSchemaFor(statusCodes),
          examples: Object.fromEntries(statusCodes.map((code) => [code, { value: errorExample(code) }])),
        },
      },
    };
  }
  return responses;
}
