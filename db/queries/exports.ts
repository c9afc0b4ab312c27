import { and, desc, eq, gt, sql } from 'drizzle-orm';
import type { Db } from '../client';
import { apiKeys, exportEvents, jobs } from '../schema';
import type { JobFilterQuery } from './counts';
import { jobFilters } from './jobs';

/** Advisory-lock namespace of the per-account export limit (two-key form: no clash with pg-boss's locks). */
const exportLockNamespace = 5_101;

type ExportLimit = { perWindow: number; windowSeconds: number };

/** How many exports the account may still start now, and when the oldest one in the window ages out. */
export async function exportAllowance(db: Db, { accountId, limit }: { accountId: string; limit: ExportLimit }) {
  const [row] = await db
    .select({
      used: sql<number>`count(*)::int`,
      retryAfterSeconds: sql<number>`coalesce(ceil(extract(epoch FROM min(${exportEvents.createdAt}) + make_interval(secs => ${limit.windowSeconds}) - now())), 0)::int`,
    })
    .from(exportEvents)
    .where(
      and(
        eq(exportEvents.accountId, accountId),
        gt(exportEvents.createdAt, sql`now() - make_interval(secs => ${limit.windowSeconds})`),
      ),
    );
  return { remaining: Math.max(0, limit.perWindow - row.used), retryAfterSeconds: Math.max(1, row.retryAfterSeconds) };
}

/**
 * Records an export if the account is under its limit. Counting and inserting happen under a
 * per-account advisory lock in one transaction, so concurrent requests cannot both take the
 * last slot. Returns null when allowed, else the seconds until a slot frees up.
 */
export async function recordExport(
  db: Db,
  { accountId, format, rows, limit }: { accountId: string; format: 'csv' | 'json'; rows: number; limit: ExportLimit },
): Promise<{ retryAfterSeconds: number } | null> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`SELECT pg_advisory_xact_lock(${exportLockNamespace}, hashtext(${accountId}))`);
    const allowance = await exportAllowance(tx, { accountId, limit });
    if (allowance.remaining === 0) return { retryAfterSeconds: allowance.retryAfterSeconds };
    await tx.insert(exportEvents).values({ accountId, format, rows });
    return null;
  });
}

export type ExportCursor = { createdAt: Date; id: string };

export type ExportRow = Awaited<ReturnType<typeof exportPage>>[number];

/**
 * The top-level field names of the extraction rules of the jobs an export holds (its `rows` most
 * recent matching jobs), in name order: the CSV's extracted columns, known before streaming.
 */
export async function extractedFieldNames(db: Db, { accountId, filters, rows }: { accountId: string; filters: JobFilterQuery; rows: number }): Promise<string[]> {
  const recent = db
    .select({ config: jobs.config, createdAt: jobs.createdAt })
    .from(jobs)
    .where(and(...jobFilters(accountId, filters), sql`${jobs.config} ? 'extract'`))
    .orderBy(desc(jobs.createdAt), desc(jobs.id))
    .limit(rows)
    .as('recent');
  // A JSON Schema's fields are its properties; a field map's are its keys.
  const result = await db.execute<{ name: string }>(sql`
    SELECT k.name FROM ${recent},
      jsonb_each(CASE WHEN recent.config->'extract'->>'type' = 'object' AND jsonb_typeof(recent.config->'extract'->'properties') = 'object'
        THEN recent.config->'extract'->'properties' ELSE recent.config->'extract' END) AS k(name, value)
    GROUP BY k.name ORDER BY k.name`);
  return result.map((row) => row.name);
}

/** The next page of matching jobs, most recent first, after `cursor` (keyset: no OFFSET scans); with their extracted documents when asked. */
export async function exportPage(
  db: Db,
  { accountId, filters, cursor, limit, withExtracted = false }: { accountId: string; filters: JobFilterQuery; cursor?: ExportCursor; limit: number; withExtracted?: boolean },
) {
  const where = jobFilters(accountId, filters);
  if (cursor) {
    where.push(sql`(${jobs.createdAt}, ${jobs.id}) < (${cursor.createdAt.toISOString()}::timestamptz, ${cursor.id}::uuid)`);
  }
  const extracted = withExtracted
    ? sql<Buffer | null>`(SELECT r.content FROM job_results r WHERE r.job_id = ${jobs.id} AND r.kind = 'extracted' AND r.purged_at IS NULL)`
    : sql<Buffer | null>`NULL::bytea`;
  return db
    .select({
      id: jobs.id,
      status: jobs.status,
      url: jobs.url,
      engine: jobs.engine,
      creditCost: jobs.creditCost,
      creditsCharged: jobs.creditsCharged,
      durationMs: jobs.durationMs,
      createdAt: jobs.createdAt,
      finishedAt: jobs.finishedAt,
      errorType: jobs.errorType,
      keyName: apiKeys.name,
      name: jobs.name,
      tags: jobs.tags,
      priority: jobs.priority,
      extracted: extracted.mapWith((value: Buffer | string | null) => (value === null ? null : JSON.parse(Buffer.from(value as Buffer).toString('utf8')) as unknown)),
    })
    .from(jobs)
    .innerJoin(apiKeys, eq(apiKeys.id, jobs.apiKeyId))
    .where(and(...where))
    .orderBy(desc(jobs.createdAt), desc(jobs.id))
    .limit(limit);
}
