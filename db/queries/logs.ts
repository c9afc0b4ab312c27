import { and, asc, count, eq, gt, sql } from 'drizzle-orm';
import { maxLogEntriesPerJob, type LogLevel } from '@/lib/jobs';
import { executePrepared, type Db } from '../client';
import { jobLogs } from '../schema';

export type NewLogEntry = {
  timestamp: Date;
  level: LogLevel;
  message: string;
  metadata?: Record<string, unknown>;
};

/** Entries as the JSON array that `jsonb_to_recordset` turns into rows, numbered from 1. */
export function logPayload(entries: NewLogEntry[]): string {
  return JSON.stringify(
    entries.map((entry, index) => ({
      i: index + 1,
      ts: entry.timestamp.toISOString(),
      level: entry.level,
      message: entry.message,
      metadata: entry.metadata ?? null,
    })),
  );
}

/**
 * Appends a batch of entries in one statement. Sequence numbers come from the job row's
 * `log_seq`, bumped under its row lock, so they are gap-free per job and follow commit order:
 * a poller reading `after=<seq>` never misses an entry. Past the cap of 200, the oldest DEBUG
 * entries are pruned first, then the oldest of the rest.
 */
export async function appendLogs(db: Db, jobId: string, entries: NewLogEntry[]): Promise<void> {
  if (entries.length === 0) return;
  const payload = logPayload(entries);
  const rows = await executePrepared<{ last: number }>(db, sql`
    WITH bump AS (
      UPDATE jobs SET log_seq = log_seq + ${entries.length} WHERE id = ${jobId}
      RETURNING log_seq - ${entries.length} AS base
    ), inserted AS (
      INSERT INTO job_logs (job_id, seq, ts, level, message, metadata)
      SELECT ${jobId}, bump.base + e.i, e.ts, e.level, e.message, e.metadata
      FROM bump, jsonb_to_recordset(${payload}::jsonb) AS e(i int, ts timestamptz, level text, message text, metadata jsonb)
      RETURNING seq
    )
    SELECT max(seq) AS last FROM inserted`);
  const last = Number(rows[0]?.last ?? 0);
  if (last > maxLogEntriesPerJob) await pruneLogs(db, jobId);
}

/** Deletes the entries past the cap: the oldest DEBUG first, then the oldest of the rest. */
export async function pruneLogs(db: Db, jobId: string): Promise<void> {
  await db.execute(sql`
    DELETE FROM job_logs WHERE job_id = ${jobId} AND seq IN (
      SELECT seq FROM job_logs WHERE job_id = ${jobId}
      ORDER BY (level = 'DEBUG') DESC, seq ASC
      LIMIT greatest((SELECT count(*) FROM job_logs WHERE job_id = ${jobId}) - ${maxLogEntriesPerJob}, 0)
    )`);
}

export async function listLogs(db: Db, { jobId, after }: { jobId: string; after?: number }) {
  const where = after === undefined ? eq(jobLogs.jobId, jobId) : and(eq(jobLogs.jobId, jobId), gt(jobLogs.seq, after));
  const [data, [{ total }]] = await Promise.all([
    db.select().from(jobLogs).where(where).orderBy(asc(jobLogs.seq)),
    db.select({ total: count() }).from(jobLogs).where(eq(jobLogs.jobId, jobId)),
  ]);
  return { data, total };
}
