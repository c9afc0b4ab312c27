import type { Database } from '@/db/client';
import { listAttempts, listChildJobIds, type JobWithKey } from '@/db/queries/jobs';
import { getResultMeta } from '@/db/queries/results';
import { currentPrices } from '@/lib/pricing';
import { describeRetention } from '@/lib/retention';
import { retentionSettings } from '@/lib/server/retention';
import { serializeJob } from './serialize';

/**
 * The full job object of GET /api/v1/jobs/{id}. `maskSecrets` for a dashboard session (its
 * pages and their polls): the owner's API key gets the config as sent, the browser never does.
 */
export async function loadJobDetail(db: Database, row: JobWithKey, { maskSecrets = false }: { maskSecrets?: boolean } = {}) {
  const [childJobIds, attempts, result, screenshot] = await Promise.all([
    listChildJobIds(db, row.job.id),
    listAttempts(db, row.job.id),
    getResultMeta(db, { jobId: row.job.id, kind: 'content' }),
    getResultMeta(db, { jobId: row.job.id, kind: 'screenshot' }),
  ]);
  return serializeJob(row, {
    childJobIds,
    attempts,
    result: result
      ? { format: result.format, size: result.size, contentType: result.contentType, purged: result.purgedAt !== null }
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
    // What a retry would cost today (spec sections 7 and 13): test-key jobs are free.
    retryCost: row.apiKey.kind === 'test' ? 0 : currentPrices()[row.job.engine],
    maskSecrets,
  });
}
