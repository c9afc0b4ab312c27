import { sql } from 'drizzle-orm';
import { index, jsonb, pgTable, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import type { ScheduleOverlap, ScheduleRunOutcome, ScheduleTarget } from '@/lib/schemas/schedules';
import { accounts, apiKeys, ts } from './accounts';
import { crawls } from './crawls';

/**
 * A job, batch or crawl definition (`target`) started on a cron expression in an IANA time zone.
 * `nextRunAt` is the next scheduled time, moved on by the run that claims the current one.
 * `apiKeyId` is the key its runs use; null for a dashboard-made schedule, whose runs use the
 * account's default key as a dashboard job does.
 */
export const schedules = pgTable(
  'schedules',
  {
    id: uuid('id').primaryKey(),
    accountId: uuid('account_id')
      .notNull()
      .references(() => accounts.id),
    apiKeyId: uuid('api_key_id').references(() => apiKeys.id),
    name: text('name').notNull(),
    cron: text('cron').notNull(),
    timezone: text('timezone').notNull().default('UTC'),
    overlap: text('overlap').$type<ScheduleOverlap>().notNull().default('skip'),
    target: jsonb('target').$type<ScheduleTarget>().notNull(),
    nextRunAt: ts('next_run_at').notNull(),
    pausedAt: ts('paused_at'),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (table) => [
    index('schedules_account_created_idx').on(table.accountId, table.createdAt.desc()),
    // What every worker's trigger loop reads.
    index('schedules_due_idx').on(table.nextRunAt).where(sql`${table.pausedAt} IS NULL`),
  ],
);

export type Schedule = typeof schedules.$inferSelect;

/** One row per schedule and scheduled time, whatever became of it (created, skipped, refused). */
export const scheduleRuns = pgTable(
  'schedule_runs',
  {
    id: uuid('id').primaryKey(),
    scheduleId: uuid('schedule_id')
      .notNull()
      .references(() => schedules.id, { onDelete: 'cascade' }),
    accountId: uuid('account_id')
      .notNull()
      .references(() => accounts.id),
    scheduledFor: ts('scheduled_for').notNull(),
    ranAt: ts('ran_at').notNull().defaultNow(),
    outcome: text('outcome').$type<ScheduleRunOutcome>().notNull(),
    reason: text('reason'),
    jobId: uuid('job_id'),
    batchId: uuid('batch_id'),
    crawlId: uuid('crawl_id').references(() => crawls.id, { onDelete: 'set null' }),
  },
  (table) => [uniqueIndex('schedule_runs_schedule_time_unique').on(table.scheduleId, table.scheduledFor)],
);

export type ScheduleRun = typeof scheduleRuns.$inferSelect;
