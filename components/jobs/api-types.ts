import type { AccountJson, ApiKeyJson } from '@/lib/server/account-json';
import type { CreditsJson } from '@/lib/server/credits';
import type { JobJson, JobSummaryJson } from '@/lib/server/jobs/serialize';
import type { StatsJson } from '@/lib/server/stats';
import type { DatePresetId } from '@/lib/date-ranges';
import type { JobDefaults } from '@/lib/schemas/jobs';
import type { Engine, JobStatus, LogLevel } from '@/lib/jobs';
import type { Priority } from '@/lib/queue';

// The JSON the dashboard reads from /api/v1. Types only: the shapes are produced by the route
// handlers (the jobs ones by lib/server/jobs/serialize.ts).

export type { AccountJson, ApiKeyJson, CreditsJson, JobJson, JobSummaryJson, StatsJson };

/** POST /api/v1/keys: the new key, with the secret shown this once. */
export type CreatedApiKeyJson = ApiKeyJson & { secret: string };

/** GET /api/v1/storage */
export type StorageJson = { resultsBytes: number; screenshotsBytes: number; logsBytes: number; totalBytes: number };

/** GET /api/v1/preferences/job-defaults */
export type JobDefaultsJson = { defaults: JobDefaults | null; updatedAt: string | null };

/** GET /api/v1/jobs/export?count=1 */
export type ExportSummaryJson = {
  count: number;
  rows: number;
  maxRows: number;
  warning: string | null;
  exportsRemaining: number;
  retryAfterSeconds: number | null;
};

/** POST /api/v1/jobs/delete */
export type BulkDeleteJson = { dryRun: boolean; count: number; active: number; cancelled: number };

export type JobListJson = { data: JobSummaryJson[]; page: number; size: number; total: number; totalPages: number };

export type LogEntryJson = {
  seq: number;
  timestamp: string;
  level: LogLevel;
  message: string;
  metadata: Record<string, unknown> | null;
};

export type LogListJson = { data: LogEntryJson[]; total: number };

export type ApiKeyListJson = { data: ApiKeyJson[] };

/** GET /api/v1/jobs/counts (db/queries/counts.ts): per-option counts of the list filters. */
export type JobCountsJson = {
  status: Partial<Record<JobStatus, number>>;
  engine: Partial<Record<Engine, number>>;
  key: Record<string, number>;
  priority: Partial<Record<Priority, number>>;
  date: Record<DatePresetId, number>;
};

/** Optional progress a job may report (spec 001); absent today, so the UI shows an indeterminate bar. */
export type JobProgress = { percent?: number | null; processed?: number | null; total?: number | null };

export function jobProgress(job: JobSummaryJson): JobProgress | null {
  const progress = (job as JobSummaryJson & { progress?: JobProgress | null }).progress;
  if (!progress) return null;
  const hasPercent = typeof progress.percent === 'number';
  const hasCounts = typeof progress.processed === 'number' && typeof progress.total === 'number' && progress.total > 0;
  return hasPercent || hasCounts ? progress : null;
}
