import type { Database } from '@/db/client';
import { countFinishedAllAccounts, queueCountsAllAccounts, stuckJobStats } from '@/db/queries/admin';
import { listPurgeRuns } from '@/db/queries/retention';
import { listRecentWorkers } from '@/db/queries/workers';
import type { PurgeRun } from '@/db/schema';
import { engines } from '@/lib/jobs';
import { workerAliveSeconds } from '@/lib/server/queue-stats';

const workerListSeconds = 60 * 60;
const throughputMinutes = 5;
const purgeRunsShown = 10;

export function serializePurgeRun(run: PurgeRun) {
  return {
    id: run.id,
    trigger: run.trigger,
    startedAt: run.startedAt.toISOString(),
    finishedAt: run.finishedAt?.toISOString() ?? null,
    retentionDays: { logs: run.logsDays, results: run.resultsDays, screenshots: run.screenshotsDays },
    marked: { results: run.resultsMarked, screenshots: run.screenshotsMarked, logsJobs: run.logsJobsMarked },
    purged: {
      results: { rows: run.resultsPurged, bytes: run.resultsBytes },
      screenshots: { rows: run.screenshotsPurged, bytes: run.screenshotsBytes },
      logs: { rows: run.logsPurged, bytes: run.logsBytes },
    },
    error: run.error,
  };
}

/**
 * GET /api/v1/admin/overview: the whole queue (every account) per engine, throughput, the workers
 * heard from in the last hour (alive, or gone when their heartbeat stopped), jobs stuck in
 * processing with a lapsed lease, and the latest retention purges.
 */
export async function adminOverview(db: Database) {
  const [counts, finished, workers, stuck, purges] = await Promise.all([
    queueCountsAllAccounts(db),
    countFinishedAllAccounts(db, throughputMinutes),
    listRecentWorkers(db, { withinSeconds: workerListSeconds, aliveSeconds: workerAliveSeconds }),
    stuckJobStats(db),
    listPurgeRuns(db, { limit: purgeRunsShown }),
  ]);
  const byEngine = new Map(counts.map((row) => [row.engine, row]));
  const now = Date.now();
  return {
    queue: engines.map((engine) => ({
      engine,
      queued: byEngine.get(engine)?.queued ?? 0,
      processing: byEngine.get(engine)?.processing ?? 0,
      oldestQueuedAgeSeconds: byEngine.get(engine)?.oldestQueuedAgeSeconds ?? null,
    })),
    jobsPerMinute: Math.round((finished / throughputMinutes) * 100) / 100,
    workers: workers.map((worker) => ({
      id: worker.id,
      hostname: worker.hostname,
      pid: worker.pid,
      status: worker.alive ? ('alive' as const) : worker.stoppedAt ? ('stopped' as const) : ('gone' as const),
      heartbeatAgeSeconds: Math.max(0, Math.floor((now - worker.heartbeatAt.getTime()) / 1000)),
      running: worker.running,
      concurrency: worker.engines,
      rssBytes: worker.rssBytes,
      heapBytes: worker.heapBytes,
      startedAt: worker.startedAt.toISOString(),
      heartbeatAt: worker.heartbeatAt.toISOString(),
      stoppedAt: worker.stoppedAt?.toISOString() ?? null,
    })),
    stuckJobs: stuck,
    purges: purges.map(serializePurgeRun),
  };
}

export type AdminOverviewJson = Awaited<ReturnType<typeof adminOverview>>;
