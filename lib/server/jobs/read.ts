import type { Database } from '@/db/client';
import { listAttempts, listChildJobIds, type JobWithKey } from '@/db/queries/jobs';
import { getResultMeta } from '@/db/queries/results';
import { serializeJob } from './serialize';

/** The full job object of GET /api/v1/jobs/{id}. */
export async function loadJobDetail(db: Database, row: JobWithKey) {
  const [childJobIds, attempts, result] = await Promise.all([
    listChildJobIds(db, row.job.id),
    listAttempts(db, row.job.id),
    getResultMeta(db, { jobId: row.job.id, kind: 'content' }),
  ]);
  return serializeJob(row, {
    childJobIds,
    attempts,
    result: result
      ? { format: result.format, size: result.size, contentType: result.contentType, purged: result.purgedAt !== null }
      : null,
  });
}
