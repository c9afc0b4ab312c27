import type { Database } from '@/db/client';
import { recordAudit, type AuditActor } from '@/db/queries/audit';
import { batchJobIds, cancelQueuedBatchJobs, markBatchCancelled, tallyBatches } from '@/db/queries/batches';
import type { Batch } from '@/db/schema';
import { ApiError } from '@/lib/api-errors';
import { cancelJob } from '@/lib/server/jobs/cancel';
import { getOwnedBatch } from './access';
import { batchStatus } from './serialize';
import { dequeueScrapes } from './queue';

/**
 * Cancels every unfinished job of a batch. The queued ones go together: one conditional UPDATE
 * (a job a worker claims meanwhile is simply not queued any more) with their logs, events and
 * released credits, and their queue entries removed, in the transaction that marks the batch
 * cancelled. The processing ones go one by one through the single-job cancel, which races each
 * job's completion with exactly one winner: a job that completes first keeps its charge.
 * 409 when nothing is left to cancel.
 */
export async function cancelBatch(
  db: Database,
  { id, accountId, actor }: { id: string; accountId: string; actor: AuditActor },
): Promise<Batch> {
  const batch = await getOwnedBatch(db, { id, accountId });
  const { counts } = (await tallyBatches(db, [id])).get(id)!;
  if (counts.queued + counts.processing === 0) {
    const status = batchStatus(batch, batch.total);
    throw new ApiError('conflict', `Batch is already ${status} and has no unfinished jobs to cancel`, { status });
  }

  let cancelled = await cancelQueued(db, batch);
  for (const jobId of await batchJobIds(db, { batchId: id, status: 'processing' })) {
    try {
      if ((await cancelJob(db, { id: jobId, accountId, actor })).cancelled) cancelled += 1;
    } catch (error) {
      // It finished (or was cancelled) in the meantime: its own outcome stands.
      if (!(error instanceof ApiError && (error.code === 'conflict' || error.code === 'gone'))) throw error;
    }
  }
  // A processing job handed back to the queue meanwhile (worker shutdown, lost lease) is queued again.
  cancelled += await cancelQueued(db, batch);

  return db.transaction(async (tx) => {
    const updated = await markBatchCancelled(tx, id);
    await recordAudit(tx, actor, { action: 'batch.cancel', targetType: 'batch', targetId: id, accountId, details: { cancelled } });
    return updated!;
  });
}

async function cancelQueued(db: Database, batch: Batch): Promise<number> {
  return db.transaction(async (tx) => {
    const ids = await cancelQueuedBatchJobs(tx, { batchId: batch.id, accountId: batch.accountId });
    await dequeueScrapes(tx, { jobIds: ids, engine: batch.engine });
    return ids.length;
  });
}
