import type { Job, JobAttempt, JobChange } from '@/db/schema';
import type { JobChangeJson } from '@/lib/schemas/changes';
import type { JobWithKey } from '@/db/queries/jobs';
import { isTerminal } from '@/lib/jobs';
import type { RetentionJson } from '@/lib/retention';
import type { JobResponse, JobSummaryResponse } from '@/lib/schemas/responses';
import { errorSuggestions } from '@/lib/scrape-errors';
import { maskConfigSecrets, type MaskedSecrets } from '@/lib/secret-masking';

// The API's JSON shapes. Pure: rows in, plain objects out, typed by the zod response schemas
// (lib/schemas/responses.ts) that document them, so a field cannot be added to one and not the other.

export type ResultMeta = NonNullable<JobResponse['result']>;
export type ScreenshotMeta = { width: number; height: number; size: number };

/** Credits a job shows: its reserved price while active, what it was charged once finished. */
export function creditsShown(job: Pick<Job, 'status' | 'creditCost' | 'creditsCharged'>): number {
  return isTerminal(job.status) ? job.creditsCharged : job.creditCost;
}

export function serializeJobSummary({ job, apiKey }: JobWithKey): JobSummaryResponse {
  return {
    id: job.id,
    status: job.status,
    url: job.url,
    engine: job.engine,
    apiKey: { id: apiKey.id, name: apiKey.name, revoked: apiKey.revokedAt !== null, test: apiKey.kind === 'test' },
    credits: creditsShown(job),
    attempts: job.attempts,
    maxAttempts: job.maxAttempts,
    durationMs: job.durationMs,
    createdAt: job.createdAt.toISOString(),
    notBefore: job.notBefore?.toISOString() ?? null,
    startedAt: job.startedAt?.toISOString() ?? null,
    finishedAt: job.finishedAt?.toISOString() ?? null,
    parentJobId: job.parentJobId,
    error: job.errorType
      ? { type: job.errorType, message: job.errorMessage ?? '', suggestions: errorSuggestions[job.errorType] }
      : null,
    name: job.name,
    tags: job.tags,
    priority: job.priority,
    batchId: job.batchId,
    webhookUrl: job.webhookUrl,
  };
}

export function serializeJob(
  row: JobWithKey,
  extra: {
    childJobIds: string[];
    attempts: JobAttempt[];
    result: ResultMeta | null;
    screenshot?: ScreenshotMeta | null;
    retention: RetentionJson;
    retryCost: number;
    extracted?: unknown;
    change?: JobChange | null;
    /** For the dashboard: credential headers and cookie values masked here, never sent in full. */
    maskSecrets?: boolean;
  },
): JobResponse {
  const masked = extra.maskSecrets ? maskConfigSecrets(row.job.config) : null;
  return {
    ...serializeJobSummary(row),
    childJobIds: extra.childJobIds,
    config: masked?.config ?? row.job.config,
    ...(masked ? { maskedSecrets: masked.maskedSecrets as MaskedSecrets } : {}),
    result: extra.result,
    screenshot: extra.screenshot ?? null,
    attemptHistory: extra.attempts.map((attempt) => ({
      attempt: attempt.attempt,
      startedAt: attempt.startedAt.toISOString(),
      finishedAt: attempt.finishedAt?.toISOString() ?? null,
      outcome: attempt.outcome,
      error: attempt.errorType ? { type: attempt.errorType, message: attempt.errorMessage ?? '' } : null,
    })),
    retention: extra.retention,
    retryCost: extra.retryCost,
    extracted: (extra.extracted ?? null) as Record<string, unknown> | null,
    change: extra.change ? serializeChange(extra.change) : null,
  };
}

export function serializeChange(change: JobChange): JobChangeJson {
  return {
    status: change.status,
    series: change.series,
    previousJobId: change.previousJobId,
    comparedBy: change.diffKind ?? (change.extractedHash ? 'extracted' : 'content'),
    contentHash: change.contentHash,
    extractedHash: change.extractedHash,
    diff: change.diff,
    diffTruncated: change.diffTruncated,
    diffNote: change.diffNote,
    detectedAt: change.createdAt.toISOString(),
  };
}

export type JobSummaryJson = JobSummaryResponse;
export type JobJson = JobResponse;
