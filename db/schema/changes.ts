import { sql } from 'drizzle-orm';
import { boolean, index, pgTable, text, uuid } from 'drizzle-orm/pg-core';
import type { ChangeStatus } from '@/lib/schemas/changes';
import { ts } from './accounts';
import { jobs } from './jobs';

/**
 * One row per finished job that tracks changes (jobs.change_series set), written in the
 * transaction that finishes it (migration 0008). The hashes are what the next run of the series
 * and URL is compared with, so a comparison needs no second fetch and still works once retention
 * purged the previous result's bytes (then only same or changed is known, without a diff).
 */
export const jobChanges = pgTable(
  'job_changes',
  {
    jobId: uuid('job_id')
      .primaryKey()
      .references(() => jobs.id),
    accountId: uuid('account_id').notNull(),
    series: text('series').notNull(),
    url: text('url').notNull(),
    status: text('status').$type<ChangeStatus>().notNull(),
    /** sha256 (hex) of the result content; null for a removed page. */
    contentHash: text('content_hash'),
    /** sha256 (hex) of the extracted document (keys sorted) when the job had extraction rules. */
    extractedHash: text('extracted_hash'),
    previousJobId: uuid('previous_job_id'),
    /** A unified diff from the previous run's content (or extracted JSON) to this one's. */
    diff: text('diff'),
    diffKind: text('diff_kind').$type<'content' | 'extracted'>(),
    diffTruncated: boolean('diff_truncated').notNull().default(false),
    /** Why a changed run has no diff (the previous result purged, too many differences). */
    diffNote: text('diff_note'),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (table) => [
    index('job_changes_series_url_idx').on(table.accountId, table.series, sql`md5(${table.url})`, table.createdAt.desc()),
    index('job_changes_changed_idx').on(table.accountId, table.jobId).where(sql`${table.status} IN ('changed', 'removed')`),
  ],
);

export type JobChange = typeof jobChanges.$inferSelect;
