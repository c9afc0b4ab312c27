import { randomUUID } from 'node:crypto';
import type { BatchTally } from '@/db/queries/batches';
import type { JobWithKey } from '@/db/queries/jobs';
import type { Batch, JobChange, WebhookEvent } from '@/db/schema';
import { getEnv } from '@/lib/env';
import type { WebhookEventPayload, WebhookJobDataJson } from '@/lib/schemas/webhooks';
import { serializeBatch } from '@/lib/server/batches/serialize';
import { serializeJobSummary } from '@/lib/server/jobs/serialize';
import type { CrawlJson } from '@/lib/server/crawls/serialize';

// The body of a webhook event: a fresh event id, the type, when it happened, its place in the
// account's sequence (set when the dispatcher records it), and the job (the summary GET
// /api/v1/jobs lists, with the result's description for job.completed) or the batch exactly as
// GET /api/v1/batches/{id} returns it.

export type ResultMeta = { format: string; size: number; contentType: string; purgedAt: Date | null };

/** Where the result is fetched (with the API key): absolute when PUBLIC_URL says where the API is. */
export function resultUrl(jobId: string): string {
  const path = `/api/v1/jobs/${jobId}/result`;
  const base = getEnv().PUBLIC_URL;
  return base ? new URL(path, base).toString() : path;
}

export function webhookJobData(job: JobWithKey, result: ResultMeta | undefined, change?: JobChange): WebhookJobDataJson {
  const available = result && result.purgedAt === null && job.job.status === 'completed';
  return {
    ...serializeJobSummary(job),
    result: available ? { format: result.format, size: result.size, contentType: result.contentType, url: resultUrl(job.job.id) } : null,
    ...(change && change.status !== 'new' && change.status !== 'same' ? { change: { status: change.status, previousJobId: change.previousJobId } } : {}),
  };
}

/**
 * The job as it was when its first attempt started: the dispatcher reads the row later, when the
 * job may have gone on (even finished), so job.started shows the start, not what came after.
 */
function asStarted(job: JobWithKey): JobWithKey {
  return {
    ...job,
    job: { ...job.job, status: 'processing', attempts: 1, finishedAt: null, durationMs: null, errorType: null, errorMessage: null, creditsCharged: 0 },
  };
}

export function jobEventPayload({ event, at, job, result, change }: { event: WebhookEvent; at: Date; job: JobWithKey; result?: ResultMeta; change?: JobChange }): WebhookEventPayload {
  const shown = event === 'job.started' ? asStarted(job) : job;
  return { id: randomUUID(), type: event, createdAt: at.toISOString(), sequence: null, data: webhookJobData(shown, result, change) };
}

export function crawlEventPayload({ event, at, crawl }: { event: 'crawl.completed' | 'crawl.cancelled'; at: Date; crawl: CrawlJson }): WebhookEventPayload {
  return { id: randomUUID(), type: event, createdAt: at.toISOString(), sequence: null, data: crawl };
}

export function batchEventPayload({ at, batch, tally }: { at: Date; batch: Batch; tally: BatchTally }): WebhookEventPayload {
  return { id: randomUUID(), type: 'batch.completed', createdAt: at.toISOString(), sequence: null, data: serializeBatch(batch, tally) };
}
