import type { Db } from '@/db/client';
import {
  deleteExpiredDeliveries,
  deleteExpiredEvents,
  deleteMarkedLogs,
  deleteMarkedResults,
  insertPurgeRun,
  markExpiredLogs,
  markExpiredResults,
  updatePurgeRun,
} from '@/db/queries/retention';
import type { PurgeRun } from '@/db/schema';
import { getEnv, type Env } from '@/lib/env';
import { maxLogEntriesPerJob } from '@/lib/jobs';
import type { RetentionSettings } from '@/lib/retention';

export function retentionSettings(
  env: Pick<Env, 'RETENTION_LOGS_DAYS' | 'RETENTION_RESULTS_DAYS' | 'RETENTION_SCREENSHOTS_DAYS' | 'RETENTION_EVENTS_DAYS'> = getEnv(),
): RetentionSettings {
  return {
    logsDays: env.RETENTION_LOGS_DAYS,
    resultsDays: env.RETENTION_RESULTS_DAYS,
    screenshotsDays: env.RETENTION_SCREENSHOTS_DAYS,
    eventsDays: env.RETENTION_EVENTS_DAYS,
  };
}

/**
 * One retention purge (spec section 11). First it marks what expired: results and screenshots by
 * when they were stored, logs by their job's age; marked data is unavailable from that moment.
 * Then it deletes the bytes in batches of `batchSize` rows, which also clears what deleted jobs
 * left marked, and the webhook event log and settled deliveries past their age. Job rows are never deleted. The run and its figures are recorded in purge_runs.
 */
export async function runRetentionPurge(
  db: Db,
  { settings, batchSize, trigger }: { settings: RetentionSettings; batchSize: number; trigger: PurgeRun['trigger'] },
): Promise<PurgeRun> {
  const run = await insertPurgeRun(db, {
    trigger,
    logsDays: settings.logsDays,
    resultsDays: settings.resultsDays,
    screenshotsDays: settings.screenshotsDays,
    eventsDays: settings.eventsDays,
  });
  const figures = {
    resultsMarked: 0,
    screenshotsMarked: 0,
    logsJobsMarked: 0,
    resultsPurged: 0,
    resultsBytes: 0,
    screenshotsPurged: 0,
    screenshotsBytes: 0,
    logsPurged: 0,
    logsBytes: 0,
    eventsPurged: 0,
    deliveriesPurged: 0,
  };
  try {
    figures.resultsMarked = await markExpiredResults(db, { kind: 'content', days: settings.resultsDays });
    // A job's extracted document expires with its result (the change hashes stay).
    await markExpiredResults(db, { kind: 'extracted', days: settings.resultsDays });
    figures.screenshotsMarked = await markExpiredResults(db, { kind: 'screenshot', days: settings.screenshotsDays });
    figures.logsJobsMarked = await markExpiredLogs(db, { days: settings.logsDays });

    for (;;) {
      const batch = await deleteMarkedResults(db, { limit: batchSize });
      figures.resultsPurged += batch.content.rows;
      figures.resultsBytes += batch.content.bytes;
      figures.screenshotsPurged += batch.screenshot.rows;
      figures.screenshotsBytes += batch.screenshot.bytes;
      if (batch.content.rows + batch.screenshot.rows < batchSize) break;
    }
    // A job holds at most 200 log entries, so this many jobs make a batch of at most batchSize rows.
    const jobsPerBatch = Math.max(1, Math.floor(batchSize / maxLogEntriesPerJob));
    for (;;) {
      const batch = await deleteMarkedLogs(db, { jobs: jobsPerBatch });
      figures.logsPurged += batch.rows;
      figures.logsBytes += batch.bytes;
      if (batch.jobs < jobsPerBatch) break;
    }
    for (;;) {
      const rows = await deleteExpiredEvents(db, { days: settings.eventsDays, limit: batchSize });
      figures.eventsPurged += rows;
      if (rows < batchSize) break;
    }
    for (;;) {
      const rows = await deleteExpiredDeliveries(db, { days: settings.eventsDays, limit: batchSize });
      figures.deliveriesPurged += rows;
      if (rows < batchSize) break;
    }
    return await updatePurgeRun(db, run.id, { ...figures, finishedAt: new Date() });
  } catch (error) {
    await updatePurgeRun(db, run.id, { ...figures, finishedAt: new Date(), error: error instanceof Error ? error.message : String(error) });
    throw error;
  }
}
