import type { PgBoss } from 'pg-boss';
import type { Database } from '@/db/client';
import { getEnv, type Env } from '@/lib/env';
import { retentionQueue } from '@/lib/queue';
import { retentionSettings, runRetentionPurge } from '@/lib/server/retention';

export type RetentionOptions = Partial<
  Pick<Env, 'RETENTION_LOGS_DAYS' | 'RETENTION_RESULTS_DAYS' | 'RETENTION_SCREENSHOTS_DAYS' | 'RETENTION_EVENTS_DAYS' | 'RETENTION_PURGE_CRON' | 'RETENTION_PURGE_BATCH'>
>;

/**
 * Schedules the daily retention purge and works its queue. Every worker does both: the schedule
 * is one row however many workers write it, pg-boss sends each occurrence once, and the queue's
 * `exclusive` policy runs one purge at a time.
 */
export async function startRetention(
  boss: PgBoss,
  db: Database,
  options: RetentionOptions & { log: (message: string) => void },
): Promise<void> {
  const env = getEnv();
  const settings = retentionSettings({
    RETENTION_LOGS_DAYS: options.RETENTION_LOGS_DAYS ?? env.RETENTION_LOGS_DAYS,
    RETENTION_RESULTS_DAYS: options.RETENTION_RESULTS_DAYS ?? env.RETENTION_RESULTS_DAYS,
    RETENTION_SCREENSHOTS_DAYS: options.RETENTION_SCREENSHOTS_DAYS ?? env.RETENTION_SCREENSHOTS_DAYS,
    RETENTION_EVENTS_DAYS: options.RETENTION_EVENTS_DAYS ?? env.RETENTION_EVENTS_DAYS,
  });
  const batchSize = options.RETENTION_PURGE_BATCH ?? env.RETENTION_PURGE_BATCH;
  const cron = options.RETENTION_PURGE_CRON ?? env.RETENTION_PURGE_CRON;
  await boss.schedule(retentionQueue.name, cron, null, { tz: 'UTC' });
  await boss.work(retentionQueue.name, { pollingIntervalSeconds: 60 }, async () => {
    const run = await runRetentionPurge(db, { settings, batchSize, trigger: 'schedule' });
    options.log(
      `retention purge ${run.id}: ${run.resultsPurged} results (${run.resultsBytes} B), ` +
        `${run.screenshotsPurged} screenshots (${run.screenshotsBytes} B), ${run.logsPurged} log entries (${run.logsBytes} B), ` +
        `${run.eventsPurged} events, ${run.deliveriesPurged} deliveries`,
    );
  });
}
