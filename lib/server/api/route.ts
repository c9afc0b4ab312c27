import type { z } from 'zod';
import { getDb, type Database } from '@/db/client';
import { authenticateKeyHash, getAccount } from '@/db/queries/accounts';
import type { Account, ApiKey } from '@/db/schema';
import { ApiError, accountSuspendedMessage, validationError } from '@/lib/api-errors';
import { findUnstorableText, maxJsonDepth, nestsDeeperThan, unstorableTextMessage } from '@/lib/schemas/strings';
import { addLogContext } from '@/lib/log';
import { hashApiKey, looksLikeApiKey } from '@/lib/server/api-keys';
import { rateLimitedError, rateLimitHeaders, takeRateLimit, type RateLimitDecision, type RateLimitName } from '@/lib/server/rate-limit';
import { internalErrorResponse, withRequestLog, withResponseHeaders } from '@/lib/server/request-log';
import { getSessionAccountId } from '@/lib/server/session';

export type ApiContext<P> = {
  req: Request;
  params: P;
  db: Database;
  account: Account;
  /** The key that authenticated the request; null for a dashboard session. */
  apiKey: ApiKey | null;
};

type RouteContext<P> = { params: Promise<P> };

export type ApiRouteOptions = {
  /** The rate limit this route takes a token from, after authentication (lib/server/rate-limit.ts). */
  rateLimit?: RateLimitName;
  /** Tokens the request takes (default 1), such as one per URL of a batch; read from a clone of the request. */
  rateLimitCost?: (req: Request) => Promise<number>;
};

/**
 * The one wrapper every /api/v1 route goes through: it logs the request under its request id,
 * authenticates (API key or dashboard session), takes the route's rate limit (429 past it; the
 * X-RateLimit-* headers on every reply), awaits params, and turns every thrown error into the
 * one error shape.
 */
export function withApiAuth<P = Record<string, never>>(handler: (ctx: ApiContext<P>) => Promise<Response>, options: ApiRouteOptions = {}) {
  return withRequestLog(async (req: Request, context: RouteContext<P>): Promise<Response> => {
    let limit: RateLimitDecision | null = null;
    const withLimitHeaders = (response: Response) => (limit ? withResponseHeaders(response, rateLimitHeaders(limit)) : response);
    try {
      const db = getDb();
      const { account, apiKey } = await authenticate(db, req);
      addLogContext({ accountId: account.id, ...(apiKey ? { apiKeyId: apiKey.id } : {}) });
      if (options.rateLimit) {
        const cost = options.rateLimitCost ? await options.rateLimitCost(req.clone()) : 1;
        limit = await takeRateLimit(db, { name: options.rateLimit, account, apiKey, cost });
        if (limit && !limit.allowed) throw rateLimitedError(options.rateLimit, limit);
      }
      const params = (await context?.params) ?? ({} as P);
      return withLimitHeaders(await handler({ req, params, db, account, apiKey }));
    } catch (error) {
      return withLimitHeaders(errorResponse(error));
    }
  });
}

const readOnlyMethods = new Set(['GET', 'HEAD', 'OPTIONS']);

async function authenticate(db: Database, req: Request): Promise<{ account: Account; apiKey: ApiKey | null }> {
  const header = req.headers.get('authorization');
  if (header) {
    const match = /^Bearer\s+(\S+)$/i.exec(header.trim());
    if (!match || !looksLikeApiKey(match[1])) {
      throw new ApiError('unauthorized', 'Invalid API key. Send "Authorization: Bearer sk_live_..." with a key from the dashboard.');
    }
    const found = await authenticateKeyHash(db, hashApiKey(match[1]));
    if (!found || found.account.deletedAt) throw new ApiError('unauthorized', 'Invalid API key.');
    if (found.key.revokedAt) throw new ApiError('unauthorized', 'This API key has been revoked. Create a new key in the dashboard.');
    if (found.account.suspendedAt) throw new ApiError('account_suspended', accountSuspendedMessage);
    return { account: found.account, apiKey: found.key };
  }
  const accountId = await getSessionAccountId(req);
  const account = accountId ? await getAccount(db, accountId) : undefined;
  if (!account || account.deletedAt) {
    throw new ApiError('unauthorized', 'Missing API key. Send "Authorization: Bearer <your API key>".');
  }
  // A suspended account still sees its dashboard (read-only); it changes nothing.
  if (account.suspendedAt && !readOnlyMethods.has(req.method)) throw new ApiError('account_suspended', accountSuspendedMessage);
  return { account, apiKey: null };
}

export function errorResponse(error: unknown): Response {
  if (error instanceof ApiError) return Response.json(error.toBody(), { status: error.status, headers: error.headers });
  return internalErrorResponse(error);
}

export const maxJsonBodyBytes = 2 * 1024 * 1024;

/**
 * Reads and validates a JSON body: 415 for a body that is not declared JSON, 413 past the size
 * limit, 400 naming every bad field (text Postgres cannot store included).
 */
export async function parseJsonBody<S extends z.ZodType>(req: Request, schema: S): Promise<z.infer<S>> {
  const declared = Number(req.headers.get('content-length') ?? 0);
  if (declared > maxJsonBodyBytes) throw tooLarge();
  const text = await req.text();
  if (Buffer.byteLength(text) > maxJsonBodyBytes) throw tooLarge();
  // An empty body is an empty object whatever its type: a POST that takes only optional fields.
  if (text.trim() !== '' && !isJsonContentType(req.headers.get('content-type'))) {
    throw new ApiError('unsupported_media_type', 'Content-Type must be application/json', {
      contentType: req.headers.get('content-type'),
    });
  }
  let json: unknown;
  try {
    json = text.trim() === '' ? {} : JSON.parse(text);
  } catch {
    throw new ApiError('validation_error', 'Request body is not valid JSON', { fields: [{ field: 'body', message: 'invalid JSON' }] });
  }
  if (nestsDeeperThan(json)) {
    throw new ApiError('validation_error', `Request body nests deeper than ${maxJsonDepth} levels`, {
      fields: [{ field: 'body', message: `nests deeper than ${maxJsonDepth} levels` }],
    });
  }
  refuseUnstorableText(json, 'body');
  const parsed = schema.safeParse(json);
  if (!parsed.success) throw validationError(parsed.error, 'body');
  return parsed.data;
}

/** application/json, or a +json type, with any parameters (charset). */
function isJsonContentType(value: string | null): boolean {
  if (!value) return false;
  const type = value.split(';')[0].trim().toLowerCase();
  return type === 'application/json' || /^application\/[a-z0-9.+-]+\+json$/.test(type);
}

function tooLarge(): ApiError {
  return new ApiError('payload_too_large', `Request body is larger than ${maxJsonBodyBytes / 1024 / 1024} MB`);
}

export function parseQuery<S extends z.ZodType>(req: Request, schema: S): z.infer<S> {
  const params = Object.fromEntries(new URL(req.url).searchParams);
  refuseUnstorableText(params, 'query');
  const parsed = schema.safeParse(params);
  if (!parsed.success) throw validationError(parsed.error, 'query');
  return parsed.data;
}

/** 400 naming each field that holds a NUL or a lone surrogate (Postgres would refuse the statement). */
export function refuseUnstorableText(value: unknown, source: 'body' | 'query' | 'path'): void {
  const fields = findUnstorableText(value).map((field) => ({ field: field === 'body' ? source : field, message: unstorableTextMessage }));
  if (fields.length === 0) return;
  throw new ApiError('validation_error', `Invalid ${source}: ${fields.map((f) => `${f.field}: ${f.message}`).join('; ')}`, { fields });
}
