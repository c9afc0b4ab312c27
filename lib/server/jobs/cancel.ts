import { eq, sql } from 'drizzle-orm';
import type { Database } from '@/db/client';
import { recordAudit, type AuditActor } from '@/db/queries/audit';
import { finishJob } from '@/db/queries/jobs';
import { appendLogs } from '@/db/queries/logs';
import { jobs } from '@/db/schema';
import { ApiError } from '@/lib/api-errors';
import { isTerminal, type JobStatus } from '@/lib/jobs';
import { cancelChannel } from '@/lib/queue';
import { getOwnedJob } from './access';
import { dequeueScrape } from '@/lib/server/queue';

/** Whether this cancel won, and the job's status once it is over (cancelled, or what it finished as). */
export type CancelOutcome = { cancelled: boolean; status: JobStatus };

/**
 * Cancels a queued job at once, or a processing job by winning the race against its completion:
 * the row is locked, then moved by one conditional UPDATE. A winning cancel of a processing job
 * is announced on a NOTIFY channel (delivered at commit) so its worker aborts the running work.
 * Losing the race is not an error: the reply carries the job's actual final state. A winning
 * cancel is written to the audit log, naming `actor`, in the same transaction.
 */
export async function cancelJob(
  db: Database,
  { id, accountId, actor }: { id: string; accountId: string; actor: AuditActor },
): Promise<CancelOutcome> {
  const before = await getOwnedJob(db, { id, accountId });
  if (isTerminal(before.job.status)) {
    throw new ApiError('conflict', `Job is already ${before.job.status} and cannot be cancelled`, {
      status: before.job.status,
    });
  }
  return db.transaction(async (tx): Promise<CancelOutcome> => {
    const [locked] = await tx.select({ status: jobs.status }).from(jobs).where(eq(jobs.id, id)).for('update');
    if (!locked) throw new ApiError('not_found', `No job with id ${id}`);
    if (isTerminal(locked.status)) return { cancelled: false, status: locked.status };
    const job = await finishJob(tx, { id, from: [locked.status], to: 'cancelled' });
    if (!job) return { cancelled: false, status: locked.status };
    const now = new Date();
    const requested = actor.type === 'admin' ? 'Cancellation requested by an administrator' : 'Cancellation requested by user';
    await recordAudit(tx, actor, { action: 'job.cancel', targetType: 'job', targetId: id, accountId: job.accountId, details: { from: locked.status } });
    if (locked.status === 'queued') {
      await appendLogs(tx, id, [
        { timestamp: now, level: 'INFO', message: requested },
        { timestamp: now, level: 'INFO', message: 'Job cancelled successfully' },
      ]);
      await dequeueScrape(tx, { jobId: id, engine: job.engine });
    } else {
      await appendLogs(tx, id, [{ timestamp: now, level: 'INFO', message: requested }]);
      await tx.execute(sql`SELECT pg_notify(${cancelChannel}, ${id})`);
    }
    return { cancelled: true, status: 'cancelled' };
  });
}
