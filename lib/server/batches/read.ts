import type { Database, Db } from '@/db/client';
import { listBatches, tallyBatches } from '@/db/queries/batches';
import type { Batch } from '@/db/schema';
import { paginatedReply } from '@/lib/pagination';
import type { ListBatchesQuery } from '@/lib/schemas/batches';
import { expireBeforeRead } from '@/lib/server/jobs/read';
import { serializeBatch, type BatchJson } from './serialize';

/** A batch with its progress, read after expiring the account's overdue queued jobs so the counts are current. */
export async function loadBatch(db: Database, batch: Batch, options: { maskSecrets?: boolean } = {}): Promise<BatchJson> {
  await expireBeforeRead(db, batch.accountId);
  return tallyBatch(db, batch, options);
}

/**
 * A batch with its progress, as `db` (or the transaction that wrote it) sees it now;
 * `maskSecrets` for a dashboard session.
 */
export async function tallyBatch(db: Db, batch: Batch, options: { maskSecrets?: boolean } = {}): Promise<BatchJson> {
  const tallies = await tallyBatches(db, [batch.id]);
  return serializeBatch(batch, tallies.get(batch.id)!, options);
}

/** A page of the account's batches, newest first, each with its progress. */
export async function loadBatchList(db: Database, { accountId, query, maskSecrets }: { accountId: string; query: ListBatchesQuery; maskSecrets?: boolean }) {
  await expireBeforeRead(db, accountId);
  const { rows, total } = await listBatches(db, { accountId, page: query.page, size: query.size });
  const tallies = await tallyBatches(db, rows.map((row) => row.id));
  return paginatedReply(rows.map((row) => serializeBatch(row, tallies.get(row.id)!, { maskSecrets })), query, total);
}

export type BatchListJson = Awaited<ReturnType<typeof loadBatchList>>;
