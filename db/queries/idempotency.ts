import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '../client';
import { idempotencyKeys, type IdempotencyKey } from '../schema';

/**
 * Claims a key inside the transaction of the work it stands for: inserts it in flight (invisible
 * to others until that transaction commits, by when completeIdempotencyKey has stored the reply),
 * or takes over a row that has expired or was left in flight longer than `staleSeconds`. A
 * concurrent request with the same key waits here on the unique index until the first one's
 * transaction ends. No row back means the key is held: the caller reads it to replay or refuse.
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

/** The key's record unless it has expired (an expired key is a new one). */
export async function findIdempotencyKey(db: Db, { accountId, key }: { accountId: string; key: string }) {
  const [row] = await db
    .select()
    .from(idempotencyKeys)
    .where(and(eq(idempotencyKeys.accountId, accountId), eq(idempotencyKeys.key, key), sql`${idempotencyKeys.expiresAt} > now()`));
  return row;
}

/**
 * Stores the first reply for replay, in the claiming transaction (or, for a reply that changes
 * once more, such as a synchronous scrape's, after it). Only a claim under this hash may.
 */
export async function completeIdempotencyKey(
  db: Db,
  args: { accountId: string; key: string; requestHash: string; status: number; body: unknown; headers: Record<string, string>; pending?: boolean },
) {
  await db
    .update(idempotencyKeys)
    .set({ status: args.pending ? 'in_flight' : 'done', responseStatus: args.status, responseBody: args.body, responseHeaders: args.headers })
    .where(
      and(
        eq(idempotencyKeys.accountId, args.accountId),
        eq(idempotencyKeys.key, args.key),
        eq(idempotencyKeys.requestHash, args.requestHash),
      ),
    );
}

/**
 * Keeps the reply of a request that wrote nothing (a 4xx): inserted done at once, unless the key
 * is held meanwhile.
 */
export async function insertIdempotentReply(
  db: Db,
  args: { accountId: string; key: string; requestHash: string; ttlSeconds: number; status: number; body: unknown; headers: Record<string, string> },
) {
  await db
    .insert(idempotencyKeys)
    .values({
      accountId: args.accountId,
      key: args.key,
      requestHash: args.requestHash,
      status: 'done',
      responseStatus: args.status,
      responseBody: args.body,
      responseHeaders: args.headers,
      expiresAt: sql`now() + make_interval(secs => ${args.ttlSeconds})`,
    })
    .onConflictDoUpdate({
      target: [idempotencyKeys.accountId, idempotencyKeys.key],
      set: {
        requestHash: args.requestHash,
        status: 'done',
        responseStatus: args.status,
        responseBody: args.body,
        responseHeaders: args.headers,
        createdAt: sql`now()`,
        expiresAt: sql`now() + make_interval(secs => ${args.ttlSeconds})`,
      },
      setWhere: sql`${idempotencyKeys.expiresAt} <= now()`,
    });
}

/** Deletes expired keys, a batch at a time (the sweeper calls it on every pass). */
export async function purgeExpiredIdempotencyKeys(db: Db, limit = 1000): Promise<number> {
  const rows = await db.execute(sql`
    DELETE FROM idempotency_keys WHERE (account_id, key) IN (
      SELECT account_id, key FROM idempotency_keys WHERE expires_at <= now() LIMIT ${limit}
    ) RETURNING 1`);
  return rows.length;
}
