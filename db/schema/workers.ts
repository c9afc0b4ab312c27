import { bigint, integer, jsonb, pgTable, text } from 'drizzle-orm/pg-core';
import type { Engine } from '@/lib/jobs';
import { ts } from './accounts';

/** One row per worker process, upserted by its heartbeat; "alive" means a recent heartbeat. */
export const workers = pgTable('workers', {
  id: text('id').primaryKey(),
  hostname: text('hostname').notNull(),
  pid: integer('pid').notNull(),
  startedAt: ts('started_at').notNull().defaultNow(),
  heartbeatAt: ts('heartbeat_at').notNull().defaultNow(),
  /** Concurrency per engine, as configured. */
  engines: jsonb('engines').$type<Record<Engine, number>>().notNull(),
  /** Jobs running at the last heartbeat. */
  running: integer('running').notNull().default(0),
  rssBytes: bigint('rss_bytes', { mode: 'number' }).notNull().default(0),
  heapBytes: bigint('heap_bytes', { mode: 'number' }).notNull().default(0),
  stoppedAt: ts('stopped_at'),
});

export type WorkerRow = typeof workers.$inferSelect;
