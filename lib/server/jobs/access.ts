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
  assertJobId(id);
  const row = await findJob(db, id);
  assertOwned(row?.job, { id, accountId });
  return row!;
}

/** A string that is no job id names no job (and must not reach a uuid column). */
export function assertJobId(id: string): void {
  if (!jobIdSchema.safeParse(id).success) throw new ApiError('not_found', `No job with id ${id}`);
}

/** Throws what getOwnedJob answers for a job that is unknown, another account's or deleted. */
export function assertOwned(
  job: { accountId: string; deletedAt: Date | null } | undefined,
  { id, accountId }: { id: string; accountId: string },
): asserts job {
  if (!job) throw new ApiError('not_found', `No job with id ${id}`);
  if (job.accountId !== accountId) throw new ApiError('forbidden', 'You do not have permission to access this job');
  if (job.deletedAt) throw new ApiError('gone', deletedJobMessage, { deletedAt: job.deletedAt.toISOString() });
}
