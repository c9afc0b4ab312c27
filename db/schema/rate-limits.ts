import { bigint, doublePrecision, pgTable, text } from 'drizzle-orm/pg-core';
import { ts } from './accounts';

/**
 * Token buckets for rate limits, one row per limited subject (e.g. `create:key:<id>`,
 * `read:account:<id>`). Taken with one atomic UPSERT, so the limit holds across every web
 * instance that shares the database.
 */
export const rateLimitBuckets = pgTable('rate_limit_buckets', {
  key: text('key').primaryKey(),
  tokens: doublePrecision('tokens').notNull(),
  updatedAt: ts('updated_at').notNull(),
  /** Requests this bucket refused (for GET /api/metrics). */
  refused: bigint('refused', { mode: 'number' }).notNull().default(0),
});
