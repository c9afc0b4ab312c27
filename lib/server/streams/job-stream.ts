import type { Database } from '@/db/client';
import type { JobWithKey } from '@/db/queries/jobs';
import { listLogs } from '@/db/queries/logs';
import type { JobLog } from '@/db/schema';
import { ApiError } from '@/lib/api-errors';
import { getEnv } from '@/lib/env';
import { isTerminal } from '@/lib/jobs';
import { jobLogChannel } from '@/lib/queue';
import { getOwnedJob } from '@/lib/server/jobs/access';
import { expireStaleJobs } from '@/lib/server/jobs/expire';
import { loadJobDetail } from '@/lib/server/jobs/read';
import { subscribe } from './notifications';
import { coalesced, eventStream, lastEventId } from './sse';

// GET /api/v1/jobs/{id}/stream: the job (`status`), then every log entry after the resume point
// (`log`, id = its sequence number), then live entries and status changes, and `end` once the job
// is terminal and its last entries were sent. Reads happen only when a notification about the
// job arrives (or the LISTEN connection came back): an idle stream costs no queries.

/** A job cancelled while running gets its last entry ("resources released") from the worker just after. */
const cancelledLogGraceMs = 3000;

/** A log entry as GET /api/v1/jobs/{id}/logs lists it. */
export function serializeLogEntry(entry: JobLog) {
  return {
    seq: entry.seq,
    timestamp: entry.timestamp.toISOString(),
    level: entry.level,
    message: entry.message,
    metadata: entry.metadata ?? null,
  };
}

function parseResumePoint(req: Request): number {
  const value = lastEventId(req);
  if (value === null || value === '') return 0;
  if (!/^\d{1,9}$/.test(value)) {
    const message = 'must be a log sequence number (a whole number of 0 or more)';
    throw new ApiError('validation_error', `Invalid resume point: ${message}`, { fields: [{ field: 'Last-Event-ID', message }] });
  }
  return Number(value);
}

/** The job as GET /api/v1/jobs/{id} returns it, expiring it first when its queue wait is over. */
async function readJob(db: Database, { id, accountId, maskSecrets }: { id: string; accountId: string; maskSecrets: boolean }) {
  let row: JobWithKey = await getOwnedJob(db, { id, accountId });
  if (row.job.status === 'queued') {
    const expired = await expireStaleJobs(db, { maxWaitSeconds: getEnv().MAX_QUEUE_WAIT_SECONDS, accountId });
    if (expired > 0) row = await getOwnedJob(db, { id, accountId });
  }
  return { row, json: await loadJobDetail(db, row, { maskSecrets }) };
}

export async function jobStream({
  req,
  db,
  id,
  accountId,
  maskSecrets = false,
}: {
  req: Request;
  db: Database;
  id: string;
  accountId: string;
  /** For a dashboard session: the job's request headers and cookies masked. */
  maskSecrets?: boolean;
}): Promise<Response> {
  let after = parseResumePoint(req);
  // Errors (404, 403, 410) are ordinary replies, before any event.
  await getOwnedJob(db, { id, accountId });

  return eventStream(req, async (out) => {
    let job!: Awaited<ReturnType<typeof readJob>>;
    let sentStatus: string | null = null;
    let statusDirty = false;
    let endTimer: NodeJS.Timeout | undefined;
    let expiryTimer: NodeJS.Timeout | undefined;

    const sendLogs = async () => {
      if (job.row.job.logsPurgedAt) return;
      const { data } = await listLogs(db, { jobId: id, after });
      for (const entry of data) {
        out.send('log', serializeLogEntry(entry), entry.seq);
        after = entry.seq;
      }
    };
    // Set once the job is terminal and any grace for its last entries is over; the next read ends the stream.
    let endDue = false;
    const read = async () => {
      if (statusDirty) {
        statusDirty = false;
        job = await readJob(db, { id, accountId, maskSecrets });
      }
      const sendStatus = () => {
        if (job.json.status === sentStatus) return;
        sentStatus = job.json.status;
        out.send('status', job.json);
      };
      // The job comes first; later, a status change follows the log entries that led to it.
      if (sentStatus === null) sendStatus();
      await sendLogs();
      sendStatus();
      if (endDue) {
        out.send('end', job.json);
        out.close();
        return;
      }
      if (isTerminal(job.row.job.status) && !endTimer) {
        const grace = job.row.job.status === 'cancelled' && job.row.job.startedAt ? cancelledLogGraceMs : 0;
        endTimer = setTimeout(() => {
          endDue = true;
          // After a grace the job may have changed (a cancelled run's last attempt): end with it as it is.
          if (grace > 0) statusDirty = true;
          schedule();
        }, grace);
      }
      armExpiry();
    };
    const schedule = coalesced(read, { out });
    // A queued job expires at its deadline even when no worker runs to sweep it: look then.
    const armExpiry = () => {
      clearTimeout(expiryTimer);
      if (job.row.job.status !== 'queued') return;
      const deadline = job.row.job.createdAt.getTime() + getEnv().MAX_QUEUE_WAIT_SECONDS * 1000 + 1000;
      expiryTimer = setTimeout(() => {
        statusDirty = true;
        schedule();
      }, Math.max(0, deadline - Date.now()));
    };

    const unsubscribe = await subscribe(
      [`job:${id}`, `log:${id}`],
      (note) => {
        if (note.channel !== jobLogChannel) statusDirty = true;
        schedule();
      },
      () => {
        statusDirty = true;
        schedule();
      },
    );
    // Subscribed first, then the first read: a change between the two is caught by one or the other.
    statusDirty = true;
    schedule();
    return () => {
      unsubscribe();
      clearTimeout(endTimer);
      clearTimeout(expiryTimer);
    };
  });
}
