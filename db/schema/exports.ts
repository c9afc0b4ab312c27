import { bigserial, index, integer, pgTable, text, uuid } from 'drizzle-orm/pg-core';
import { accounts, ts } from './accounts';

/** One row per export started: the rate limit (5 an hour) counts these. */
export const exportEvents = pgTable(
  'export_events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    accountId: uuid('account_id')
      .notNull()
      .references(() => accounts.id),
    format: text('format', { enum: ['csv', 'json'] }).notNull(),
    /** Jobs written to the file (at most the export limit). */
    rows: integer('rows').notNull(),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (table) => [index('export_events_account_idx').on(table.accountId, table.createdAt)],
);

export type ExportEvent = typeof exportEvents.$inferSelect;
