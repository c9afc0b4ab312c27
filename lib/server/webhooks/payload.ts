import { randomUUID } from 'node:crypto';
import type { BatchTally } from '@/db/queries/batches';
import type { JobWithKey } from '@/db/queries/jobs';
import type { Batch, WebhookEvent } from '@/db/schema';
import type { WebhookBatchJson, WebhookEventPayload } from '@/lib/schemas/webhooks';
import { serializeBatchBase } from '@/lib/server/batches/serialize';
import { serializeJobSummary } from '@/lib/server/jobs/serialize';

// The body of a webhook event: a fresh event id, the type, when it happened and the job (the
// summary GET /api/v1/jobs lists) or the batch with its jobs counted by state.

export function serializeWebhookBatch(batch: Batch, tally: BatchTally): WebhookBatchJson {
  return { ...serializeBatchBase(batch, tally), creditsUsed: tally.creditsCharged };
}

export function jobEventPayload({ event, at, job }: { event: WebhookEvent; at: Date; job: JobWithKey }): WebhookEventPayload {
  return { id: randomUUID(), type: event, createdAt: at.toISOString(), data: serializeJobSummary(job) };
}

export function batchEventPayload({ at, batch, tally }: { at: Date; batch: Batch; tally: BatchTally }): WebhookEventPayload {
  return { id: randomUUID(), type: 'batch.completed', createdAt: at.toISOString(), data: serializeWebhookBatch(batch, tally) };
}
