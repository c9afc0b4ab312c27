import { createHash } from 'node:crypto';
import type { Database, Db, Transaction } from '@/db/client';
import { claimIdempotencyKey, completeIdempotencyKey, findIdempotencyKey, insertIdempotentReply } from '@/db/queries/idempotency';
import type { Account, IdempotencyKey } from '@/db/schema';
import { ApiError } from '@/lib/api-errors';
import { errorResponse } from '@/lib/server/api/route';

// Idempotency-Key on the POSTs that create something, with Stripe's semantics: the same key and
// request replay the first reply (status, body and headers, plus `Idempotent-Replayed: true`);
// the same key with another request is a 422; keys expire after 24 h.
//
// "Once, whatever fails": the key is claimed and its reply stored inside the transaction that
// creates the job (batch, retry), so the two commit together or not at all. A request whose work
// committed replays it, even when its first reply never reached the client or was a 5xx (the
// connection dropped after the commit); a request whose work did not commit left no trace, and
// its retry runs afresh. A second request with the key waits on the first one's transaction and
// then replays it. A reply that wrote nothing (a 4xx) is kept too; a 5xx that wrote nothing is not.

export const idempotencyHeader = 'Idempotency-Key';
export const idempotencyTtlSeconds = 24 * 60 * 60;
/** A record left in flight this long (by a request that died before this code) may be claimed again. */
const staleClaimSeconds = 5 * 60;
/** The longest a request runs after its work committed: a scrape waits at most 60 s. */
const longestWaitSeconds = 90;

/** Headers of the first reply that a replay repeats. */
const replayedHeaders = ['location', 'cache-control', 'content-type'];

/**
 * A reply to keep. `pending`: the request goes on after its work committed (a synchronous scrape
 * waiting for its job): the reply is kept in flight, so a repeat gets 409 while the first request
 * may still answer, and this reply once it cannot (it died, or its database went away).
 */
export type IdempotentReply = { status: number; body: unknown; headers: Record<string, string>; pending?: boolean };

/**
 * A keyed request's hold on its key, for the transaction that does its work: `take` first (it
 * throws, rolling the transaction back, when the key turns out to be used), `keep` the reply last.
 */
export type IdempotencyClaim = {
  take(tx: Transaction): Promise<void>;
  keep(tx: Db, reply: IdempotentReply): Promise<void>;
};

/** The key was claimed by another request that committed first: replay it. */
class KeyHeld extends Error {}

export async function withIdempotency(
  { req, db, account }: { req: Request; db: Database; account: Pick<Account, 'id'> },
  run: (claim: IdempotencyClaim | null) => Promise<Response>,
): Promise<Response> {
  const key = readIdempotencyKey(req);
  if (key === null) return run(null);
  const requestHash = await hashRequest(req);
  const ids = { accountId: account.id, key, requestHash };

  const held = await findIdempotencyKey(db, { accountId: account.id, key });
  if (held) return replay(held, ids);

  let kept = false;
  const claim: IdempotencyClaim = {
    async take(tx) {
      const claimed = await claimIdempotencyKey(tx, { ...ids, ttlSeconds: idempotencyTtlSeconds, staleSeconds: staleClaimSeconds });
      if (!claimed) throw new KeyHeld();
    },
    async keep(tx, reply) {
      await completeIdempotencyKey(tx, { ...ids, status: reply.status, body: reply.body, headers: pickReplayed(reply.headers), pending: reply.pending });
      kept = true;
    },
  };

  let response: Response;
  try {
    response = await run(claim);
  } catch (error) {
    if (error instanceof KeyHeld) {
      const winner = await findIdempotencyKey(db, { accountId: account.id, key });
      if (winner) return replay(winner, ids);
    }
    response = errorResponse(error);
  }
  // Kept in the work's transaction already, or nothing was written and a 5xx leaves the key free.
  if (kept || response.status >= 500) return response;
  const body: unknown = await response.clone().json();
  const headers: Record<string, string> = {};
  response.headers.forEach((value, name) => (headers[name] = value));
  await insertIdempotentReply(db, { ...ids, ttlSeconds: idempotencyTtlSeconds, status: response.status, body, headers: pickReplayed(headers) });
  return response;
}

/** A reply as a Response, with the headers a replay repeats. */
export function replyResponse(reply: IdempotentReply): Response {
  return Response.json(reply.body, { status: reply.status, headers: reply.headers });
}

function replay(held: IdempotencyKey, { key, requestHash }: { key: string; requestHash: string }): Response {
  if (held.requestHash !== requestHash) throw mismatch(key);
  const inFlightFor = (Date.now() - held.createdAt.getTime()) / 1000;
  if (held.status === 'in_flight' && (held.responseStatus === null || inFlightFor < longestWaitSeconds)) {
    throw new ApiError('idempotency_in_flight', `A request with Idempotency-Key "${key}" is still being processed. Retry once it has finished.`);
  }
  return Response.json(held.responseBody, {
    status: held.responseStatus!,
    headers: { ...held.responseHeaders, 'Idempotent-Replayed': 'true' },
  });
}

function pickReplayed(headers: Record<string, string>): Record<string, string> {
  const picked: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (replayedHeaders.includes(name.toLowerCase())) picked[name.toLowerCase()] = value;
  }
  return picked;
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
