import { withApiAuth } from '@/lib/server/api/route';
import { getOwnedCrawl } from '@/lib/server/crawls/access';
import { loadCrawl } from '@/lib/server/crawls/read';

// GET /api/v1/crawls/{id}: the crawl with its progress (discovered, queued, done, failed, skipped) and skip reasons
export const GET = withApiAuth<{ id: string }>(async ({ params, db, account, apiKey }) => {
  const crawl = await getOwnedCrawl(db, { id: params.id, accountId: account.id });
  return Response.json(await loadCrawl(db, crawl, { maskSecrets: apiKey === null }));
});
