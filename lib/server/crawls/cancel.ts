import type { Database } from '@/db/client';
import { recordAudit, type AuditActor } from '@/db/queries/audit';
import { cancelCrawlPages, lockCrawl } from '@/db/queries/crawls';
import type { Crawl } from '@/db/schema';
import { ApiError } from '@/lib/api-errors';
import { getOwnedCrawl } from './access';
import { dequeueCrawlPages } from './queue';
import { crawlStatus } from './serialize';

/**
 * Cancels a crawl at once: under the crawl's lock (so no discovery runs meanwhile, and none after,
 * since discovery finds it cancelled), every queued and processing page job is cancelled in one
 * statement with their credits released and ONE crawl.cancelled event; the queued pages' queue
 * entries are removed (any sent again too) and the running ones' workers told to stop. 409 once
 * completed or cancelled.
 */
export async function cancelCrawl(db: Database, { id, accountId, actor }: { id: string; accountId: string; actor: AuditActor }): Promise<Crawl> {
  await getOwnedCrawl(db, { id, accountId });
  return db.transaction(async (tx) => {
    const crawl = (await lockCrawl(tx, id))!;
    if (crawl.cancelledAt || crawl.completedAt) {
      const status = crawlStatus(crawl);
      throw new ApiError('conflict', `Crawl is already ${status}`, { status });
    }
    const requested = actor.type === 'admin' ? 'Cancellation requested by an administrator' : 'Cancellation requested by user';
    const { queued, processing } = await cancelCrawlPages(tx, { crawl, requested });
    await dequeueCrawlPages(tx, { crawl });
    await recordAudit(tx, actor, { action: 'crawl.cancel', targetType: 'crawl', targetId: id, accountId, details: { cancelled: queued.length + processing } });
    return (await lockCrawl(tx, id))!;
  });
}
