import { findBatch } from '@/db/queries/batches';
import type { Db } from '@/db/client';
import type { Batch } from '@/db/schema';
import { ApiError } from '@/lib/api-errors';
import { batchIdSchema } from '@/lib/schemas/batches';

/** The batch if it belongs to the account: 404 when unknown (or deleted), 403 when it is another account's. */
export async function getOwnedBatch(db: Db, { id, accountId }: { id: string; accountId: string }): Promise<Batch> {
  if (!batchIdSchema.safeParse(id).success) throw new ApiError('not_found', `No batch with id ${id}`);
  const batch = await findBatch(db, id);
  if (!batch || batch.deletedAt) throw new ApiError('not_found', `No batch with id ${id}`);
  if (batch.accountId !== accountId) throw new ApiError('forbidden', 'You do not have permission to access this batch');
  return batch;
}
