import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '../client';
import { idempotencyKeys, type IdempotencyKey } from '../schema';

/**
 * Claims a key for a request about to run: inserts it in flight, or takes over a row that has
 * expired or was left in flight longer than `staleSeconds` (its request died mid-way). No row
 * back means the key is held: the caller reads it to replay or refuse.
 */
export async function claimIdempotencyKey(
  db: Db,
  args: { accountId: string; key: string; requestHash: string; ttlSeconds: number; staleSeconds: number },
): Promise<IdempotencyKey | undefined> {
  const expiresAt = sql`now() + make_interval(secs => ${args.ttlSeconds})`;
  const [row] = await db
    .insert(idempotencyKeys)
    .values({ accountId: args.accountId, key: args.key, requestHash: args.requestHash, status: 'in_flight', expiresAt })
    .onConflictDoUpdate({
      target: [idempotencyKeys.accountId, idempotencyKeys.key],
      set: {
        requestHash: args.requestHash,
        status: 'in_flight',
        responseStatus: null,
        responseBody: null,
        responseHeaders: null,
        createdAt: sql`now()`,
        expiresAt,
      },
      setWhere: sql`${idempotencyKeys.expiresAt} <= now()
        OR (${idempotencyKeys.status} = 'in_flight' AND ${idempotencyKeys.createdAt} < now() - make_interval(secs => ${args.staleSeconds}))`,
    })
    .returning();
  return row;
}

export async function findIdempotencyKey(db: Db, { accountId, key }: { accountId: string; key: string }) {
  const [row] = await db
    .select()
    .from(idempotencyKeys)
    .where(and(eq(idempotencyKeys.accountId, accountId), eq(idempotencyKeys.key, key)));
  return row;
}

/** Stores the first reply for replay. Only the claim that is still in flight under this hash may. */
export async function completeIdempotencyKey(
  db: Db,
  args: { accountId: string; key: string; requestHash: string; status: number; body: unknown; headers: Record<string, string> },
) {
  await db
    .update(idempotencyKeys)
    .set({ status: 'done', responseStatus: args.status, responseBody: args.body, responseHeaders: args.headers })
    .where(
      and(
        eq(idempotencyKeys.accountId, args.accountId),
        eq(idempotencyKeys.key, args.key),
        eq(idempotencyKeys.requestHash, args.requestHash),
        eq(idempotencyKeys.status, 'in_flight'),
      ),
    );
}

/** Releases a claim whose request failed on our side, so the same key can be tried again. */
export async function releaseIdempotencyKey(db: Db, { accountId, key, requestHash }: { accountId: string; key: string; requestHash: string }) {
  await db
    .delete(idempotencyKeys)
    .where(
      and(
        eq(idempotencyKeys.accountId, accountId),
        eq(idempotencyKeys.key, key),
        eq(idempotencyKeys.requestHash, requestHash),
        eq(idempotencyKeys.status, 'in_flight'),
      ),
    );
}

/** Deletes expired keys, a batch at a time (the sweeper calls it on every pass). */
export async function purgeExpiredIdempotencyKeys(db: Db, limit = 1000): Promise<number> {
  const rows = await db.execute(sql`
    DELETE FROM idempotency_keys WHERE (account_id, key) IN (
      SELECT account_id, key FROM idempotency_keys WHERE expires_at <= now() LIMIT ${limit}
    ) RETURNING 1`);
  return rows.length;
}
