import { eq } from 'drizzle-orm';
import type { PgBoss } from 'pg-boss';
import type { Database, Transaction } from '@/db/client';
import { completeCrawlIfDone, findCrawl, lockCrawl } from '@/db/queries/crawls';
import type { Engine } from '@/lib/jobs';
import { log } from '@/lib/log';
import { queueNames } from '@/lib/queue';
import { finishRun, type RunEnd } from '@/db/queries/jobs';
import { jobs, type Job } from '@/db/schema';
import { recordDiscovery, type DiscoveryPlan } from './discover';

class EndedNothing extends Error {}

/**
 * Ends a crawl page's run. A page that found URLs new to the crawl does it in one transaction
 * that takes the crawl row first (then the page's job, then the account: the order cancel and
 * discovery share) and writes and enqueues its links under it. Most pages find none (their links
 * were seen already; planDiscovery filtered them out): they end in finishRun's one statement, as
 * a batch's pages do, side by side (with their change record, in a transaction without the crawl
 * row). When finishRun ends nothing (a cancel won, or the lease lapsed), nothing is written: the
 * page's links are discovered by whichever run does end it. A map-mode page keeps no content.
 *
 * The completion check runs after the page's end has committed, in a statement of its own: of
 * pages ending at once, the check of the last to commit sees every end, so the crawl cannot be
 * left running with nothing unfinished (and the sweeper completes one whose last worker died in
 * between).
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
    // The engine and mode never change: the row read for the plan does (or one read now).
    const crawl = plan?.crawl ?? (await findCrawl(db, job.crawlId!));
    const results = crawl?.mode === 'map' ? end.results.filter((r) => r.kind !== 'content') : end.results;
    const done =
      discovers || record
        ? await db.transaction(async (tx) => {
            const locked = discovers ? await lockCrawl(tx, job.crawlId!) : crawl;
            const [own] = await tx.select({ status: jobs.status }).from(jobs).where(eq(jobs.id, job.id)).for('update');
            if (own?.status !== 'processing') throw new EndedNothing();
            if (locked && discovers) await recordDiscovery(tx, { crawl: locked, job, plan: plan!, boss });
            await record?.(tx);
            const ran = await finishRun(tx, { ...end, results });
            if (!ran) throw new EndedNothing();
            return ran;
          })
        : // Nothing else to write: the one statement that ends every job, as a batch's pages end.
          await finishRun(db, { ...end, results });
    if (!done) return undefined;
    if (crawl) await settleCrawl(db, { crawlId: crawl.id, engine: crawl.engine });
    return done;
  } catch (error) {
    if (error instanceof EndedNothing) return undefined;
    throw error;
  }
}

/** After a page's end: the crawl completed if that was its last unfinished page, else the queue woken for its next. */
async function settleCrawl(db: Database, { crawlId, engine }: { crawlId: string; engine: Engine }) {
  try {
    await completeCrawlIfDone(db, crawlId, { wake: queueNames[engine] });
  } catch (error) {
    // The page has ended; the sweeper completes a crawl whose completion was missed here.
    log.error('crawl completion check failed', { crawlId, err: error });
  }
}
