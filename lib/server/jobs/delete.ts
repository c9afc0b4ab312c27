import type { Database } from '@/db/client';
import { recordAudit, type AuditActor } from '@/db/queries/audit';
import { countMatchingJobs, type JobFilterQuery } from '@/db/queries/counts';
import { matchingJobsBatch, softDeleteJobs } from '@/db/queries/job-deletes';
import type { Job } from '@/db/schema';
import { ApiError } from '@/lib/api-errors';
import { isTerminal, type JobStatus } from '@/lib/jobs';
import { getOwnedJob } from './access';
import { cancelJob } from './cancel';

const batchSize = 1000;

/** Cancels an active job before it is deleted; losing the race to its completion is fine too. */
async function settleBeforeDelete(
  db: Database,
  { id, accountId, status, actor }: { id: string; accountId: string; status: JobStatus; actor: AuditActor },
) {
  if (isTerminal(status)) return false;
  try {
    return (await cancelJob(db, { id, accountId, actor })).cancelled;
  } catch (error) {
    // It finished (409) or was deleted (410) since it was read: nothing left to cancel.
    if (error instanceof ApiError && (error.code === 'conflict' || error.code === 'gone')) return false;
    throw error;
  }
}

/** DELETE /api/v1/jobs/{id}: cancels the job if it is active, then soft-deletes it (audited as `job.delete`). */
export async function deleteJob(db: Database, { id, accountId, actor }: { id: string; accountId: string; actor: AuditActor }): Promise<Job> {
  const { job } = await getOwnedJob(db, { id, accountId });
  await settleBeforeDelete(db, { id, accountId, status: job.status, actor });
  const [deleted] = await db.transaction(async (tx) => {
    const rows = await softDeleteJobs(tx, { accountId, ids: [id] });
    if (rows.length > 0) await recordAudit(tx, actor, { action: 'job.delete', targetType: 'job', targetId: id, accountId, details: null });
    return rows;
  });
  if (!deleted) {
    // Deleted by a concurrent request (410 from getOwnedJob), or somehow still active.
    const { job: now } = await getOwnedJob(db, { id, accountId });
    throw new ApiError('conflict', `Job is ${now.status} and could not be deleted; try again`, { status: now.status });
  }
  return deleted;
}

export type BulkDeleteOutcome = { dryRun: boolean; count: number; active: number; cancelled: number };

/**
 * POST /api/v1/jobs/delete: every job matching the list filters. `dryRun` only counts them (the
 * confirmation's "Delete N jobs?"). Otherwise the jobs that matched when the request arrived are
 * taken in batches: the active ones are cancelled first, then the batch is soft-deleted by id, so
 * a status filter such as `queued` still deletes the jobs it matched before they were cancelled.
 * Each batch's transaction writes one `jobs.delete` audit entry with the filters, the count and
 * the ids (one entry for up to 1,000 jobs).
 */
export async function deleteJobs(
  db: Database,
  { accountId, filters, dryRun, actor }: { accountId: string; filters: JobFilterQuery; dryRun: boolean; actor: AuditActor },
): Promise<BulkDeleteOutcome> {
  const matched = await countMatchingJobs(db, { accountId, filters });
  if (dryRun) return { dryRun: true, count: matched.total, active: matched.active, cancelled: 0 };
  // Jobs submitted while this runs are not part of what the user confirmed.
  const createdBefore = new Date();
  let count = 0;
  let cancelled = 0;
  for (;;) {
    const batch = await matchingJobsBatch(db, { accountId, filters, createdBefore, limit: batchSize });
    if (batch.length === 0) break;
    for (const job of batch) {
      if (await settleBeforeDelete(db, { id: job.id, accountId, status: job.status, actor })) cancelled += 1;
    }
    const deleted = await db.transaction(async (tx) => {
      const rows = await softDeleteJobs(tx, { accountId, ids: batch.map((job) => job.id) });
      if (rows.length > 0) {
        await recordAudit(tx, actor, {
          action: 'jobs.delete',
          targetType: 'jobs',
          targetId: null,
          accountId,
          details: { filter: filters, count: rows.length, jobIds: rows.map((row) => row.id) },
        });
      }
      return rows;
    });
    count += deleted.length;
    // A batch in which nothing could be deleted would come back unchanged: stop rather than spin.
    if (deleted.length === 0) break;
  }
  return { dryRun: false, count, active: matched.active, cancelled };
}
