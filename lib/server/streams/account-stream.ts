import type { Database } from '@/db/client';
import type { JobWithKey } from '@/db/queries/jobs';
import { findChangedJobs, findJobsChangedSince } from '@/db/queries/streams';
import { ApiError } from '@/lib/api-errors';
import type { AccountStreamQuery } from '@/lib/schemas/streams';
import { serializeJobSummary } from '@/lib/server/jobs/serialize';
import { subscribe } from './notifications';
import { coalesced, eventStream, lastEventId } from './sse';

// GET /api/v1/jobs/stream: one `job` event per state change of the account's jobs (the job as
// GET /api/v1/jobs lists it), filtered like the list. The event id is a cursor (the time of the
// job's last change); a reconnect with it first sends the current state of every job that
// changed since (at most `catchUpLimit`, the latest state of each, possibly one already seen).
// Reads happen only when a notification about the account arrives; the stream never ends.

const catchUpLimit = 1000;
/** How far before the cursor a job may have been created and still be caught up on. */
const catchUpWindowSeconds = 60 * 60;
/** A change committed slightly after a later-stamped one must not be skipped: resume this far back. */
const resumeOverlapMs = 2000;
/** Jobs read per notification burst; a larger burst (a 10,000-URL batch) sends the newest. */
const readLimit = 1000;

function encodeCursor(at: Date): string {
  return Buffer.from(`t${at.getTime()}`).toString('base64url');
}

function decodeCursor(value: string): Date {
  const decoded = /^t(\d{13})$/.exec(Buffer.from(value, 'base64url').toString('utf8'));
  if (!decoded) {
    const message = 'must be the id of an event of this stream';
    throw new ApiError('validation_error', `Invalid resume point: ${message}`, { fields: [{ field: 'Last-Event-ID', message }] });
  }
  return new Date(Number(decoded[1]));
}

function changedAt({ job }: JobWithKey): Date {
  return [job.createdAt, job.startedAt, job.finishedAt].reduce<Date>((latest, at) => (at && at > latest ? at : latest), job.createdAt);
}

export async function accountStream({ req, db, accountId, query }: { req: Request; db: Database; accountId: string; query: AccountStreamQuery }): Promise<Response> {
  const resumeFrom = lastEventId(req);
  const since = resumeFrom ? decodeCursor(resumeFrom) : null;
  const filters = { status: query.status, engine: query.engine, batch: query.batch, tag: query.tag };

  return eventStream(req, async (out) => {
    const send = (rows: JobWithKey[]) => rows.forEach((row) => out.send('job', serializeJobSummary(row), encodeCursor(changedAt(row))));
    let ids = new Set<string>();
    let batches = new Set<string>();
    let catchUp = since;
    // Since when this stream has heard everything: where a lost LISTEN connection resumes from.
    let heardAt = new Date();
    const read = async () => {
      if (catchUp) {
        const from = new Date(catchUp.getTime() - resumeOverlapMs);
        catchUp = null;
        ids.clear();
        batches.clear();
        send(await findJobsChangedSince(db, { accountId, since: from, filters, windowSeconds: catchUpWindowSeconds, limit: catchUpLimit }));
        return;
      }
      const changed = [...ids];
      const bulk = [...batches];
      ids = new Set();
      batches = new Set();
      if (changed.length > 0) send((await findChangedJobs(db, { accountId, ids: changed, filters, limit: readLimit })).reverse());
      for (const batchId of bulk) send((await findChangedJobs(db, { accountId, ids: [], batchId, filters, limit: readLimit })).reverse());
    };
    const schedule = coalesced(read, { out });
    const unsubscribe = await subscribe(
      [`account:${accountId}`],
      (note) => {
        heardAt = new Date();
        if (note.jobId !== '*') ids.add(note.jobId);
        else if (note.batchId) batches.add(note.batchId);
        schedule();
      },
      // The LISTEN connection came back: catch up from the last notification heard before.
      () => {
        catchUp = heardAt;
        schedule();
      },
    );
    if (catchUp) schedule();
    return unsubscribe;
  });
}
