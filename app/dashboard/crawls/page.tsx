import type { Metadata } from 'next';
import { getDb } from '@/db/client';
import { SWRFallback } from '@/components/api/swr-fallback';
import { CrawlsListView } from '@/components/crawls/crawls-list-view';
import { crawlsApiUrl, parsePageParams } from '@/components/crawls/list-params';
import { loadCrawlList } from '@/lib/server/crawls/read';
import { getPollIntervals } from '@/lib/server/polling-config';
import { requireAccount } from '../viewer';

export const metadata: Metadata = { title: 'Crawls · Scrapifie' };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

/** The first paint of the crawls list, from the same query GET /api/v1/crawls uses. */
export default async function CrawlsPage({ searchParams }: Props) {
  const params = parsePageParams(await searchParams);
  const account = await requireAccount('/dashboard/crawls');
  const list = await loadCrawlList(getDb(), { accountId: account.id, query: params, maskSecrets: true });
  return (
    <SWRFallback fallback={{ [crawlsApiUrl(params)]: list }}>
      <CrawlsListView intervalMs={getPollIntervals().listMs} />
    </SWRFallback>
  );
}
