import type { Database } from '@/db/client';
import { listLogs } from '@/db/queries/logs';
import { retentionMessages } from '@/lib/retention';
import type { LogListResponse } from '@/lib/schemas/responses';
import { retentionSettings } from '@/lib/server/retention';

/**
 * A job's log as GET /api/v1/jobs/{id}/logs and the dashboard's job page show it: the entries
 * after `after` (all without it), or `purged` with the reason once retention removed them.
 * The caller has checked the job is the account's (getOwnedJob or readJob).
 */
export async function readJobLogs(
  db: Database,
  { jobId, logsPurged, after }: { jobId: string; logsPurged: boolean; after?: number },
): Promise<LogListResponse> {
  if (logsPurged) return { data: [], total: 0, purged: true, message: retentionMessages.logsPurged(retentionSettings()) };
  const { data, total } = await listLogs(db, { jobId, after });
  return {
    data: data.map((entry) => ({
      seq: entry.seq,
      timestamp: entry.timestamp.toISOString(),
      level: entry.level,
      message: entry.message,
      metadata: entry.metadata ?? null,
    })),
    total,
    purged: false,
  };
}
