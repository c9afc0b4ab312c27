import { createHash } from 'node:crypto';
import type { Database } from '@/db/client';
import {
  claimIdempotencyKey,
  completeIdempotencyKey,
  findIdempotencyKey,
  releaseIdempotencyKey,
} from '@/db/queries/idempotency';
import type { Account } from '@/db/schema';
import { ApiError } from '@/lib/api-errors';
import { errorResponse } from '@/lib/server/api/route';

// Idempotency-Key on the POSTs that create something, with Stripe's semantics: the same key and
// request replay the first reply (status, body and headers, plus `Idempotent-Replayed: true`);
// the same key with another request is a 422; a key whose first request is still running is a
// 409; a reply of 500 or more is not kept, so the key can be tried again; keys expire after 24 h.

export const idempotencyHeader = 'Idempotency-Key';
export const idempotencyTtlSeconds = 24 * 60 * 60;
/**
 * A claim still in flight after this long belongs to a request that died (the longest request,
 * POST /api/v1/scrape, waits at most 60 s): the key may be claimed again.
 */
const staleClaimSeconds = 5 * 60;

/** Headers of the first reply that a replay repeats. */
const replayedHeaders = ['location', 'cache-control', 'content-type'];

export async function withIdempotency(
  { req, db, account }: { req: Request; db: Database; account: Pick<Account, 'id'> },
  run: () => Promise<Response>,
): Promise<Response> {
  const key = readIdempotencyKey(req);
  if (key === null) return run();
  const requestHash = await hashRequest(req);
  const ids = { accountId: account.id, key, requestHash };

  // A claim can lose to a concurrent release (the other request failed); then claim again.
  for (let attempt = 0; ; attempt += 1) {
    const claimed = await claimIdempotencyKey(db, { ...ids, ttlSeconds: idempotencyTtlSeconds, staleSeconds: staleClaimSeconds });
    if (claimed) break;
    const held = await findIdempotencyKey(db, { accountId: account.id, key });
    if (!held && attempt < 3) continue;
    if (!held || held.status === 'in_flight') {
      if (held && held.requestHash !== requestHash) throw mismatch(key);
      throw new ApiError('idempotency_in_flight', `A request with Idempotency-Key "${key}" is still being processed. Retry once it has finished.`);
    }
    if (held.requestHash !== requestHash) throw mismatch(key);
    return Response.json(held.responseBody, {
      status: held.responseStatus!,
      headers: { ...held.responseHeaders, 'Idempotent-Replayed': 'true' },
    });
  }

  let response: Response;
  try {
    response = await run();
  } catch (error) {
    response = errorResponse(error);
  }
  if (response.status >= 500) {
    await releaseIdempotencyKey(db, ids);
    return response;
  }
  const headers: Record<string, string> = {};
  for (const name of replayedHeaders) {
    const value = response.headers.get(name);
    if (value !== null) headers[name] = value;
  }
  const body: unknown = await response.clone().json();
  await completeIdempotencyKey(db, { ...ids, status: response.status, body, headers });
  return response;
}

/** The header's value, or null without one; 1 to 255 printable ASCII characters. */
function readIdempotencyKey(req: Request): string | null {
  const value = req.headers.get(idempotencyHeader);
  if (value === null) return null;
  if (!/^[\x20-\x7e]{1,255}$/.test(value) || value.trim() === '') {
    throw new ApiError('validation_error', `Invalid ${idempotencyHeader}: use 1 to 255 printable ASCII characters, such as a UUID`, {
      fields: [{ field: idempotencyHeader, message: 'must be 1 to 255 printable ASCII characters' }],
    });
  }
  return value;
}

/**
 * The request a key stands for: method, path and body. A JSON body is compared by content, so
 * the same fields sent in another order or spacing are the same request.
 */
async function hashRequest(req: Request): Promise<string> {
  const text = await req.clone().text();
  let canonical = text;
  try {
    canonical = JSON.stringify(sortKeys(JSON.parse(text)));
  } catch {
    // Not JSON: the handler answers with its 400; compare the bytes.
  }
  return createHash('sha256').update(`${req.method} ${new URL(req.url).pathname}\n${canonical}`).digest('hex');
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.keys(value)
      .sort()
      .map((k) => [k, sortKeys((value as Record<string, unknown>)[k])]),
  );
}

function mismatch(key: string): ApiError {
  return new ApiError(
    'idempotency_mismatch',
    `Idempotency-Key "${key}" was already used with a different request. Use a new key for a new request.`,
  );
}
