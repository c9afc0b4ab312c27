import type { PgBoss } from 'pg-boss';
import type { Database } from '@/db/client';
import { finishAccountDeletions } from '@/db/queries/accounts';
import { findActiveDeliveries, findOrphanedDeliveries, lockQueuedJobDeliveries } from '@/db/queries/deliveries';
import { advanceQueueWarnings, findLostJobs, finishJob, recordAttempt, requeueLostJob } from '@/db/queries/jobs';
import { purgeExpiredIdempotencyKeys } from '@/db/queries/idempotency';
import { backfillJobSearch, backfillNextAccount, compactJobCounts } from '@/db/queries/job-counts';
import { appendLogs } from '@/db/queries/logs';
import { formatWait } from '@/lib/format';
import { queueNames } from '@/lib/queue';
import { redeliverJob } from '@/lib/server/queue';
import { expireStaleJobs } from '@/lib/server/jobs/expire';
import { completeCrawlIfDone, findFinishedCrawls, lockCrawl } from '@/db/queries/crawls';

const lostMessage = 'The worker running this attempt stopped responding';

/**
 * Housekeeping every worker runs on a timer. Each step is made of conditional transitions, so
 * several workers sweeping at once cannot double-handle a job.
 * - queued jobs past the maximum wait become expired (uncharged);
 * - processing jobs whose lease lapsed (their worker was killed) get a new attempt, or fail
 *   once their attempts are used up, so no job stays processing; the dead worker's deliveries
 *   are failed, so they hold no crawl host's slot;
 * - queued jobs whose delivery a worker fetched and then died before claiming get a new delivery;
 * - queued jobs log "Job waiting in queue for {duration}" at every 30 s mark;
 * - accounts whose deletion was requested are soft-deleted once none of their jobs is active;
 * - expired Idempotency-Key records are deleted;
 * - the job-count changes are folded into the roll-ups, and one account left uncounted by
 *   migration 0004 (if any) is counted, and one batch of jobs older than job_search copied there;
 * - crawls whose page jobs are all terminal are completed.
 */
export async function sweep(
  db: Database,
  boss: PgBoss,
  // leaseSeconds: the worker's JOB_LEASE_SECONDS (30 by default).
  { maxWaitSeconds, leaseSeconds = 30 }: { maxWaitSeconds: number; leaseSeconds?: number },
) {
  await expireStaleJobs(db, { maxWaitSeconds });
  await recoverLostJobs(db, boss);
  const warned = await advanceQueueWarnings(db);
  for (const row of warned) {
    await appendLogs(db, row.id, [
      { timestamp: new Date(), level: 'WARN', message: `Job waiting in queue for ${formatWait(row.marks * 30_000)}` },
    ]);
  }
  await finishAccountDeletions(db);
  await purgeExpiredIdempotencyKeys(db);
  await compactJobCounts(db);
  await backfillNextAccount(db);
  await backfillJobSearch(db);
  await recoverOrphanedDeliveries(db, boss, { afterSeconds: leaseSeconds });
  await completeFinishedCrawls(db);
}

/**
 * A crawl whose last page ended outside a worker's crawl transaction (expired, cancelled on its
 * own, failed by the lost-worker recovery above) is completed here, so no crawl stays active
 * forever. Under the crawl's lock, as every other writer of it.
 */
export async function completeFinishedCrawls(db: Database): Promise<number> {
  let completed = 0;
  for (const id of await findFinishedCrawls(db)) {
    const done = await db.transaction(async (tx) => {
      await lockCrawl(tx, id);
      return completeCrawlIfDone(tx, id);
    });
    if (done) completed += 1;
  }
  return completed;
}

/**
 * Jobs whose worker stopped responding (their lease lapsed) get a new attempt with a new delivery,
 * or fail once their attempts are used. The dead worker's deliveries are then failed: pg-boss would
 * keep them active for an hour, and a crawl page's would hold one of its host's group slots all
 * that time. They are the job's deliveries active before the new one is sent; any live worker's
 * among them (a duplicate just fetched) is harmless to fail, as its claim decides what runs.
 */
export async function recoverLostJobs(db: Database, boss: PgBoss): Promise<number> {
  const lost = await findLostJobs(db);
  let recovered = 0;
  for (const candidate of lost) {
    const queue = queueNames[candidate.engine];
    const deadDeliveries = await db.transaction(async (tx) => {
      const now = new Date();
      if (candidate.attempts >= candidate.maxAttempts) {
        const job = await finishJob(tx, {
          id: candidate.id,
          from: ['processing'],
          to: 'failed',
          errorType: 'INTERNAL_ERROR',
          errorMessage: `${lostMessage} on attempt ${candidate.attempts} of ${candidate.maxAttempts}`,
        });
        if (!job) return undefined;
        await recordAttempt(tx, { jobId: job.id, attempt: candidate.attempts, outcome: 'lost', errorType: 'INTERNAL_ERROR', errorMessage: lostMessage });
        await appendLogs(tx, job.id, [
          { timestamp: now, level: 'ERROR', message: `Request failed: INTERNAL_ERROR - ${lostMessage}` },
          { timestamp: now, level: 'ERROR', message: 'All retry attempts exhausted' },
          { timestamp: now, level: 'ERROR', message: `Job failed: INTERNAL_ERROR - ${job.errorMessage}` },
          { timestamp: now, level: 'INFO', message: `Credits charged: ${job.creditsCharged} (failed job)` },
        ]);
        return findActiveDeliveries(tx, { queue, jobId: job.id });
      }
      const job = await requeueLostJob(tx, candidate.id);
      if (!job) return undefined;
      await recordAttempt(tx, { jobId: job.id, attempt: job.attempts, outcome: 'lost', errorType: 'INTERNAL_ERROR', errorMessage: lostMessage });
      await appendLogs(tx, job.id, [
        { timestamp: now, level: 'ERROR', message: `Request failed: INTERNAL_ERROR - ${lostMessage}` },
        { timestamp: now, level: 'WARN', message: `Retry ${job.attempts} of ${job.maxAttempts - 1}: ${lostMessage.toLowerCase()}; job re-queued` },
      ]);
      const dead = await findActiveDeliveries(tx, { queue, jobId: job.id });
      await redeliverJob(tx, { job, boss });
      return dead;
    });
    if (!deadDeliveries) continue;
    recovered += 1;
    // After the commit, on pg-boss's own connection, as for an orphaned delivery: a crash in
    // between leaves the dead delivery active until pg-boss expires it, never a job without one.
    // The queues never retry a delivery (retryLimit 0), so failing it sends nothing again.
    if (deadDeliveries.length > 0) await boss.fail(queue, deadDeliveries, { reason: lostMessage });
  }
  return recovered;
}

/**
 * A worker fetches a batch of deliveries and claims their jobs a moment later; killed in between,
 * it leaves deliveries `active` whose jobs are still `queued`, and pg-boss never retries them. Past
 * one lease (a live worker claims within milliseconds) the job gets a new delivery, unless one is
 * already waiting; the job row's lock makes one sweeping worker do it. The dead delivery is then
 * failed, so it is found no more. (A duplicate delivery would be harmless: only one claim of a
 * queued job can win.)
 */
export async function recoverOrphanedDeliveries(db: Database, boss: PgBoss, { afterSeconds }: { afterSeconds: number }): Promise<number> {
  const orphans = await findOrphanedDeliveries(db, { queues: Object.values(queueNames), afterSeconds });
  let resent = 0;
  for (const orphan of orphans) {
    const sent = await db.transaction(async (tx) => {
      const job = await lockQueuedJobDeliveries(tx, orphan);
      if (!job || job.hasOther) return false;
      await redeliverJob(tx, { job: { id: orphan.jobId, engine: orphan.engine, priority: orphan.priority, url: orphan.url, crawlId: orphan.crawlId }, boss });
      await appendLogs(tx, orphan.jobId, [
        { timestamp: new Date(), level: 'WARN', message: 'The worker that took this job from the queue stopped responding before starting it; job re-queued' },
      ]);
      return true;
    });
    // After the commit, on pg-boss's own connection: a crash in between leaves a duplicate, never a loss.
    await boss.fail(orphan.queue, orphan.deliveryId, { reason: 'the worker that fetched it stopped before claiming the job' });
    if (sent) resent += 1;
  }
  return resent;
}
