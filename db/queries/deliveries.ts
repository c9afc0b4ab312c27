import { sql } from 'drizzle-orm';
import type { Engine } from '@/lib/jobs';
import type { Priority } from '@/lib/queue';
import type { Db } from '../client';

// Reads pg-boss's own table (schema `pgboss`, the default): a delivery is `active` from the
// moment a worker fetches it until its handler returns.

export type OrphanedDelivery = {
  queue: string;
  deliveryId: string;
  jobId: string;
  engine: Engine;
  priority: Priority;
  /** The job's URL and crawl: a crawl page's new delivery is in its host's group. */
  url: string;
  crawlId: string | null;
};

/**
 * Deliveries fetched more than `afterSeconds` ago whose job is still `queued`: the worker that
 * fetched them died between the fetch and its claim (a live worker claims within milliseconds),
 * and pg-boss never retries a delivery (lib/queue.ts), so without help the job would wait until
 * it expires. Uses pg-boss's index on (name, state) over the live deliveries.
 */
export async function findOrphanedDeliveries(db: Db, { queues, afterSeconds, limit = 100 }: { queues: string[]; afterSeconds: number; limit?: number }) {
  return db.execute<OrphanedDelivery>(sql`
    SELECT q.name AS queue, q.id::text AS "deliveryId", j.id AS "jobId", j.engine, j.priority, j.url, j.crawl_id AS "crawlId"
    FROM pgboss.job q
    JOIN jobs j ON j.id = CASE WHEN q.data->>'jobId' ~ '^[0-9a-f-]{36}$' THEN (q.data->>'jobId')::uuid END
    WHERE q.name IN (${sql.join(queues.map((queue) => sql`${queue}`), sql`, `)})
      AND q.state = 'active'
      AND q.started_on < now() - make_interval(secs => ${afterSeconds})
      AND j.status = 'queued'
    LIMIT ${limit}`);
}

/**
 * Locks a queued job (skipping it if another transaction holds it) and tells whether a delivery
 * other than `deliveryId` is still waiting or running for it: false means it has none and needs
 * a new one. Undefined when the job is no longer queued or is locked.
 */
export async function lockQueuedJobDeliveries(db: Db, { jobId, queue, deliveryId }: { jobId: string; queue: string; deliveryId: string }) {
  const [row] = await db.execute<{ hasOther: boolean }>(sql`
    SELECT EXISTS (
      SELECT 1 FROM pgboss.job other
      WHERE other.name = ${queue} AND other.id <> ${deliveryId}::uuid AND other.data->>'jobId' = ${jobId}
        AND other.state IN ('created', 'retry', 'active')
    ) AS "hasOther"
    FROM jobs WHERE id = ${jobId} AND status = 'queued'
    FOR UPDATE OF jobs SKIP LOCKED`);
  return row;
}

/**
 * A job's deliveries that a worker took from the queue and has not finished. For a job whose
 * worker stopped responding (its lease lapsed) they are the dead worker's: pg-boss keeps them
 * `active` until its expiry (an hour, lib/queue.ts), and counts them against a crawl page's group
 * meanwhile. Uses pg-boss's index on (name, state); a queue has few active deliveries.
 */
export async function findActiveDeliveries(db: Db, { queue, jobId }: { queue: string; jobId: string }): Promise<string[]> {
  const rows = await db.execute<{ id: string }>(sql`
    SELECT id::text FROM pgboss.job WHERE name = ${queue} AND state = 'active' AND data->>'jobId' = ${jobId}`);
  return rows.map((row) => row.id);
}

/**
 * The deliveries of a crawl's pages still waiting to be fetched: the first ones and any sent again
 * (a full host's, a hand-back's), found by their group, whose id starts with the crawl's
 * (lib/crawl-groups.ts). Uses pg-boss's index on (name, state) over the live deliveries.
 */
export async function findWaitingCrawlDeliveries(db: Db, { queue, crawlId }: { queue: string; crawlId: string }): Promise<string[]> {
  const rows = await db.execute<{ id: string }>(sql`
    SELECT id::text FROM pgboss.job
    WHERE name = ${queue} AND state IN ('created', 'retry') AND starts_with(group_id, ${`${crawlId}:`})`);
  return rows.map((row) => row.id);
}
