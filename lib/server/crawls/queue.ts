import { sql } from 'drizzle-orm';
import { fromDrizzle, type PgBoss } from 'pg-boss';
import type { Transaction } from '@/db/client';
import { findWaitingCrawlDeliveries } from '@/db/queries/deliveries';
import type { Crawl } from '@/db/schema';
import { crawlPageGroup } from '@/lib/crawl-groups';
import { priorityValues, queueNames } from '@/lib/queue';
import { getProducerBoss } from '@/lib/server/queue';

// The queue side of a crawl's pages: each delivery in its host's group (lib/crawl-groups.ts). The
// politeness delay is pg-boss's startAfter: pages are spaced from the crawl row's next_start_at
// (see workers/crawl/discover.ts). That is only when a page may be fetched; the claim holds the
// real starts of a host's pages apart (workers/crawl/claim-page.ts).

export type CrawlPageDelivery = { jobId: string; url: string; startAfter?: Date };

export async function enqueueCrawlPages(
  tx: Transaction,
  { crawl, pages, boss }: { crawl: Pick<Crawl, 'id' | 'engine' | 'priority' | 'options'>; pages: CrawlPageDelivery[]; boss?: PgBoss },
): Promise<void> {
  if (pages.length === 0) return;
  boss ??= await getProducerBoss();
  await boss.insert(
    queueNames[crawl.engine],
    pages.map((page) => ({
      id: page.jobId,
      data: { jobId: page.jobId },
      priority: priorityValues[crawl.priority],
      group: crawlPageGroup({ crawlId: crawl.id, concurrencyPerHost: crawl.options.concurrencyPerHost, url: page.url }),
      ...(page.startAfter ? { startAfter: page.startAfter } : {}),
    })),
    { db: fromDrizzle(tx, sql) },
  );
}

/**
 * Removes every still-waiting delivery of a crawl's pages, in the caller's transaction (a cancel,
 * after its pages are cancelled): the first ones and any sent again. A delivery a worker already
 * fetched is ignored by it anyway: its claim finds the page cancelled.
 */
export async function dequeueCrawlPages(tx: Transaction, { crawl }: { crawl: Pick<Crawl, 'id' | 'engine'> }): Promise<void> {
  const queue = queueNames[crawl.engine];
  const ids = await findWaitingCrawlDeliveries(tx, { queue, crawlId: crawl.id });
  if (ids.length === 0) return;
  const boss = await getProducerBoss();
  await boss.cancel(queue, ids, { db: fromDrizzle(tx, sql) });
}
