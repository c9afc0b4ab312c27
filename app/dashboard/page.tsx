import type { Metadata } from 'next';
import { getDb } from '@/db/client';
import { SWRFallback } from '@/components/api/swr-fallback';
import { OverviewView } from '@/components/overview/overview-view';
import { statsApiUrl } from '@/components/overview/stats-url';
import { expireBeforeRead } from '@/lib/server/jobs/read';
import { getPollIntervals } from '@/lib/server/polling-config';
import { loadStats } from '@/lib/server/stats';
import { getViewerTimeZone, requireAccount } from './viewer';

export const metadata: Metadata = { title: 'Dashboard · Scrapifie' };

/** The overview's first paint, from the same function as GET /api/v1/stats; SWR keeps it live. */
export default async function DashboardHome() {
  const account = await requireAccount('/dashboard');
  const { offset } = await getViewerTimeZone();
  const db = getDb();
  await expireBeforeRead(db, account.id);
  const stats = await loadStats(db, { accountId: account.id, tz: offset });
  return (
    <SWRFallback fallback={{ [statsApiUrl(offset)]: stats }}>
      <OverviewView intervalMs={getPollIntervals().listMs} />
    </SWRFallback>
  );
}
