import { jsonb, pgTable, uuid } from 'drizzle-orm/pg-core';
import type { JobDefaults } from '@/lib/schemas/jobs';
import { accounts, ts } from './accounts';

/** The create-job form's remembered choices, one row per account (spec 002, UserJobDefaults). */
export const jobDefaults = pgTable('job_defaults', {
  accountId: uuid('account_id')
    .primaryKey()
    .references(() => accounts.id),
  defaults: jsonb('defaults').$type<JobDefaults>().notNull(),
  updatedAt: ts('updated_at').notNull().defaultNow(),
});

export type JobDefaultsRow = typeof jobDefaults.$inferSelect;
