import { desc, gt, sql } from 'drizzle-orm';
import type { Engine } from '@/lib/jobs';
import type { Db } from '../client';
import { workers } from '../schema';

export async function upsertWorkerHeartbeat(
  db: Db,
  values: { id: string; hostname: string; pid: number; engines: Record<Engine, number>; running: number; rssBytes: number; heapBytes: number },
) {
  await db
    .insert(workers)
    .values(values)
    .onConflictDoUpdate({
      target: workers.id,
      set: { heartbeatAt: sql`now()`, running: values.running, rssBytes: values.rssBytes, heapBytes: values.heapBytes },
    });
}

export async function markWorkerStopped(db: Db, id: string) {
  await db.update(workers).set({ stoppedAt: sql`now()`, heartbeatAt: sql`now()`, running: 0 }).where(sql`${workers.id} = ${id}`);
}

/** Rows of workers gone for a day are of no use to anyone; each starting worker clears them. */
export async function deleteOldWorkers(db: Db) {
  await db.delete(workers).where(sql`${workers.heartbeatAt} < now() - interval '1 day'`);
}

/**
 * Workers heard from in the last `withinSeconds`, running ones first; `alive` is a heartbeat within
 * `aliveSeconds`. The heartbeat's age is measured by the database clock, which wrote it.
 */
export async function listRecentWorkers(db: Db, { withinSeconds, aliveSeconds }: { withinSeconds: number; aliveSeconds: number }) {
  return db
    .select({
      id: workers.id,
      hostname: workers.hostname,
      pid: workers.pid,
      startedAt: workers.startedAt,
      heartbeatAt: workers.heartbeatAt,
      stoppedAt: workers.stoppedAt,
      engines: workers.engines,
      running: workers.running,
      rssBytes: workers.rssBytes,
      heapBytes: workers.heapBytes,
      alive: sql<boolean>`(${workers.stoppedAt} IS NULL AND ${workers.heartbeatAt} > now() - make_interval(secs => ${aliveSeconds}))`,
      heartbeatAgeSeconds: sql<number>`greatest(0, floor(extract(epoch FROM now() - ${workers.heartbeatAt})))::int`,
    })
    .from(workers)
    .where(gt(workers.heartbeatAt, sql`now() - make_interval(secs => ${withinSeconds})`))
    .orderBy(sql`${workers.stoppedAt} IS NULL DESC`, desc(workers.heartbeatAt));
}

