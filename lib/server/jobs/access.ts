import { findJob, type JobWithKey } from '@/db/queries/jobs';
import type { Db } from '@/db/client';
import { ApiError } from '@/lib/api-errors';
import { jobIdSchema } from '@/lib/schemas/jobs';

export const deletedJobMessage = 'This job was deleted.';

/**
 * The job if it belongs to the account: 404 when unknown, 403 when it is another account's,
 * 410 when its owner deleted it (the row stays, so its URL can say so).
 */
export async function getOwnedJob(db: Db, { id, accountId }: { id: string; accountId: string }): Promise<JobWithKey> {
  if (!jobIdSchema.safeParse(id).success) throw new ApiError('not_found', `No job with id ${id}`);
  const row = await findJob(db, id);
  if (!row) throw new ApiError('not_found', `No job with id ${id}`);
  if (row.job.accountId !== accountId) throw new ApiError('forbidden', 'You do not have permission to access this job');
  if (row.job.deletedAt) throw new ApiError('gone', deletedJobMessage, { deletedAt: row.job.deletedAt.toISOString() });
  return row;
}
