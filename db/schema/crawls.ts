import { sql } from 'drizzle-orm';
import { index, integer, jsonb, pgTable, primaryKey, text, uuid } from 'drizzle-orm/pg-core';
import type { Engine } from '@/lib/jobs';
import type { Priority } from '@/lib/queue';
import type { CrawlMode, CrawlOptions, CrawlSkipReason } from '@/lib/schemas/crawls';
import type { JobConfig } from '@/lib/schemas/jobs';
import { accounts, apiKeys, ts } from './accounts';

/**
 * A crawl: a start URL, its limits and the options every page job runs with. Every page fetched is
 * an ordinary job (jobs.crawl_id). `queued` counts the page jobs created (never beyond maxPages:
 * it is raised under the row's lock in the statement that decides what to enqueue), `discovered`
 * the URLs seen, `skipped` those not fetched. `completedAt` is set once, when the last page job is
 * terminal, and is what `crawl.completed` is sent for.
 */
export const crawls = pgTable(
  'crawls',
  {
    id: uuid('id').primaryKey(),
    accountId: uuid('account_id')
      .notNull()
      .references(() => accounts.id),
    apiKeyId: uuid('api_key_id')
      .notNull()
      .references(() => apiKeys.id),
    startUrl: text('start_url').notNull(),
    mode: text('mode').$type<CrawlMode>().notNull().default('crawl'),
    engine: text('engine').$type<Engine>().notNull(),
    config: jsonb('config').$type<JobConfig>().notNull(),
    options: jsonb('options').$type<CrawlOptions>().notNull(),
    name: text('name'),
    tags: text('tags').array().notNull().default(sql`'{}'::text[]`),
    priority: text('priority').$type<Priority>().notNull().default('normal'),
    webhookUrl: text('webhook_url'),
    /** Passed on to every page job (a schedule's run). */
    scheduleId: uuid('schedule_id'),
    changeSeries: text('change_series'),
    maxPages: integer('max_pages').notNull(),
    discovered: integer('discovered').notNull().default(0),
    queued: integer('queued').notNull().default(0),
    skipped: integer('skipped').notNull().default(0),
    /** The earliest start of the next page job: pages are spaced by the politeness delay. */
    nextStartAt: ts('next_start_at').notNull().defaultNow(),
    /** Why discovery stopped before the crawl ran out of links (credits ran out). */
    stopReason: text('stop_reason'),
    createdAt: ts('created_at').notNull().defaultNow(),
    stoppedAt: ts('stopped_at'),
    cancelledAt: ts('cancelled_at'),
    completedAt: ts('completed_at'),
    deletedAt: ts('deleted_at'),
  },
  (table) => [
    index('crawls_account_created_idx').on(table.accountId, table.createdAt.desc()),
    index('crawls_unfinished_idx').on(table.createdAt).where(sql`${table.completedAt} IS NULL`),
  ],
);

export type Crawl = typeof crawls.$inferSelect;

/** Every URL a crawl has seen, once (the primary key): fetched as a job, or skipped with a reason. */
export const crawlUrls = pgTable(
  'crawl_urls',
  {
    crawlId: uuid('crawl_id')
      .notNull()
      .references(() => crawls.id, { onDelete: 'cascade' }),
    url: text('url').notNull(),
    depth: integer('depth').notNull(),
    /** Order of discovery within the crawl (the ledger's order). */
    seq: integer('seq').notNull(),
    jobId: uuid('job_id'),
    parentUrl: text('parent_url'),
    skipReason: text('skip_reason').$type<CrawlSkipReason>(),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (table) => [primaryKey({ columns: [table.crawlId, table.url] }), index('crawl_urls_seq_idx').on(table.crawlId, table.seq)],
);

export type CrawlUrl = typeof crawlUrls.$inferSelect;

/** A host's robots.txt as a crawl read it, once per crawl and host. */
export const crawlHosts = pgTable(
  'crawl_hosts',
  {
    crawlId: uuid('crawl_id')
      .notNull()
      .references(() => crawls.id, { onDelete: 'cascade' }),
    host: text('host').notNull(),
    robotsTxt: text('robots_txt'),
    crawlDelayMs: integer('crawl_delay_ms'),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (table) => [primaryKey({ columns: [table.crawlId, table.host] })],
);

/**
 * When a crawl last started a page of a host, for crawls with a politeness delay or a robots.txt
 * Crawl-delay: the next page of the host starts no sooner than that spacing after it. Its own
 * table, since a crawl_hosts row means the host's robots.txt was read.
 */
export const crawlHostStarts = pgTable(
  'crawl_host_starts',
  {
    crawlId: uuid('crawl_id')
      .notNull()
      .references(() => crawls.id, { onDelete: 'cascade' }),
    host: text('host').notNull(),
    lastStartedAt: ts('last_started_at').notNull(),
  },
  (table) => [primaryKey({ columns: [table.crawlId, table.host] })],
);
