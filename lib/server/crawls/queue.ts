import { sql } from 'drizzle-orm';
import { fromDrizzle, type PgBoss } from 'pg-boss';
import type { Transaction } from '@/db/client';
import type { Crawl } from '@/db/schema';
import { hostOf } from '@/lib/crawl-urls';
import { priorityValues, queueNames } from '@/lib/queue';
import { getProducerBoss } from '@/lib/server/queue';

// The queue side of a crawl's pages. Per-host concurrency is pg-boss's group concurrency: each
// page's delivery belongs to the group (crawl, host) with the tier `c<n>` of the crawl's
// concurrencyPerHost, and the workers fetch with a limit per tier (crawlGroupConcurrency), counted
// by pg-boss in the database across every worker. The politeness delay is pg-boss's startAfter:
// pages are spaced from the crawl row's next_start_at (see workers/crawl/discover.ts).

/** The tiers the workers' fetch knows: `c1` … `c10`, one per allowed concurrencyPerHost. */
export const crawlGroupConcurrency = {
  default: 1_000_000,
  tiers: Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`c${i + 1}`, i + 1])),
};

export type CrawlPageDelivery = { jobId: string; url: string; startAfter?: Date };

export async function enqueueCrawlPages(
  tx: Transaction,
  { crawl, pages, boss }: { crawl: Pick<Crawl, 'id' | 'engine' | 'priority' | 'options'>; pages: CrawlPageDelivery[]; boss?: PgBoss },
): Promise<void> {
  if (pages.length === 0) return;
  boss ??= await getProducerBoss();
  const tier = `c${crawl.options.concurrencyPerHost}`;
  await boss.insert(
    queueNames[crawl.engine],
    pages.map((page) => ({
      id: page.jobId,
      data: { jobId: page.jobId },
      priority: priorityValues[crawl.priority],
      group: { id: `${crawl.id}:${hostOf(page.url)}`, tier },
      ...(page.startAfter ? { startAfter: page.startAfter } : {}),
    })),
    { db: fromDrizzle(tx, sql) },
  );
}
