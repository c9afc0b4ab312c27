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

/** The next page of matching jobs, most recent first, after `cursor` (keyset: no OFFSET scans). */
export async function exportPage(
  db: Db,
  { accountId, filters, cursor, limit }: { accountId: string; filters: JobFilterQuery; cursor?: ExportCursor; limit: number },
) {
  const where = jobFilters(accountId, filters);
  if (cursor) {
    where.push(sql`(${jobs.createdAt}, ${jobs.id}) < (${cursor.createdAt.toISOString()}::timestamptz, ${cursor.id}::uuid)`);
  }
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
    })
    .from(jobs)
    .innerJoin(apiKeys, eq(apiKeys.id, jobs.apiKeyId))
    .where(and(...where))
    .orderBy(desc(jobs.createdAt), desc(jobs.id))
    .limit(limit);
}
