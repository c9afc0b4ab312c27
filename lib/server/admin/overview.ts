import type { Database } from '@/db/client';
import { listPurgeRuns } from '@/db/queries/retention';
import type { PurgeRun } from '@/db/schema';
import { queueSnapshot, serializeWorker } from '@/lib/server/queue-stats';

const workerListSeconds = 60 * 60;
const purgeRunsShown = 10;

export function serializePurgeRun(run: PurgeRun) {
  return {
    id: run.id,
    trigger: run.trigger,
    startedAt: run.startedAt.toISOString(),
    finishedAt: run.finishedAt?.toISOString() ?? null,
    retentionDays: { logs: run.logsDays, results: run.resultsDays, screenshots: run.screenshotsDays, events: run.eventsDays },
    marked: { results: run.resultsMarked, screenshots: run.screenshotsMarked, logsJobs: run.logsJobsMarked },
    purged: {
      results: { rows: run.resultsPurged, bytes: run.resultsBytes },
      screenshots: { rows: run.screenshotsPurged, bytes: run.screenshotsBytes },
      logs: { rows: run.logsPurged, bytes: run.logsBytes },
      events: { rows: run.eventsPurged },
      deliveries: { rows: run.deliveriesPurged },
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
  const [queue, purges] = await Promise.all([
    queueSnapshot(db, { accountId: null, workerListSeconds }),
    listPurgeRuns(db, { limit: purgeRunsShown }),
  ]);
  return {
    queue: queue.engines,
    jobsPerMinute: queue.jobsPerMinute,
    workers: queue.workers.map(serializeWorker),
    stuckJobs: queue.stuckJobs,
    purges: purges.map(serializePurgeRun),
  };
}

export type AdminOverviewJson = Awaited<ReturnType<typeof adminOverview>>;
