import type { PgBoss } from 'pg-boss';
import type { Database } from '@/db/client';
import { findQueuedCrawlPage, lockHostClaims } from '@/db/queries/crawls';
import { claimJob } from '@/db/queries/jobs';
import type { Job } from '@/db/schema';
import { redeliverJob } from '@/lib/server/queue';

/**
 * How long a page whose host was full waits before its next delivery: about as long as a fast page
 * takes, jittered so the pages put back together do not all come back together.
 */
const fullHostRetryMs = () => 250 + Math.random() * 250;

/**
 * Claims a crawl page (a delivery with a group) within its host's limit, exactly, across workers.
 * pg-boss's group concurrency holds most fetches to concurrencyPerHost, but it counts a snapshot of
 * the active deliveries in each fetch, so two workers fetching at once can both take a host's last
 * slot. Here the claims of one host take turns (lockHostClaims), and each counts the host's
 * processing pages after the previous claim committed. A page over the limit stays queued with no
 * attempt counted or logged, and its delivery goes back to the queue in the same group a moment
 * later (or after the crawl's spacing, if longer), in the same transaction.
 * Locks: the host's claim lock, then the page's job row; never the crawl row, which cancel and
 * discovery lock before job rows.
 */
export async function claimCrawlPage(
  deps: { db: Database; boss: PgBoss; workerId: string; leaseSeconds: number },
  { jobId, groupId }: { jobId: string; groupId: string },
): Promise<Job | undefined> {
  return deps.db.transaction(async (tx) => {
    await lockHostClaims(tx, groupId);
    const claimed = await claimJob(tx, { id: jobId, workerId: deps.workerId, leaseSeconds: deps.leaseSeconds, withinHostLimit: true });
    if (claimed) return claimed;
    // Not claimed: cancelled, expired or taken by another worker (nothing to do), or still queued behind the limit.
    const waiting = await findQueuedCrawlPage(tx, jobId);
    if (waiting) {
      const { options } = waiting.crawl;
      // The crawl's spacing, as discovery spaces its pages: the politeness delay, or the host's Crawl-delay if longer.
      const spacingMs = Math.max(options.delayMs, options.robots ? (waiting.hostCrawlDelayMs ?? 0) : 0);
      const startAfter = new Date(Date.now() + Math.max(fullHostRetryMs(), spacingMs));
      await redeliverJob(tx, { job: waiting.job, crawl: waiting.crawl, startAfter, boss: deps.boss });
    }
    return undefined;
  });
}
