import { listCrawlPagesQuerySchema } from '@/lib/schemas/crawls';
import { parseQuery, withApiAuth } from '@/lib/server/api/route';
import { getOwnedCrawl } from '@/lib/server/crawls/access';
import { crawlPagesCsv, loadCrawlPages } from '@/lib/server/crawls/read';

// GET /api/v1/crawls/{id}/pages: the per-page ledger (every URL with depth, outcome, error type, skip reason); format=csv exports it
export const GET = withApiAuth<{ id: string }>(async ({ req, params, db, account }) => {
  const query = parseQuery(req, listCrawlPagesQuerySchema);
  const crawl = await getOwnedCrawl(db, { id: params.id, accountId: account.id });
  if (query.format === 'csv') {
    return new Response(await crawlPagesCsv(db, { crawl, query }), {
      headers: { 'Content-Type': 'text/csv; charset=utf-8', 'Content-Disposition': `attachment; filename="scrapifie-crawl-${crawl.id.slice(0, 8)}-pages.csv"` },
    });
  }
  return Response.json(await loadCrawlPages(db, { crawl, query }));
}, { rateLimit: 'read' });
