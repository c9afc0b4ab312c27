import { sql } from 'drizzle-orm';
import { PgBoss, fromDrizzle } from 'pg-boss';
import { preparedQueueDb, queueConnectionOptions, type Transaction } from '@/db/client';
import { getEnv } from '@/lib/env';
import { log } from '@/lib/log';
import { priorityValues, queueNames, type Priority } from '@/lib/queue';
import type { Engine } from '@/lib/jobs';

// The producer side of the queue, used by the web app. It never runs maintenance or
// schedules (those belong to the worker), so it is safe inside serverless functions.

const globalForBoss = globalThis as unknown as { scrapifieBoss?: Promise<PgBoss> };

export function getProducerBoss(): Promise<PgBoss> {
  globalForBoss.scrapifieBoss ??= (async () => {
    const env = getEnv();
    const boss = new PgBoss({
      connectionString: env.DATABASE_URL,
      ...queueConnectionOptions(),
      max: 2,
      supervise: false,
      schedule: false,
      migrate: false,
      createSchema: false,
      registerInstance: false,
    });
    boss.on('error', (error) => log.error('queue error', { err: error }));
    await boss.start();
    return boss;
  })().catch((error) => {
    globalForBoss.scrapifieBoss = undefined;
    throw error;
  });
  return globalForBoss.scrapifieBoss;
}

export async function stopProducerBoss(): Promise<void> {
  const pending = globalForBoss.scrapifieBoss;
  globalForBoss.scrapifieBoss = undefined;
  await (await pending?.catch(() => undefined))?.stop({ graceful: false, timeout: 2000 });
}

/**
 * Enqueues a scrape inside the caller's transaction, so a job row and its queue entry are
 * committed together or not at all.
 */
export async function enqueueScrape(
  tx: Transaction,
  {
    jobId,
    engine,
    priority = 'normal',
    queueJobId = jobId,
    boss,
  }: { jobId: string; engine: Engine; priority?: Priority; queueJobId?: string; boss?: PgBoss },
): Promise<void> {
  boss ??= await getProducerBoss();
  await boss.send(queueNames[engine], { jobId }, { id: queueJobId, priority: priorityValues[priority], db: preparedQueueDb(tx) });
}

/** Removes a still-queued delivery; a delivery already fetched is ignored by the worker anyway. */
export async function dequeueScrape(tx: Transaction, { jobId, engine }: { jobId: string; engine: Engine }) {
  const boss = await getProducerBoss();
  await boss.cancel(queueNames[engine], jobId, { db: fromDrizzle(tx, sql) });
}
