import type { Metadata } from 'next';
import { getDb } from '@/db/client';
import { storageUsage } from '@/db/queries/storage';
import { SWRFallback } from '@/components/api/swr-fallback';
import { BillingView } from '@/components/billing/billing-view';
import { creditsApiUrl } from '@/components/billing/credits-url';
import { loadCredits } from '@/lib/server/credits';
import { getPollIntervals } from '@/lib/server/polling-config';
import { retentionSettings } from '@/lib/server/retention';
import { getViewerTimeZone, requireAccount } from '../viewer';

export const metadata: Metadata = { title: 'Billing · Scrapifie' };

/**
 * The credits page's first paint, from the functions behind GET /api/v1/credits and
 * /api/v1/storage. The retry dialog's "Add credits" and the sidebar's balance land here.
 */
export default async function BillingPage() {
  const account = await requireAccount('/dashboard/billing');
  const { offset } = await getViewerTimeZone();
  const db = getDb();
  const [credits, usage] = await Promise.all([loadCredits(db, { account, page: 1, size: 25, tz: offset }), storageUsage(db, account.id)]);
  const storage = { ...usage, totalBytes: usage.resultsBytes + usage.screenshotsBytes + usage.logsBytes };
  return (
    <SWRFallback fallback={{ [creditsApiUrl({ page: 1, size: 25, tz: offset })]: credits, '/api/v1/storage': storage }}>
      <BillingView intervalMs={getPollIntervals().listMs} retention={retentionSettings()} />
    </SWRFallback>
  );
}
