import { bigint, integer, pgTable, primaryKey, text, uuid } from 'drizzle-orm/pg-core';
import type { Engine, JobStatus } from '@/lib/jobs';
import type { Priority } from '@/lib/queue';
import { ts } from './accounts';

// The roll-ups of `jobs` that the list totals, the filter counts and the overview read (migration
// 0004; the tag dimension in 0013): kept by triggers on `jobs`, never written by application code
// except the compaction and the backfill in db/queries/job-counts.ts.

const dimensions = () => ({
  accountId: uuid('account_id').notNull(),
  /** '' for all the account's jobs; else the jobs carrying this tag (migration 0013). */
  tag: text('tag').notNull().default(''),
  status: text('status').$type<JobStatus>().notNull(),
  engine: text('engine').$type<Engine>().notNull(),
  apiKeyId: uuid('api_key_id').notNull(),
  priority: text('priority').$type<Priority>().notNull(),
  /** The credits the list shows: the reserved price while active, else what was charged. */
  credits: integer('credits').notNull(),
  n: bigint('n', { mode: 'number' }).notNull(),
  /** Of those, the completed and failed ones with a duration, and their summed duration. */
  ranN: bigint('ran_n', { mode: 'number' }).notNull(),
  ranMs: bigint('ran_ms', { mode: 'number' }).notNull(),
});

export const jobCountsHourly = pgTable('job_counts_hourly', { ...dimensions(), hour: ts('hour').notNull() }, (t) => [
  primaryKey({ name: 'job_counts_hourly_pk', columns: [t.accountId, t.tag, t.hour, t.status, t.engine, t.apiKeyId, t.priority, t.credits] }),
]);

export const jobCountsDaily = pgTable('job_counts_daily', { ...dimensions(), day: ts('day').notNull() }, (t) => [
  primaryKey({ name: 'job_counts_daily_pk', columns: [t.accountId, t.tag, t.day, t.status, t.engine, t.apiKeyId, t.priority, t.credits] }),
]);

/** Signed changes not yet folded into the roll-ups. */
export const jobCountDeltas = pgTable('job_count_deltas', { ...dimensions(), hour: ts('hour').notNull() });

/** Accounts whose jobs from before migration 0004 are not counted yet. */
export const jobCountBackfill = pgTable('job_count_backfill', { accountId: uuid('account_id').primaryKey() });

/** Each account's distinct job names (migration 0016), where a name filter finds the names it matches. */
export const jobNames = pgTable('job_names', { accountId: uuid('account_id').notNull(), name: text('name').notNull() }, (t) => [
  primaryKey({ name: 'job_names_pk', columns: [t.accountId, t.name] }),
]);

/** The account's jobs (not deleted) per name, key, status, engine and priority (migration 0016): what a name filter's totals sum. */
const nameDimensions = () => ({
  accountId: uuid('account_id').notNull(),
  name: text('name').notNull(),
  apiKeyId: uuid('api_key_id').notNull(),
  status: text('status').$type<JobStatus>().notNull(),
  engine: text('engine').$type<Engine>().notNull(),
  priority: text('priority').$type<Priority>().notNull(),
  n: bigint('n', { mode: 'number' }).notNull(),
});

export const jobNameCounts = pgTable('job_name_counts', nameDimensions(), (t) => [
  primaryKey({ name: 'job_name_counts_pk', columns: [t.accountId, t.name, t.apiKeyId, t.status, t.engine, t.priority] }),
]);

/** Signed changes not yet folded into job_name_counts. */
export const jobNameCountDeltas = pgTable('job_name_count_deltas', nameDimensions());

/**
 * The jobs (not deleted) as a search's counts read them (migration 0016): what they group by, and
 * the URL in lower case, searched by trigram (job_search_url_trgm_idx) and LIKE. About a third of
 * a job row's width, so a term matching many jobs reads a third of the pages.
 */
export const jobSearch = pgTable('job_search', {
  jobId: uuid('job_id').primaryKey(),
  accountId: uuid('account_id').notNull(),
  apiKeyId: uuid('api_key_id').notNull(),
  createdAt: ts('created_at').notNull(),
  status: text('status').$type<JobStatus>().notNull(),
  engine: text('engine').$type<Engine>().notNull(),
  priority: text('priority').$type<Priority>().notNull(),
  url: text('url').notNull(),
});

/** Accounts whose jobs from before migration 0016 are not all in job_search yet, and how far the copy got (created_at, id). */
export const jobSearchBackfill = pgTable('job_search_backfill', {
  accountId: uuid('account_id').primaryKey(),
  afterCreatedAt: ts('after_created_at'),
  afterId: uuid('after_id'),
});
