import { sql } from 'drizzle-orm';
import type { Engine } from '@/lib/jobs';
import type { Db } from '../client';

/** An account's queued and processing jobs per engine, with the age of the oldest queued one. */
export async function queueCountsByEngine(db: Db, accountId: string) {
  return db.execute<{ engine: Engine; queued: number; processing: number; oldestQueuedAgeSeconds: number | null }>(sql`
    SELECT engine,
      count(*) FILTER (WHERE status = 'queued')::int AS queued,
      count(*) FILTER (WHERE status = 'processing')::int AS processing,
      floor(extract(epoch FROM now() - min(created_at) FILTER (WHERE status = 'queued')))::int AS "oldestQueuedAgeSeconds"
    FROM jobs
    WHERE account_id = ${accountId} AND status IN ('queued', 'processing') AND deleted_at IS NULL
    GROUP BY engine`);
}

/** An account's jobs that completed or failed in the last `minutes`. */
export async function countRecentlyFinished(db: Db, { accountId, minutes }: { accountId: string; minutes: number }) {
  const [row] = await db.execute<{ n: number }>(sql`
    SELECT count(*)::int AS n FROM jobs
    WHERE account_id = ${accountId} AND status IN ('completed', 'failed')
      AND finished_at > now() - make_interval(mins => ${minutes})`);
  return row.n;
}
