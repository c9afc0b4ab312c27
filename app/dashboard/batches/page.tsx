import type { Metadata } from 'next';
import { getDb } from '@/db/client';
import { SWRFallback } from '@/components/api/swr-fallback';
import { BatchesListView } from '@/components/batches/batches-list-view';
import { batchesApiUrl, parseBatchListParams } from '@/components/batches/list-params';
import { loadBatchList } from '@/lib/server/batches/read';
import { getPollIntervals } from '@/lib/server/polling-config';
import { requireAccount } from '../viewer';

export const metadata: Metadata = { title: 'Batches · Scrapifie' };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

/** The first paint of the batches list, from the same query GET /api/v1/batches uses. */
export default async function BatchesPage({ searchParams }: Props) {
  const params = parseBatchListParams(await searchParams);
  const account = await requireAccount('/dashboard/batches');
  const list = await loadBatchList(getDb(), { accountId: account.id, query: params, maskSecrets: true });
  return (
    <SWRFallback fallback={{ [batchesApiUrl(params)]: list }}>
      <BatchesListView intervalMs={getPollIntervals().listMs} />
    </SWRFallback>
  );
}
