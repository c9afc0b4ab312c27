import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { PgBoss, fromDrizzle } from 'pg-boss';
import { preparedQueueDb, queueConnectionOptions, type Transaction } from '@/db/client';
import { findCrawl } from '@/db/queries/crawls';
import type { Crawl, Job } from '@/db/schema';
import { crawlPageGroup } from '@/lib/crawl-groups';
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
  { jobId, engine, priority = 'normal', boss }: { jobId: string; engine: Engine; priority?: Priority; boss?: PgBoss },
): Promise<void> {
  boss ??= await getProducerBoss();
  await boss.send(queueNames[engine], { jobId }, { id: jobId, priority: priorityValues[priority], db: preparedQueueDb(tx) });
}

/**
 * Sends a queued job's delivery again, under a new id (the first may still be active): a job
 * handed back by a worker shutting down, a lost worker's job, an orphaned delivery, a crawl page
 * whose host was full when it was claimed. A crawl page's delivery is in its host's group again,
 * with its crawl's tier, as its first was: without it the per-host limit would not hold for the
 * page. The crawl row is only read, never locked: callers hold the job's row, and the crawl row is
 * locked before job rows (cancel, discovery), never after.
 */
export async function redeliverJob(
  tx: Transaction,
  {
    job,
    crawl,
    startAfter,
    boss,
  }: { job: Pick<Job, 'id' | 'engine' | 'priority' | 'url' | 'crawlId'>; crawl?: Pick<Crawl, 'id' | 'options'>; startAfter?: Date; boss?: PgBoss },
): Promise<void> {
  boss ??= await getProducerBoss();
  crawl ??= job.crawlId ? await findCrawl(tx, job.crawlId) : undefined;
  const group = crawl ? crawlPageGroup({ crawlId: crawl.id, concurrencyPerHost: crawl.options.concurrencyPerHost, url: job.url }) : undefined;
  await boss.send(
    queueNames[job.engine],
    { jobId: job.id },
    { id: randomUUID(), priority: priorityValues[job.priority], ...(group ? { group } : {}), ...(startAfter ? { startAfter } : {}), db: preparedQueueDb(tx) },
  );
}

/** Removes a still-queued delivery; a delivery already fetched is ignored by the worker anyway. */
export async function dequeueScrape(tx: Transaction, { jobId, engine }: { jobId: string; engine: Engine }) {
  const boss = await getProducerBoss();
  await boss.cancel(queueNames[engine], jobId, { db: fromDrizzle(tx, sql) });
}
