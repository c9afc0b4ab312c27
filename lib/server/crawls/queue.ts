import { sql } from 'drizzle-orm';
import { fromDrizzle, type PgBoss } from 'pg-boss';
import type { Transaction } from '@/db/client';
import type { Crawl } from '@/db/schema';
import { crawlPageGroup } from '@/lib/crawl-groups';
import { priorityValues, queueNames } from '@/lib/queue';
import { getProducerBoss } from '@/lib/server/queue';

// The queue side of a crawl's pages: each delivery in its host's group (lib/crawl-groups.ts). The
// politeness delay is pg-boss's startAfter: pages are spaced from the crawl row's next_start_at
// (see workers/crawl/discover.ts).

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
