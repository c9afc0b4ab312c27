import { bigint, bigserial, integer, pgTable, text } from 'drizzle-orm/pg-core';
import { ts } from './accounts';

const count = (name: string) => bigint(name, { mode: 'number' }).notNull().default(0);

/** One row per retention purge (spec section 11): what it removed, for operators. */
export const purgeRuns = pgTable('purge_runs', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  /** `schedule` (the daily pg-boss job) or `manual` (npm run admin -- purge-now). */
  trigger: text('trigger', { enum: ['schedule', 'manual'] }).notNull(),
  startedAt: ts('started_at').notNull().defaultNow(),
  finishedAt: ts('finished_at'),
  logsDays: integer('logs_days').notNull(),
  resultsDays: integer('results_days').notNull(),
  screenshotsDays: integer('screenshots_days').notNull(),
  eventsDays: integer('events_days').notNull().default(30),
  /** Rows newly marked purged by this run. */
  resultsMarked: count('results_marked'),
  screenshotsMarked: count('screenshots_marked'),
  logsJobsMarked: count('logs_jobs_marked'),
  /** Rows whose bytes this run deleted, and those bytes. */
  resultsPurged: count('results_purged'),
  resultsBytes: count('results_bytes'),
  screenshotsPurged: count('screenshots_purged'),
  screenshotsBytes: count('screenshots_bytes'),
  logsPurged: count('logs_purged'),
  logsBytes: count('logs_bytes'),
  /** Webhook event log rows and settled deliveries (with their attempts) older than eventsDays. */
  eventsPurged: count('events_purged'),
  deliveriesPurged: count('deliveries_purged'),
  error: text('error'),
});

export type PurgeRun = typeof purgeRuns.$inferSelect;
