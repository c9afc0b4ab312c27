import { sql } from 'drizzle-orm';
import { index, integer, jsonb, pgTable, text, uuid } from 'drizzle-orm/pg-core';
import type { Engine } from '@/lib/jobs';
import type { Priority } from '@/lib/queue';
import type { JobConfig } from '@/lib/schemas/jobs';
import { accounts, apiKeys, ts } from './accounts';

/**
 * Many URLs submitted at once with shared options: one job per URL (jobs.batch_id), each run and
 * charged on its own. Progress is counted from the jobs; `completedAt` is set once, when the last
 * job reaches a terminal state, and is what `batch.completed` is sent for.
 */
export const batches = pgTable(
  'batches',
  {
    id: uuid('id').primaryKey(),
    accountId: uuid('account_id')
      .notNull()
      .references(() => accounts.id),
    apiKeyId: uuid('api_key_id')
      .notNull()
      .references(() => apiKeys.id),
    name: text('name'),
    tags: text('tags').array().notNull().default(sql`'{}'::text[]`),
    priority: text('priority').$type<Priority>().notNull().default('normal'),
    engine: text('engine').$type<Engine>().notNull(),
    /** The options shared by every job of the batch. */
    config: jsonb('config').$type<JobConfig>().notNull(),
    /** How many jobs (URLs) the batch was created with. */
    total: integer('total').notNull(),
    webhookUrl: text('webhook_url'),
    createdAt: ts('created_at').notNull().defaultNow(),
    cancelledAt: ts('cancelled_at'),
    completedAt: ts('completed_at'),
    deletedAt: ts('deleted_at'),
  },
  (table) => [index('batches_account_created_idx').on(table.accountId, table.createdAt.desc())],
);

export type Batch = typeof batches.$inferSelect;
