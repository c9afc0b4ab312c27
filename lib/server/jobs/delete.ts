import type { Database } from '@/db/client';
import { countMatchingJobs, type JobFilterQuery } from '@/db/queries/counts';
import { matchingJobsBatch, softDeleteJobs } from '@/db/queries/job-deletes';
import type { Job } from '@/db/schema';
import { ApiError } from '@/lib/api-errors';
import { isTerminal, type JobStatus } from '@/lib/jobs';
import { getOwnedJob } from './access';
import { cancelJob } from './cancel';

const batchSize = 1000;

/** Cancels an active job before it is deleted; losing the race to its completion is fine too. */
async function settleBeforeDelete(db: Database, { id, accountId, status }: { id: string; accountId: string; status: JobStatus }) {
  if (isTerminal(status)) return false;
  try {
    return (await cancelJob(db, { id, accountId })).cancelled;
  } catch (error) {
    // It finished (409) or was deleted (410) since it was read: nothing left to cancel.
    if (error instanceof ApiError && (error.code === 'conflict' || error.code === 'gone')) return false;
    throw error;
  }
}

/** DELETE /api/v1/jobs/{id}: cancels the job if it is active, then soft-deletes it. */
export async function deleteJob(db: Database, { id, accountId }: { id: string; accountId: string }): Promise<Job> {
  const { job } = await getOwnedJob(db, { id, accountId });
  await settleBeforeDelete(db, { id, accountId, status: job.status });
  const [deleted] = await softDeleteJobs(db, { accountId, ids: [id] });
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
 */
export async function deleteJobs(
  db: Database,
  { accountId, filters, dryRun }: { accountId: string; filters: JobFilterQuery; dryRun: boolean },
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
      if (await settleBeforeDelete(db, { id: job.id, accountId, status: job.status })) cancelled += 1;
    }
    const deleted = await softDeleteJobs(db, { accountId, ids: batch.map((job) => job.id) });
    count += deleted.length;
    // A batch in which nothing could be deleted would come back unchanged: stop rather than spin.
    if (deleted.length === 0) break;
  }
  return { dryRun: false, count, active: matched.active, cancelled };
}
