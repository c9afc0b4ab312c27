import type { PgBoss } from 'pg-boss';
import type { Database } from '@/db/client';
import { findQueuedCrawlPage, lockHostClaims, postponeCrawlPage } from '@/db/queries/crawls';
import { claimJob } from '@/db/queries/jobs';
import type { Job } from '@/db/schema';
import { redeliverJob } from '@/lib/server/queue';

/**
 * How long a page whose host was full waits before its next delivery: about as long as a fast page
 * takes, jittered so the pages put back together do not all come back together.
 */
const fullHostRetryMs = () => 250 + Math.random() * 250;

/**
 * Claims a crawl page (a delivery with a group) within its host's limit and spacing, exactly,
 * across workers. pg-boss's group concurrency holds most fetches to concurrencyPerHost, but it
 * counts a snapshot of the active deliveries in each fetch, so two workers fetching at once can
 * both take a host's last slot; and discovery's spaced startAfter only says when a page may be
 * fetched, so pages fetched late run back to back. Here the claims of one host take turns
 * (lockHostClaims), and each counts the host's processing pages and reads its last start after
 * the previous claim committed. A page over the limit, or due before the spacing since the host's
 * last start has passed, stays queued with no attempt counted or logged, and its delivery goes
 * back to the queue in the same group in the same transaction: when the spacing has passed (its
 * queue wait counting from then), or a moment later for a full host (or after the crawl's spacing,
 * if longer).
 * Locks: the host's claim lock, then the page's job row; never the crawl row, which cancel and
 * discovery lock before job rows.
 */
export async function claimCrawlPage(
  deps: { db: Database; boss: PgBoss; workerId: string; leaseSeconds: number; wakeAt?(at: Date): void },
  { jobId, groupId }: { jobId: string; groupId: string },
): Promise<Job | undefined> {
  const { claimed, postponedUntil } = await deps.db.transaction(async (tx) => {
    await lockHostClaims(tx, groupId);
    const job = await claimJob(tx, { id: jobId, workerId: deps.workerId, leaseSeconds: deps.leaseSeconds, withinHostLimit: true });
    if (job) return { claimed: job };
    // Not claimed: cancelled, expired or taken by another worker (nothing to do), or still queued behind the limit or the spacing.
    const waiting = await findQueuedCrawlPage(tx, jobId);
    if (!waiting) return {};
    const { spacedUntil } = waiting;
    if (spacedUntil) await postponeCrawlPage(tx, { id: jobId, until: spacedUntil });
    const startAfter = spacedUntil ?? new Date(Date.now() + Math.max(fullHostRetryMs(), waiting.spacingMs));
    await redeliverJob(tx, { job: waiting.job, crawl: waiting.crawl, startAfter, boss: deps.boss });
    return { postponedUntil: spacedUntil ?? undefined };
  });
  if (postponedUntil) deps.wakeAt?.(postponedUntil);
  return claimed;
}
