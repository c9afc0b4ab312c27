import { sql } from 'drizzle-orm';
import { fromDrizzle, type PgBoss } from 'pg-boss';
import type { Transaction } from '@/db/client';
import type { Engine } from '@/lib/jobs';
import { priorityValues, queueNames, type Priority } from '@/lib/queue';
import { getProducerBoss } from '@/lib/server/queue';

// The queue side of a batch: many entries in one statement, inside the caller's transaction,
// the way enqueueScrape and dequeueScrape (lib/server/queue.ts) do it for one job.

/** Queues every job of a batch with one multi-row insert; committed with the job rows or not at all. */
export async function enqueueScrapes(
  tx: Transaction,
  { jobIds, engine, priority, boss }: { jobIds: string[]; engine: Engine; priority: Priority; boss?: PgBoss },
): Promise<void> {
  if (jobIds.length === 0) return;
  boss ??= await getProducerBoss();
  await boss.insert(
    queueNames[engine],
    jobIds.map((jobId) => ({ id: jobId, data: { jobId }, priority: priorityValues[priority] })),
    { db: fromDrizzle(tx, sql) },
  );
}

/** Removes still-queued deliveries of many jobs at once; one a worker already fetched is ignored by it anyway. */
export async function dequeueScrapes(tx: Transaction, { jobIds, engine }: { jobIds: string[]; engine: Engine }): Promise<void> {
  if (jobIds.length === 0) return;
  const boss = await getProducerBoss();
  await boss.cancel(queueNames[engine], jobIds, { db: fromDrizzle(tx, sql) });
}
