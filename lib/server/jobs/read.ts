import type { Database, Db } from '@/db/client';
import { findJob, listAttempts, listChildJobIds, type JobWithKey } from '@/db/queries/jobs';
import { getJobChange } from '@/db/queries/changes';
import { getExtracted, getResultMeta } from '@/db/queries/results';
import { getEnv } from '@/lib/env';
import type { ResultFormat } from '@/lib/jobs';
import { currentPrices } from '@/lib/pricing';
import { describeRetention } from '@/lib/retention';
import { retentionSettings } from '@/lib/server/retention';
import { getOwnedJob } from './access';
import { expireStaleJobs } from './expire';
import { serializeJob, type JobJson } from './serialize';

// The one read path of a job reply (GET /api/v1/jobs/{id}, a cancel's reply, the dashboard's job
// page): expire it if it waited too long, check it is the account's, then load the row, its
// attempts, children and result description in one snapshot, so status, attempts, attempt
// history and result always agree even while a worker moves the job on.

/**
 * Expires stale queued jobs (the account's; every account's for the admin's lists) before a read
 * shows them, so expiry happens even while no worker runs (the workers' sweeper does it too).
 */
export async function expireBeforeRead(db: Database, accountId?: string): Promise<void> {
  await expireStaleJobs(db, { maxWaitSeconds: getEnv().MAX_QUEUE_WAIT_SECONDS, accountId });
}

/**
 * The job as a reply shows it: 404, 403 or 410 as getOwnedJob says, else one consistent read.
 * `maskSecrets` for a dashboard session (its pages and their polls): the owner's API key gets the
 * config as sent, the browser never does.
 */
export async function readJob(
  db: Database,
  { id, accountId, maskSecrets = false }: { id: string; accountId: string; maskSecrets?: boolean },
): Promise<JobJson> {
  const owned = await getOwnedJob(db, { id, accountId });
  if (owned.job.status === 'queued') await expireBeforeRead(db, accountId);
  return db.transaction(
    async (tx) => {
      const row = await findJob(tx, id);
      return loadJobDetail(tx, row ?? owned, { maskSecrets });
    },
    { isolationLevel: 'repeatable read', accessMode: 'read only' },
  );
}

/**
 * The full job object of a row: call it inside one snapshot (readJob's transaction, or the
 * transaction that wrote the row) so its parts agree.
 */
export async function loadJobDetail(db: Db, row: JobWithKey, { maskSecrets = false }: { maskSecrets?: boolean } = {}): Promise<JobJson> {
  const [childJobIds, attempts, result, screenshot, extracted, change] = await Promise.all([
    listChildJobIds(db, row.job.id),
    listAttempts(db, row.job.id),
    getResultMeta(db, { jobId: row.job.id, kind: 'content' }),
    getResultMeta(db, { jobId: row.job.id, kind: 'screenshot' }),
    row.job.config.extract ? getExtracted(db, row.job.id) : null,
    row.job.changeSeries ? getJobChange(db, row.job.id) : undefined,
  ]);
  return serializeJob(row, {
    childJobIds,
    attempts,
    result: result
      ? { format: result.format as ResultFormat, size: result.size, contentType: result.contentType, purged: result.purgedAt !== null }
      : null,
    // A purged screenshot is gone: the job shows none rather than a broken image.
    screenshot:
      screenshot && screenshot.purgedAt === null
        ? { width: screenshot.width ?? 0, height: screenshot.height ?? 0, size: screenshot.size }
        : null,
    retention: describeRetention({
      settings: retentionSettings(),
      jobCreatedAt: row.job.createdAt,
      logsPurgedAt: row.job.logsPurgedAt,
      result: result ?? null,
      screenshot: screenshot ?? null,
    }),
    retryCost: retryCost(row),
    extracted,
    change: change ?? null,
    maskSecrets,
  });
}

/**
 * A job just written by the transaction that is still open: no attempt, child or result can
 * exist yet (nothing else sees the row before the commit), so its reply needs no further reads.
 */
export function submittedJobDetail(row: JobWithKey, { maskSecrets = false }: { maskSecrets?: boolean } = {}): JobJson {
  return serializeJob(row, {
    childJobIds: [],
    attempts: [],
    result: null,
    screenshot: null,
    retention: describeRetention({ settings: retentionSettings(), jobCreatedAt: row.job.createdAt, logsPurgedAt: null, result: null, screenshot: null }),
    retryCost: retryCost(row),
    maskSecrets,
  });
}

/** What a retry would cost today (spec sections 7 and 13): test-key jobs are free. */
function retryCost(row: JobWithKey): number {
  return row.apiKey.kind === 'test' ? 0 : currentPrices()[row.job.engine];
}
