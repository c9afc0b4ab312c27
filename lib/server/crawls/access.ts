import { findCrawl } from '@/db/queries/crawls';
import type { Db } from '@/db/client';
import type { Crawl } from '@/db/schema';
import { ApiError } from '@/lib/api-errors';
import { crawlIdSchema } from '@/lib/schemas/crawls';

/** The crawl if it belongs to the account: 404 when unknown (or deleted), 403 when it is another account's. */
export async function getOwnedCrawl(db: Db, { id, accountId }: { id: string; accountId: string }): Promise<Crawl> {
  if (!crawlIdSchema.safeParse(id).success) throw new ApiError('not_found', `No crawl with id ${id}`);
  const crawl = await findCrawl(db, id);
  if (!crawl || crawl.deletedAt) throw new ApiError('not_found', `No crawl with id ${id}`);
  if (crawl.accountId !== accountId) throw new ApiError('forbidden', 'You do not have permission to access this crawl');
  return crawl;
}
