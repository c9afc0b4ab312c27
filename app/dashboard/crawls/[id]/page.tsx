import type { Metadata } from 'next';
import { getDb } from '@/db/client';
import { SWRFallback } from '@/components/api/swr-fallback';
import { CrawlDetailView } from '@/components/crawls/crawl-detail-view';
import { CrawlUnavailable } from '@/components/crawls/crawl-unavailable';
import { ledgerApiUrl, parseLedgerParams } from '@/components/crawls/ledger-params';
import { ApiError } from '@/lib/api-errors';
import { log } from '@/lib/log';
import { listCrawlPagesQuerySchema } from '@/lib/schemas/crawls';
import { getOwnedCrawl } from '@/lib/server/crawls/access';
import { loadCrawl, loadCrawlPages } from '@/lib/server/crawls/read';
import { getPollIntervals } from '@/lib/server/polling-config';
import { requireAccount } from '../../viewer';

type Props = { params: Promise<{ id: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { id } = await params;
  return { title: `Crawl ${id.slice(0, 8)} · Scrapifie` };
}

/** The first paint of a crawl's page and its ledger, from the same functions as GET /api/v1/crawls/{id} and its /pages. */
export default async function CrawlPage({ params, searchParams }: Props) {
  const { id } = await params;
  const ledger = parseLedgerParams(await searchParams);
  const account = await requireAccount(`/dashboard/crawls/${id}`);
  const db = getDb();
  try {
    const owned = await getOwnedCrawl(db, { id, accountId: account.id });
    const crawl = await loadCrawl(db, owned, { maskSecrets: true });
    const pages = await loadCrawlPages(db, { crawl: owned, query: listCrawlPagesQuerySchema.parse(ledger) });
    return (
      <SWRFallback fallback={{ [ledgerApiUrl(id, ledger)]: pages }}>
        <CrawlDetailView key={id} crawl={crawl} intervalMs={getPollIntervals().detailMs} />
      </SWRFallback>
    );
  } catch (error) {
    if (error instanceof ApiError && (error.code === 'not_found' || error.code === 'forbidden')) {
      return <CrawlUnavailable reason={error.code === 'not_found' ? 'not-found' : 'forbidden'} />;
    }
    log.error('dashboard: crawl failed to load', { err: error });
    return <CrawlUnavailable reason="error" />;
  }
}
