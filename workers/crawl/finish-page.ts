import { eq } from 'drizzle-orm';
import type { PgBoss } from 'pg-boss';
import type { Database, Transaction } from '@/db/client';
import { completeCrawlIfDone, completeCrawlIfLast, findCrawl, lockCrawl, wakeQueue } from '@/db/queries/crawls';
import { queueNames } from '@/lib/queue';
import { finishRun, type RunEnd } from '@/db/queries/jobs';
import { jobs, type Job } from '@/db/schema';
import { recordDiscovery, type DiscoveryPlan } from './discover';

class EndedNothing extends Error {}

/**
 * Ends a crawl page's run in one transaction. A page that found URLs new to the crawl takes the
 * crawl row first (then the page's job, then the account: the order cancel and discovery share),
 * writes and enqueues its links under it, and checks completion there. Most pages find none (their
 * links were seen already, which planDiscovery filtered out): they end without the crawl row, so
 * a crawl's pages end side by side instead of one at a time, and check completion by turns
 * (completeCrawlIfLast). When finishRun ends nothing (a cancel won, or the lease lapsed),
 * everything rolls back: the page's links are discovered by whichever run does end it. A map-mode
 * page keeps no content.
 */
export async function finishCrawlPage(
  db: Database,
  {
    job,
    end,
    plan,
    boss,
    record,
  }: {
    job: Job;
    end: RunEnd;
    plan: DiscoveryPlan | null;
    boss: PgBoss;
    /** The page's change-tracking record (a crawl with a change series), written in the same transaction. */
    record?: ((tx: Transaction) => Promise<unknown>) | null;
  },
): Promise<{ creditsCharged: number } | undefined> {
  try {
    const discovers = plan !== null && plan.candidates.length > 0 && end.to === 'completed';
    return await db.transaction(async (tx) => {
      const crawl = discovers ? await lockCrawl(tx, job.crawlId!) : await findCrawl(tx, job.crawlId!);
      const [own] = await tx.select({ status: jobs.status }).from(jobs).where(eq(jobs.id, job.id)).for('update');
      if (own?.status !== 'processing') throw new EndedNothing();
      if (crawl && discovers) await recordDiscovery(tx, { crawl, job, plan: plan!, boss });
      await record?.(tx);
      const results = crawl?.mode === 'map' ? end.results.filter((r) => r.kind !== 'content') : end.results;
      const done = await finishRun(tx, { ...end, results });
      if (!done) throw new EndedNothing();
      if (crawl && !(await (discovers ? completeCrawlIfDone(tx, crawl.id) : completeCrawlIfLast(tx, crawl.id)))) await wakeQueue(tx, queueNames[crawl.engine]);
      return done;
    });
  } catch (error) {
    if (error instanceof EndedNothing) return undefined;
    throw error;
  }
}
