import type { Metadata } from 'next';
import { getDb } from '@/db/client';
import { BatchDetailView } from '@/components/batches/batch-detail-view';
import { BatchUnavailable } from '@/components/batches/batch-unavailable';
import { ApiError } from '@/lib/api-errors';
import { log } from '@/lib/log';
import { getOwnedBatch } from '@/lib/server/batches/access';
import { loadBatch } from '@/lib/server/batches/read';
import { getPollIntervals } from '@/lib/server/polling-config';
import { requireAccount } from '../../viewer';

type Props = { params: Promise<{ id: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { id } = await params;
  return { title: `Batch ${id.slice(0, 8)} · Scrapifie` };
}

/** The first paint of a batch's page, from the same functions as GET /api/v1/batches/{id}. */
export default async function BatchPage({ params }: Props) {
  const { id } = await params;
  const account = await requireAccount(`/dashboard/batches/${id}`);
  const db = getDb();
  try {
    const batch = await loadBatch(db, await getOwnedBatch(db, { id, accountId: account.id }), { maskSecrets: true });
    return <BatchDetailView key={id} batch={batch} intervalMs={getPollIntervals().detailMs} />;
  } catch (error) {
    if (error instanceof ApiError && (error.code === 'not_found' || error.code === 'forbidden')) {
      return <BatchUnavailable reason={error.code === 'not_found' ? 'not-found' : 'forbidden'} />;
    }
    log.error('dashboard: batch failed to load', { err: error });
    return <BatchUnavailable reason="error" />;
  }
}
