import { desc, eq, sql } from 'drizzle-orm';
import type { Db } from '../client';
import { purgeRuns, type PurgeRun } from '../schema';

// The retention purge (spec section 11) in two steps: marking (data becomes unavailable to readers
// at once) and deleting the bytes in small batches, so no statement holds many rows for long.

const count = (rows: { n: unknown }[]) => Number(rows[0]?.n ?? 0);

/** Marks results or screenshots stored more than `days` ago as purged. Returns how many. */
export async function markExpiredResults(db: Db, { kind, days }: { kind: 'content' | 'screenshot' | 'extracted'; days: number }) {
  return count(
    await db.execute<{ n: number }>(sql`
      WITH marked AS (
        UPDATE job_results SET purged_at = now()
        WHERE kind = ${kind} AND purged_at IS NULL AND created_at < now() - make_interval(days => ${days})
        RETURNING 1
      )
      SELECT count(*) AS n FROM marked`),
  );
}

/** Marks the logs of finished jobs created more than `days` ago as purged. Returns how many jobs. */
export async function markExpiredLogs(db: Db, { days }: { days: number }) {
  return count(
    await db.execute<{ n: number }>(sql`
      WITH marked AS (
        UPDATE jobs SET logs_purged_at = now()
        WHERE logs_purged_at IS NULL AND created_at < now() - make_interval(days => ${days})
          AND status IN ('completed', 'failed', 'cancelled', 'expired')
        RETURNING 1
      )
      SELECT count(*) AS n FROM marked`),
  );
}

export type BytesPurged = { rows: number; bytes: number };

/**
 * Deletes the bytes of up to `limit` marked results and screenshots (the row and its size stay).
 * SKIP LOCKED lets two purges share the work without counting a row twice.
 */
export async function deleteMarkedResults(db: Db, { limit }: { limit: number }): Promise<Record<'content' | 'screenshot', BytesPurged>> {
  const rows = await db.execute<{ kind: 'content' | 'screenshot'; n: number; bytes: number }>(sql`
    WITH batch AS (
      SELECT job_id, kind, octet_length(content) AS bytes FROM job_results
      WHERE purged_at IS NOT NULL AND content IS NOT NULL
      LIMIT ${limit} FOR UPDATE SKIP LOCKED
    ), cleared AS (
      UPDATE job_results r SET content = NULL FROM batch b
      WHERE r.job_id = b.job_id AND r.kind = b.kind
      -- The extracted document is part of the result: counted with it.
      RETURNING CASE WHEN b.kind = 'screenshot' THEN 'screenshot' ELSE 'content' END AS kind, b.bytes
    )
    SELECT kind, count(*) AS n, coalesce(sum(bytes), 0) AS bytes FROM cleared GROUP BY kind`);
  const of = (kind: 'content' | 'screenshot') => {
    const row = rows.find((r) => r.kind === kind);
    return { rows: Number(row?.n ?? 0), bytes: Number(row?.bytes ?? 0) };
  };
  return { content: of('content'), screenshot: of('screenshot') };
}

/** Deletes the log entries of up to `jobs` jobs whose logs are marked purged, and notes them done. */
export async function deleteMarkedLogs(db: Db, { jobs }: { jobs: number }): Promise<BytesPurged & { jobs: number }> {
  const [row] = await db.execute<{ jobs: number; n: number; bytes: number }>(sql`
    WITH picked AS (
      SELECT id FROM jobs WHERE logs_purged_at IS NOT NULL AND logs_deleted_at IS NULL
      LIMIT ${jobs} FOR UPDATE SKIP LOCKED
    ), removed AS (
      DELETE FROM job_logs l USING picked p WHERE l.job_id = p.id
      RETURNING octet_length(l.message) + coalesce(octet_length(l.metadata::text), 0) AS bytes
    ), done AS (
      UPDATE jobs j SET logs_deleted_at = now() FROM picked p WHERE j.id = p.id RETURNING 1
    )
    SELECT (SELECT count(*) FROM done) AS jobs, count(*) AS n, coalesce(sum(bytes), 0) AS bytes FROM removed`);
  return { jobs: Number(row.jobs), rows: Number(row.n), bytes: Number(row.bytes) };
}

/** Deletes up to `limit` webhook event log rows older than `days` (GET /api/v1/events lists what is left). */
export async function deleteExpiredEvents(db: Db, { days, limit }: { days: number; limit: number }): Promise<number> {
  const rows = await db.execute(sql`
    DELETE FROM webhook_event_log WHERE sequence IN (
      SELECT sequence FROM webhook_event_log WHERE created_at < now() - make_interval(days => ${days})
      LIMIT ${limit} FOR UPDATE SKIP LOCKED
    ) RETURNING 1`);
  return rows.length;
}

/**
 * Deletes up to `limit` settled deliveries (succeeded or failed, never one still being retried)
 * older than `days`, with their attempts.
 */
export async function deleteExpiredDeliveries(db: Db, { days, limit }: { days: number; limit: number }): Promise<number> {
  const rows = await db.execute(sql`
    WITH picked AS (
      SELECT id FROM webhook_deliveries
      WHERE status <> 'pending' AND created_at < now() - make_interval(days => ${days})
      LIMIT ${limit} FOR UPDATE SKIP LOCKED
    ), attempts AS (
      DELETE FROM webhook_delivery_attempts a USING picked p WHERE a.delivery_id = p.id
    )
    DELETE FROM webhook_deliveries d USING picked p WHERE d.id = p.id RETURNING 1`);
  return rows.length;
}

export async function insertPurgeRun(db: Db, values: typeof purgeRuns.$inferInsert): Promise<PurgeRun> {
  const [run] = await db.insert(purgeRuns).values(values).returning();
  return run;
}

export async function updatePurgeRun(db: Db, id: number, values: Partial<typeof purgeRuns.$inferInsert>): Promise<PurgeRun> {
  const [run] = await db.update(purgeRuns).set(values).where(eq(purgeRuns.id, id)).returning();
  return run;
}

export async function listPurgeRuns(db: Db, { limit }: { limit: number }): Promise<PurgeRun[]> {
  return db.select().from(purgeRuns).orderBy(desc(purgeRuns.id)).limit(limit);
}
