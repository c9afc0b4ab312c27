import type { Database } from '@/db/client';
import { countRecentlyFinished, queueCountsByEngine, recoveryCounts } from '@/db/queries/queue-stats';
import { listRecentWorkers } from '@/db/queries/workers';
import { engines } from '@/lib/jobs';

/** A worker is alive while its heartbeat (every 5 s) is at most this old. */
export const workerAliveSeconds = 15;
/** Workers heard from within this long are listed, so one that just stopped still shows. */
const workerListSeconds = 10 * 60;
const throughputMinutes = 5;

export type WorkerStatus = 'alive' | 'gone' | 'stopped';

/** alive: heart-beating; stopped: shut down cleanly (its jobs handed back); gone: its heartbeat stopped (killed, hung, cut off). */
export function workerStatus(worker: { alive: boolean; stoppedAt: Date | null }): WorkerStatus {
  if (worker.alive) return 'alive';
  return worker.stoppedAt ? 'stopped' : 'gone';
}

type RecentWorker = Awaited<ReturnType<typeof listRecentWorkers>>[number];

/** A worker as both queue views show it. */
export function serializeWorker(worker: RecentWorker) {
  return {
    id: worker.id,
    hostname: worker.hostname,
    pid: worker.pid,
    status: workerStatus(worker),
    heartbeatAgeSeconds: worker.heartbeatAgeSeconds,
    running: worker.running,
    concurrency: worker.engines,
    rssBytes: worker.rssBytes,
    heapBytes: worker.heapBytes,
    startedAt: worker.startedAt.toISOString(),
    heartbeatAt: worker.heartbeatAt.toISOString(),
    stoppedAt: worker.stoppedAt?.toISOString() ?? null,
  };
}

/**
 * The queue of one account, or of every account with a null accountId: queued and processing jobs
 * per engine, the throughput, the jobs waiting for recovery from a lost worker, and the workers
 * heard from within `workerListSeconds` (operational, shared by every account: they carry no
 * account data).
 */
export async function queueSnapshot(db: Database, { accountId, workerListSeconds }: { accountId: string | null; workerListSeconds: number }) {
  const [counts, finished, workers, recovery] = await Promise.all([
    queueCountsByEngine(db, accountId),
    countRecentlyFinished(db, { accountId, minutes: throughputMinutes }),
    listRecentWorkers(db, { withinSeconds: workerListSeconds, aliveSeconds: workerAliveSeconds }),
    recoveryCounts(db, { accountId, aliveSeconds: workerAliveSeconds }),
  ]);
  const byEngine = new Map(counts.map((row) => [row.engine, row]));
  return {
    engines: engines.map((engine) => ({
      engine,
      queued: byEngine.get(engine)?.queued ?? 0,
      processing: byEngine.get(engine)?.processing ?? 0,
      oldestQueuedAgeSeconds: byEngine.get(engine)?.oldestQueuedAgeSeconds ?? null,
    })),
    jobsPerMinute: Math.round((finished / throughputMinutes) * 100) / 100,
    workers,
    stuckJobs: { count: recovery.stuck, oldestLeaseExpiredSeconds: recovery.oldestLeaseExpiredSeconds },
    recoveringJobs: { count: recovery.recovering, withinSeconds: recovery.recoveringWithinSeconds },
  };
}

/** GET /api/v1/stats/queue: the account's queue, and the workers of the last 10 minutes. */
export async function queueStats(db: Database, accountId: string) {
  const queue = await queueSnapshot(db, { accountId, workerListSeconds });
  return {
    engines: queue.engines,
    jobsPerMinute: queue.jobsPerMinute,
    workers: queue.workers.map((worker) => ({ ...serializeWorker(worker), alive: worker.alive })),
    stuckJobs: queue.stuckJobs,
    recoveringJobs: queue.recoveringJobs,
  };
}

export type QueueStatsJson = Awaited<ReturnType<typeof queueStats>>;
