import type { Database } from '@/db/client';
import { finishJob, findStaleQueuedJobs } from '@/db/queries/jobs';
import { appendLogs } from '@/db/queries/logs';
import { formatWait } from '@/lib/format';

/**
 * Expires queued jobs that waited longer than the maximum queue wait, counted from when their wait
 * began (a spaced crawl page's scheduled start, else its creation). Called by the worker's
 * sweeper and lazily before the API reads an account's jobs, so expiry happens even while no
 * worker runs. Each expiry is its own conditional transition, so concurrent sweeps are safe.
 */
export async function expireStaleJobs(
  db: Database,
  { maxWaitSeconds, accountId }: { maxWaitSeconds: number; accountId?: string },
): Promise<number> {
  const stale = await findStaleQueuedJobs(db, { maxWaitSeconds, accountId });
  let expired = 0;
  for (const candidate of stale) {
    const done = await db.transaction(async (tx) => {
      const job = await finishJob(tx, { id: candidate.id, from: ['queued'], to: 'expired' });
      if (!job) return false;
      const waited = formatWait(Date.now() - candidate.waitingSince.getTime());
      await appendLogs(tx, job.id, [
        { timestamp: new Date(), level: 'WARN', message: `Job expired after waiting ${waited} in queue (maximum ${formatWait(maxWaitSeconds * 1000)})` },
      ]);
      return true;
    });
    if (done) expired += 1;
  }
  return expired;
}
