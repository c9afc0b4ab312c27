import { sql } from 'drizzle-orm';
import type { Engine } from '@/lib/jobs';
import type { Db } from '../client';
import { queuedWaitStart } from '../schema';

// The queue's numbers for one account (GET /api/v1/stats/queue) or, with a null accountId, for
// every account (the admin overview).

function ofAccount(column: string, accountId: string | null) {
  return accountId === null ? sql`TRUE` : sql`${sql.raw(column)} = ${accountId}`;
}

/**
 * Queued and processing jobs per engine, with the wait of the oldest queued one, counted as expiry
 * counts it: from a spaced crawl page's scheduled start, 0 while every page is ahead of it.
 */
export async function queueCountsByEngine(db: Db, accountId: string | null) {
  return db.execute<{ engine: Engine; queued: number; processing: number; oldestQueuedAgeSeconds: number | null }>(sql`
    SELECT engine,
      count(*) FILTER (WHERE status = 'queued')::int AS queued,
      count(*) FILTER (WHERE status = 'processing')::int AS processing,
      floor(extract(epoch FROM now() - min(least(${queuedWaitStart}, now())) FILTER (WHERE status = 'queued')))::int AS "oldestQueuedAgeSeconds"
    FROM jobs
    WHERE ${ofAccount('account_id', accountId)} AND status IN ('queued', 'processing') AND deleted_at IS NULL
    GROUP BY engine`);
}

/** Jobs that completed or failed in the last `minutes`. */
export async function countRecentlyFinished(db: Db, { accountId, minutes }: { accountId: string | null; minutes: number }) {
  const [row] = await db.execute<{ n: number }>(sql`
    SELECT count(*)::int AS n FROM jobs
    WHERE ${ofAccount('account_id', accountId)} AND status IN ('completed', 'failed')
      AND finished_at > now() - make_interval(mins => ${minutes})`);
  return row.n;
}

/**
 * Processing jobs that wait for recovery. `stuck`: the lease lapsed (the worker
 * stopped renewing it) and no sweeper has given the job its next attempt yet; a count that stays
 * above zero means no worker is alive to sweep. `recovering`: the job's worker is gone (no
 * heartbeat within `aliveSeconds`) or stopped, but the lease still runs; `recoveringWithinSeconds`
 * is when the last of those leases lapses.
 */
export async function recoveryCounts(db: Db, { accountId, aliveSeconds }: { accountId: string | null; aliveSeconds: number }) {
  const [row] = await db.execute<{
    stuck: number;
    oldestLeaseExpiredSeconds: number | null;
    recovering: number;
    recoveringWithinSeconds: number | null;
  }>(sql`
    SELECT
      count(*) FILTER (WHERE j.lease_expires_at < now())::int AS stuck,
      floor(extract(epoch FROM now() - min(j.lease_expires_at) FILTER (WHERE j.lease_expires_at < now())))::int AS "oldestLeaseExpiredSeconds",
      count(*) FILTER (WHERE j.lease_expires_at >= now())::int AS recovering,
      ceil(extract(epoch FROM max(j.lease_expires_at) FILTER (WHERE j.lease_expires_at >= now()) - now()))::int AS "recoveringWithinSeconds"
    FROM jobs j
    LEFT JOIN workers w ON w.id = j.worker_id
    WHERE ${ofAccount('j.account_id', accountId)} AND j.status = 'processing' AND j.deleted_at IS NULL
      AND (
        j.lease_expires_at < now()
        OR w.id IS NULL
        OR w.stopped_at IS NOT NULL
        OR w.heartbeat_at < now() - make_interval(secs => ${aliveSeconds})
      )`);
  return row;
}
