import { and, asc, eq, inArray, isNull, lte, sql } from 'drizzle-orm';
import { terminalStatuses } from '@/lib/jobs';
import type { Db } from '../client';
import { jobResults, jobs, type Job } from '../schema';
import type { JobFilterQuery } from './counts';
import { jobFilters } from './jobs';

// Deleting jobs is a soft delete: the row (and its ledger charge) stays, `deleted_at` takes it out
// of every list, count, stat and export, and its logs, result and screenshot are marked purged so
// the retention purge removes their bytes in its next batch.

/** The next batch of jobs the filters match, created no later than `createdBefore` (oldest first). */
export async function matchingJobsBatch(
  db: Db,
  { accountId, filters, createdBefore, limit }: { accountId: string; filters: JobFilterQuery; createdBefore: Date; limit: number },
) {
  return db
    .select({ id: jobs.id, status: jobs.status })
    .from(jobs)
    .where(and(...jobFilters(accountId, filters), lte(jobs.createdAt, createdBefore)))
    .orderBy(asc(jobs.createdAt), asc(jobs.id))
    .limit(limit);
}

/**
 * Soft-deletes the account's finished jobs among `ids`, in one conditional UPDATE: a job that is
 * still active or already deleted is left alone. Returns the jobs deleted.
 */
export async function softDeleteJobs(db: Db, { accountId, ids }: { accountId: string; ids: string[] }): Promise<Job[]> {
  if (ids.length === 0) return [];
  return db.transaction(async (tx) => {
    const deleted = await tx
      .update(jobs)
      .set({ deletedAt: sql`now()`, logsPurgedAt: sql`coalesce(${jobs.logsPurgedAt}, now())` })
      .where(
        and(
          inArray(jobs.id, ids),
          eq(jobs.accountId, accountId),
          isNull(jobs.deletedAt),
          inArray(jobs.status, [...terminalStatuses]),
        ),
      )
      .returning();
    if (deleted.length > 0) {
      await tx
        .update(jobResults)
        .set({ purgedAt: sql`now()` })
        .where(and(inArray(jobResults.jobId, deleted.map((job) => job.id)), isNull(jobResults.purgedAt)));
    }
    return deleted;
  });
}
