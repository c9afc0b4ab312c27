import { hostname } from 'node:os';
import type { Database } from '@/db/client';
import { deleteOldWorkers, markWorkerStopped, upsertWorkerHeartbeat } from '@/db/queries/workers';
import type { Engine } from '@/lib/jobs';
import { log } from '@/lib/log';

export const defaultHeartbeatMs = 5000;
const retryAfterFailureMs = 1000;

/**
 * Records this worker in the `workers` table now and every `intervalMs`: its concurrency, the
 * jobs it runs and its memory, for GET /api/v1/stats/queue. `stop` marks it stopped.
 */
export async function startHeartbeat(
  db: Database,
  { id, concurrency, running, intervalMs = defaultHeartbeatMs }: { id: string; concurrency: Record<Engine, number>; running: () => number; intervalMs?: number },
) {
  const beat = () => {
    const memory = process.memoryUsage();
    return upsertWorkerHeartbeat(db, {
      id,
      hostname: hostname(),
      pid: process.pid,
      engines: concurrency,
      running: running(),
      rssBytes: memory.rss,
      heapBytes: memory.heapUsed,
    });
  };
  await beat();
  let lastBeatAt = Date.now();
  await deleteOldWorkers(db);
  // After a failed beat (the database away), the next one comes within a second, so the worker
  // shows up again as soon as the database is back rather than up to a whole interval later.
  let beating: Promise<void> | undefined;
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  const schedule = (delayMs: number) => {
    if (stopped) return;
    timer = setTimeout(() => {
      beating = beat()
        .then(() => {
          lastBeatAt = Date.now();
          schedule(intervalMs);
        })
        .catch((error) => {
          log.error('heartbeat failed', { workerId: id, err: error });
          schedule(Math.min(retryAfterFailureMs, intervalMs));
        })
        .finally(() => (beating = undefined));
    }, delayMs);
  };
  schedule(intervalMs);
  return {
    /** When a heartbeat was last written: the worker's health endpoint judges the database by it. */
    lastBeatAt: () => lastBeatAt,
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await beating;
      await markWorkerStopped(db, id);
    },
  };
}
