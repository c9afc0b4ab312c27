import { sql } from 'drizzle-orm';
import type { Db } from '../client';

export type Bucket = { key: string; capacity: number; perSecond: number };

/**
 * Takes `cost` tokens (at most `capacity`) from a token bucket in one statement. The bucket
 * refills at `perSecond` up to `capacity`; a new bucket starts full.
 *
 * The UPSERT is what makes it hold under concurrency: ON CONFLICT DO UPDATE locks the bucket's
 * row and evaluates its WHERE against the latest committed version, so two requests racing for
 * the last token are serialized and only one finds enough. A refused request changes nothing (the
 * row keeps its time, so refill is not lost). The time is read after the lock (clock_timestamp,
 * not the transaction's now()), and never goes backwards.
 *
 * Returns whether the tokens were taken and how many the bucket holds now (for a refusal, as of
 * the statement's snapshot: informative only).
 */
export async function takeTokens(db: Db, { key, capacity, perSecond, cost }: Bucket & { cost: number }) {
  const refilled = sql`least(${capacity}::float8, b.tokens + greatest(0, extract(epoch FROM clock_timestamp() - b.updated_at)::float8) * ${perSecond}::float8)`;
  const rows = await db.execute<{ allowed: boolean; tokens: number }>(sql`
    WITH taken AS (
      INSERT INTO rate_limit_buckets AS b (key, tokens, updated_at)
      VALUES (${key}, ${capacity}::float8 - ${cost}::float8, clock_timestamp())
      ON CONFLICT (key) DO UPDATE
        SET tokens = ${refilled} - ${cost}::float8,
            updated_at = greatest(b.updated_at, clock_timestamp())
        WHERE ${refilled} >= ${cost}::float8
      RETURNING b.tokens
    )
    SELECT true AS allowed, tokens FROM taken
    UNION ALL
    SELECT false AS allowed, ${refilled} AS tokens
    FROM rate_limit_buckets b
    WHERE b.key = ${key} AND NOT EXISTS (SELECT 1 FROM taken)
  `);
  // No row at all: refused on a bucket created by a concurrent request after this statement's snapshot.
  const row = rows[0] ?? { allowed: false, tokens: 0 };
  // Counted for GET /api/metrics; only a refusal pays for this statement.
  if (!row.allowed) await db.execute(sql`UPDATE rate_limit_buckets SET refused = refused + 1 WHERE key = ${key}`);
  return { allowed: row.allowed, tokens: Math.max(0, Number(row.tokens)) };
}
