import { and, eq, sql } from 'drizzle-orm';
import type { JobConfig } from '@/lib/schemas/jobs';
import type { Db } from '../client';
import { jobChanges, jobResults, type JobChange } from '../schema';

// Change tracking's reads and writes. Every write runs in the transaction that finishes the job
// (workers/changes.ts), before finishRun, and rolls back with it when the run ends nothing.

/** The series of a job that is not a schedule's or a crawl's: 'account' when it tracks changes. */
export function lonelySeries(config: Pick<JobConfig, 'trackChanges'>): string | null {
  return config.trackChanges ? 'account' : null;
}

type SeriesKey = { accountId: string; series: string; url: string };

/**
 * Serializes the runs of one series and URL until the transaction ends, so two runs finishing at
 * once are compared one after the other, never both with the same previous run.
 */
export async function lockSeriesUrl(db: Db, { accountId, series, url }: SeriesKey): Promise<void> {
  await db.execute(sql`SELECT pg_advisory_xact_lock(hashtextextended(${`${accountId} ${series} ${url}`}, 0))`);
}

/** The newest recorded run of the series and URL: one probe of job_changes_series_url_idx. */
export async function latestChange(db: Db, { accountId, series, url }: SeriesKey): Promise<JobChange | undefined> {
  const [row] = await db
    .select()
    .from(jobChanges)
    .where(and(eq(jobChanges.accountId, accountId), eq(jobChanges.series, series), sql`md5(${jobChanges.url}) = md5(${url})`, eq(jobChanges.url, url)))
    .orderBy(sql`${jobChanges.createdAt} DESC`)
    .limit(1);
  return row;
}

export async function insertChange(db: Db, values: typeof jobChanges.$inferInsert): Promise<void> {
  await db.insert(jobChanges).values(values);
}

/** A previous run's stored bytes of one kind, or null once retention purged them. */
export async function storedResultText(db: Db, { jobId, kind }: { jobId: string; kind: 'content' | 'extracted' }): Promise<string | null> {
  const [row] = await db
    .select({ content: jobResults.content, purgedAt: jobResults.purgedAt })
    .from(jobResults)
    .where(and(eq(jobResults.jobId, jobId), eq(jobResults.kind, kind)));
  if (!row || row.purgedAt || !row.content) return null;
  return row.content.toString('utf8');
}

/**
 * The `job.changed` outbox row, when an enabled endpoint of the account may listen (the
 * dispatcher sends it to those subscribed). Never to a job's own webhookUrl, which gets its
 * terminal event only, and without the batch, whose completion its terminal event reports.
 */
export async function insertChangedEvent(db: Db, { accountId, jobId }: { accountId: string; jobId: string }): Promise<void> {
  await db.execute(sql`
    INSERT INTO webhook_outbox (account_id, job_id, batch_id, event)
    SELECT ${accountId}::uuid, ${jobId}::uuid, NULL, 'job.changed'
    WHERE EXISTS (
      SELECT 1 FROM webhook_endpoints w
      WHERE w.account_id = ${accountId}::uuid AND w.deleted_at IS NULL AND w.disabled_at IS NULL AND 'job.changed' = ANY (w.events)
    )`);
}

export async function getJobChange(db: Db, jobId: string): Promise<JobChange | undefined> {
  const [row] = await db.select().from(jobChanges).where(eq(jobChanges.jobId, jobId));
  return row;
}
