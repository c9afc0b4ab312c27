import { createCrawlBodySchema, listCrawlsQuerySchema } from '@/lib/schemas/crawls';
import { parseJsonBody, parseQuery, withApiAuth } from '@/lib/server/api/route';
import { createCrawl } from '@/lib/server/crawls/create';
import { loadCrawlList } from '@/lib/server/crawls/read';
import type { CrawlJson } from '@/lib/server/crawls/serialize';
import { replyResponse, withIdempotency } from '@/lib/server/idempotency';
import { submissionKey } from '@/lib/server/jobs/submit';

const accepted = (crawl: CrawlJson) => ({ status: 202, body: crawl, headers: { Location: `/api/v1/crawls/${crawl.id}` } });

// POST /api/v1/crawls: a crawl (or map) from a start URL within limits; 202 with the crawl and its Location
export const POST = withApiAuth(
  async ({ req, db, account, apiKey }) =>
    withIdempotency({ req, db, account }, async (claim) => {
      const body = await parseJsonBody(req, createCrawlBodySchema);
      const key = await submissionKey(db, { account, apiKey });
      const actor = { type: apiKey ? 'api_key' : 'user', accountId: account.id, apiKeyId: apiKey?.id ?? null } as const;
      const crawl = await createCrawl(db, { account, apiKey: key, actor, body, idempotency: claim && { claim, reply: accepted }, maskSecrets: apiKey === null });
      return replyResponse(accepted(crawl));
    }),
  { rateLimit: 'create' },
);

// GET /api/v1/crawls: the account's crawls, newest first, each with its progress
export const GET = withApiAuth(async ({ req, db, account, apiKey }) => {
  const query = parseQuery(req, listCrawlsQuerySchema);
  return Response.json(await loadCrawlList(db, { accountId: account.id, query, maskSecrets: apiKey === null }));
});
