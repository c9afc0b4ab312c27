import { and, eq, isNotNull, isNull, sql } from 'drizzle-orm';
import type { Db } from '../client';
import { jobLogs, jobResults, jobs } from '../schema';

/**
 * Bytes the account has stored and still readable: result data, screenshots and log entries not
 * yet purged (a deleted job's are marked purged when it is deleted). octet_length of a bytea
 * reads its stored length without fetching the bytes.
 */
export async function storageUsage(db: Db, accountId: string) {
  const bytes = (kind: 'content' | 'screenshot') =>
    sql<number>`coalesce(sum(octet_length(${jobResults.content})) filter (where ${eq(jobResults.kind, kind)}), 0)`.mapWith(Number);
  const [[results], [logs]] = await Promise.all([
    db
      .select({ results: bytes('content'), screenshots: bytes('screenshot') })
      .from(jobResults)
      .innerJoin(jobs, eq(jobs.id, jobResults.jobId))
      .where(and(eq(jobs.accountId, accountId), isNull(jobResults.purgedAt), isNotNull(jobResults.content))),
    db
      .select({
        logs: sql<number>`coalesce(sum(octet_length(${jobLogs.message}) + coalesce(octet_length(${jobLogs.metadata}::text), 0)), 0)`.mapWith(Number),
      })
      .from(jobLogs)
      .innerJoin(jobs, eq(jobs.id, jobLogs.jobId))
      .where(and(eq(jobs.accountId, accountId), isNull(jobs.logsPurgedAt))),
  ]);
  return { resultsBytes: results.results, screenshotsBytes: results.screenshots, logsBytes: logs.logs };
}
