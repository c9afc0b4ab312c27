import { z } from 'zod';
import type { ZodOpenApiMediaTypeObject, ZodOpenApiResponseObject } from 'zod-openapi';
import { jobIdSchema } from '@/lib/schemas/jobs';

// Small builders the path modules share, so each operation reads as its route does.

type Examples = Record<string, unknown>;

/** A JSON response or request content with named examples. */
export function json(schema: z.ZodType, examples: Examples = {}): { 'application/json': ZodOpenApiMediaTypeObject } {
  const named = Object.entries(examples);
  return {
    'application/json': {
      schema,
      ...(named.length ? { examples: Object.fromEntries(named.map(([name, value]) => [name, { value }])) } : {}),
    },
  };
}

export function jsonResponse(description: string, schema: z.ZodType, examples?: Examples): ZodOpenApiResponseObject {
  return { description, content: json(schema, examples) };
}


export const jobPathParams = z.object({
  id: jobIdSchema.meta({ description: 'The job id (a UUID).', example: '3f0c1c8e-5b7a-4a57-9a47-1c2d3e4f5a6b' }),
});

export const keyPathParams = z.object({
  id: z.uuid().meta({ description: 'The API key id (a UUID).', example: '9b2f7d0e-1a4c-4e8b-8f6d-2c3b4a5d6e7f' }),
});

/**
 * The headers of a rate-limited operation's replies (lib/server/rate-limit.ts); not sent when the
 * limit is turned off, nor on the export's own per-hour limit.
 */
export const rateLimitHeaders = {
  'X-RateLimit-Limit': { description: 'The bucket size: the most requests that can be made at once.', schema: { type: 'integer' as const } },
  'X-RateLimit-Remaining': { description: 'Requests (tokens) left in the bucket after this one.', schema: { type: 'integer' as const } },
  'X-RateLimit-Reset': { description: 'Seconds until the bucket is full again.', schema: { type: 'integer' as const } },
};

export const retryAfterHeader = {
  description: 'Seconds until the limit allows another request (whole seconds, at least 1).',
  schema: { type: 'integer' as const, minimum: 1 },
};

/**
 * Headers the document declares once, under components.headers, and refers to from each reply
 * that carries them (document-finish.ts swaps each inline copy for its reference).
 */
export const sharedHeaders = {
  'X-Request-Id': {
    description:
      'The id of this request: yours if you sent a sane `X-Request-Id` (1-128 of `A-Z a-z 0-9 . _ : -`), else a generated one. ' +
      "Quote it when you report a problem: it finds the server's log lines.",
    schema: { type: 'string' as const, maxLength: 128 },
  },
  'Idempotent-Replayed': {
    description: '`true` when this reply is the stored reply of an earlier request with the same `Idempotency-Key`, replayed instead of acting again.',
    schema: { type: 'string' as const, enum: ['true'] },
  },
  'Retry-After': retryAfterHeader,
  ...rateLimitHeaders,
  Location: { description: 'The path of the created resource.', schema: { type: 'string' as const } },
};

/** A required JSON request body with named examples. */
export function jsonBody(schema: z.ZodType, examples?: Examples) {
  return { required: true, content: json(schema, examples) };
}

export const locationHeader = { Location: sharedHeaders.Location };

/**
 * A reply that carries a resource and its `Location` (a created job, batch, key or endpoint; a
 * scrape's job), with the rate limit's headers when the operation is rate-limited (submissions
 * are; keys and endpoints are not).
 */
export function locationResponse(
  description: string,
  schema: z.ZodType,
  examples?: Examples,
  { rateLimited = true }: { rateLimited?: boolean } = {},
): ZodOpenApiResponseObject {
  return { description, headers: rateLimited ? { ...locationHeader, ...rateLimitHeaders } : locationHeader, content: json(schema, examples) };
}

/** The Idempotency-Key header every creating POST accepts. */
export const idempotencyHeaders = z.object({
  'Idempotency-Key': z
    .string()
    .min(1)
    .max(255)
    .optional()
    .meta({
      description:
        'Makes a retried request safe: the same key with the same request within 24 hours replays the first reply (with ' +
        '`Idempotent-Replayed: true`) instead of acting twice. The same key with a different request is a 422; while the first ' +
        'request still runs, a 409. Replies of 500 and above are not kept. 1 to 255 printable ASCII characters, such as a UUID.',
      example: '5f2b7c1e-8d4a-4c3e-9b1f-2a6d7e8f9c0b',
    }),
});

/** The request header and the responses of a reply that can be polled conditionally (lib/server/jobs/version.ts). */
export const conditionalPoll = {
  header: z.object({
    'If-None-Match': z.string().optional().meta({ description: 'The `ETag` of the reply you have: while nothing changed the answer is a 304 with no body.' }),
  }),
  etag: { ETag: { description: 'Send it back in `If-None-Match` on the next poll.', schema: { type: 'string' as const } } },
  notModified: { '304': { description: 'Nothing changed since the reply whose `ETag` was sent in `If-None-Match`; no body.' } },
};
