import type { BatchJson } from '@/lib/server/batches/serialize';
import type { BatchListJson } from '@/lib/server/batches/read';

// The JSON the batch pages read from /api/v1/batches. Types only.

export type { BatchJson, BatchListJson };

/** The batch's name, else the first 8 characters of its id. */
export function batchLabel(batch: Pick<BatchJson, 'id' | 'name'>): string {
  return batch.name ?? batch.id.slice(0, 8);
}

export const hasUnfinishedJobs = (batch: BatchJson) => batch.counts.queued + batch.counts.processing > 0;
