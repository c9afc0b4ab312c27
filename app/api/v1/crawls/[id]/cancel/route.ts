import { withApiAuth } from '@/lib/server/api/route';
import { cancelCrawl } from '@/lib/server/crawls/cancel';
import { loadCrawl } from '@/lib/server/crawls/read';

// POST /api/v1/crawls/{id}/cancel: stops discovery and cancels every unfinished page at once; one crawl.cancelled event
export const POST = withApiAuth<{ id: string }>(async ({ params, db, account, apiKey }) => {
  const actor = { type: apiKey ? 'api_key' : 'user', accountId: account.id, apiKeyId: apiKey?.id ?? null } as const;
  const crawl = await cancelCrawl(db, { id: params.id, accountId: account.id, actor });
  return Response.json(await loadCrawl(db, crawl, { maskSecrets: apiKey === null }));
});
