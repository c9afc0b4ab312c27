import { sql } from 'drizzle-orm';
import {
  boolean,
  customType,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  uuid,
} from 'drizzle-orm/pg-core';
import type { ErrorType } from '@/lib/scrape-errors';
import type { Engine, JobStatus, LogLevel, ResultFormat } from '@/lib/jobs';
import type { JobConfig } from '@/lib/schemas/jobs';
import type { Priority } from '@/lib/queue';
import { accounts, apiKeys, ts } from './accounts';

const bytea = customType<{ data: Buffer; driverData: Buffer }>({ dataType: () => 'bytea' });

export const jobs = pgTable(
  'jobs',
  {
    id: uuid('id').primaryKey(),
    accountId: uuid('account_id')
      .notNull()
      .references(() => accounts.id),
    apiKeyId: uuid('api_key_id')
      .notNull()
      .references(() => apiKeys.id),
    url: text('url').notNull(),
    engine: text('engine').$type<Engine>().notNull(),
    config: jsonb('config').$type<JobConfig>().notNull(),
    /** The submitter's label and tags, and the queue priority; a retry keeps all three. */
    name: text('name'),
    tags: text('tags').array().notNull().default(sql`'{}'::text[]`),
    priority: text('priority').$type<Priority>().notNull().default('normal'),
    status: text('status').$type<JobStatus>().notNull().default('queued'),
    attempts: integer('attempts').notNull().default(0),
    maxAttempts: integer('max_attempts').notNull(),
    /** Price fixed at creation and reserved from the balance; charged only for completed or failed. */
    creditCost: integer('credit_cost').notNull(),
    creditsCharged: integer('credits_charged').notNull().default(0),
    isTest: boolean('is_test').notNull().default(false),
    createdAt: ts('created_at').notNull().defaultNow(),
    /**
     * The earliest start of a crawl page spaced by the politeness delay (its delivery's startAfter).
     * Its queue wait counts from then, not from createdAt: until then it is scheduled, not late.
     */
    notBefore: ts('not_before'),
    startedAt: ts('started_at'),
    finishedAt: ts('finished_at'),
    durationMs: integer('duration_ms'),
    parentJobId: uuid('parent_job_id'),
    /** The batch the job was created in, if any. */
    batchId: uuid('batch_id'),
    /** The crawl that discovered this page, if any. */
    crawlId: uuid('crawl_id'),
    /** The schedule whose run created the job (directly or through its batch or crawl), if any. */
    scheduleId: uuid('schedule_id'),
    /**
     * Set when the job tracks changes: its content is compared with the previous completed job of
     * the same URL in the same series ('schedule:<id>', 'crawl:<id>', or 'account').
     */
    changeSeries: text('change_series'),
    /** Where to POST this job's terminal event, besides the account's endpoints. */
    webhookUrl: text('webhook_url'),
    errorType: text('error_type').$type<ErrorType>(),
    errorMessage: text('error_message'),
    /** Last log sequence number handed out; log writers bump it under the row lock. */
    logSeq: integer('log_seq').notNull().default(0),
    /** How many 30-second queue-wait warnings have been logged. */
    queueWarnings: integer('queue_warnings').notNull().default(0),
    /** The worker process running the job and how long its claim holds without renewal. */
    workerId: text('worker_id'),
    leaseExpiresAt: ts('lease_expires_at'),
    deletedAt: ts('deleted_at'),
    /** Set by the retention purge (or a delete): the logs are gone for readers from then on. */
    logsPurgedAt: ts('logs_purged_at'),
    /** Set once a later purge batch has deleted the log rows themselves. */
    logsDeletedAt: ts('logs_deleted_at'),
  },
  (table) => [
    index('jobs_account_created_idx').on(table.accountId, table.createdAt.desc()),
    index('jobs_account_status_idx').on(table.accountId, table.status, table.createdAt.desc()),
    index('jobs_account_engine_idx').on(table.accountId, table.engine, table.createdAt.desc()),
    index('jobs_account_key_idx').on(table.accountId, table.apiKeyId, table.createdAt.desc()),
    index('jobs_parent_idx').on(table.parentJobId),
    index('jobs_batch_idx').on(table.batchId, table.status).where(sql`${table.batchId} IS NOT NULL`),
    index('jobs_tags_idx').using('gin', table.tags),
    // Queued jobs by the time their wait counts from (expiry, the wait warnings).
    index('jobs_queued_idx').on(sql`coalesce(${table.notBefore}, ${table.createdAt})`).where(sql`${table.status} = 'queued'`),
    index('jobs_lease_idx').on(table.leaseExpiresAt).where(sql`${table.status} = 'processing'`),
    index('jobs_logs_retention_idx').on(table.createdAt).where(sql`${table.logsPurgedAt} IS NULL`),
    index('jobs_logs_purge_pending_idx')
      .on(table.id)
      .where(sql`${table.logsPurgedAt} IS NOT NULL AND ${table.logsDeletedAt} IS NULL`),
    index('jobs_crawl_status_idx').on(table.crawlId, table.status).where(sql`${table.crawlId} IS NOT NULL`),
  ],
);

/** Every attempt of a job, so a failed job shows what each try met. */
export const jobAttempts = pgTable(
  'job_attempts',
  {
    jobId: uuid('job_id')
      .notNull()
      .references(() => jobs.id),
    attempt: integer('attempt').notNull(),
    startedAt: ts('started_at').notNull(),
    finishedAt: ts('finished_at'),
    outcome: text('outcome').$type<'running' | 'completed' | 'failed' | 'retrying' | 'cancelled' | 'lost'>().notNull(),
    errorType: text('error_type').$type<ErrorType>(),
    errorMessage: text('error_message'),
  },
  (table) => [primaryKey({ columns: [table.jobId, table.attempt] })],
);

export const jobLogs = pgTable(
  'job_logs',
  {
    jobId: uuid('job_id')
      .notNull()
      .references(() => jobs.id),
    seq: integer('seq').notNull(),
    timestamp: ts('ts').notNull(),
    level: text('level').$type<LogLevel>().notNull(),
    message: text('message').notNull(),
    metadata: jsonb('metadata').$type<Record<string, unknown>>(),
  },
  (table) => [primaryKey({ columns: [table.jobId, table.seq] })],
);

export const jobResults = pgTable(
  'job_results',
  {
    jobId: uuid('job_id')
      .notNull()
      .references(() => jobs.id),
    kind: text('kind').$type<'content' | 'screenshot' | 'extracted'>().notNull(),
    format: text('format').$type<ResultFormat | 'png'>().notNull(),
    contentType: text('content_type').notNull(),
    size: integer('size').notNull(),
    content: bytea('content'),
    width: integer('width'),
    height: integer('height'),
    createdAt: ts('created_at').notNull().defaultNow(),
    /** Set by the retention purge; the bytes are removed in a later batch. */
    purgedAt: ts('purged_at'),
  },
  (table) => [
    primaryKey({ columns: [table.jobId, table.kind] }),
    index('job_results_retention_idx').on(table.kind, table.createdAt).where(sql`${table.purgedAt} IS NULL`),
    index('job_results_purge_pending_idx')
      .on(table.jobId, table.kind)
      .where(sql`${table.purgedAt} IS NOT NULL AND ${table.content} IS NOT NULL`),
  ],
);

/**
 * When a queued job's wait began: its scheduled start (a crawl page spaced by the politeness
 * delay), else its creation. Expiry, the wait warnings and the queue's oldest wait all count from
 * it; jobs_queued_idx is on this expression.
 */
export const queuedWaitStart = sql`coalesce(${jobs.notBefore}, ${jobs.createdAt})`;

export type Job = typeof jobs.$inferSelect;
export type JobAttempt = typeof jobAttempts.$inferSelect;
export type JobLog = typeof jobLogs.$inferSelect;
export type JobResult = typeof jobResults.$inferSelect;
