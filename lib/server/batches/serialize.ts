import type { BatchTally } from '@/db/queries/batches';
import type { Batch } from '@/db/schema';
import { terminalStatuses } from '@/lib/jobs';
import type { BatchStatus } from '@/lib/schemas/batches';
import { maskConfigSecrets } from '@/lib/secret-masking';

// The batch's JSON: the row, its jobs counted per state, and the progress derived from them.

/** Finished over total as a percentage with one decimal; 0 for an empty batch. */
export function progressPercent(finished: number, total: number): number {
  if (total <= 0) return 0;
  return Math.floor((finished / total) * 1000) / 10;
}

/**
 * Cancelled once a cancel was asked for; completed once every job is terminal, whether or not the
 * completion event (completedAt) has been recorded yet; active otherwise.
 */
export function batchStatus(batch: Pick<Batch, 'cancelledAt' | 'completedAt' | 'total'>, finished: number): BatchStatus {
  if (batch.cancelledAt) return 'cancelled';
  if (batch.completedAt || finished >= batch.total) return 'completed';
  return 'active';
}

/** The batch's labels, dates and jobs per state: what the API's batch and the batch.completed payload share. */
export function serializeBatchBase(batch: Batch, tally: BatchTally) {
  return {
    id: batch.id,
    name: batch.name,
    tags: batch.tags,
    priority: batch.priority,
    engine: batch.engine,
    webhookUrl: batch.webhookUrl,
    createdAt: batch.createdAt.toISOString(),
    cancelledAt: batch.cancelledAt?.toISOString() ?? null,
    completedAt: batch.completedAt?.toISOString() ?? null,
    total: batch.total,
    counts: { ...tally.counts },
  };
}

/** `maskSecrets` for a dashboard session: the batch's request headers and cookies masked as a job's are (lib/secret-masking.ts). */
export function serializeBatch(batch: Batch, tally: BatchTally, { maskSecrets = false }: { maskSecrets?: boolean } = {}) {
  const finished = terminalStatuses.reduce((sum, status) => sum + tally.counts[status], 0);
  return {
    ...serializeBatchBase(batch, tally),
    config: maskSecrets ? maskConfigSecrets(batch.config).config : batch.config,
    finished,
    percent: progressPercent(finished, batch.total),
    creditsCharged: tally.creditsCharged,
    creditsReserved: tally.creditsReserved,
    status: batchStatus(batch, finished),
  };
}

export type BatchJson = ReturnType<typeof serializeBatch>;
