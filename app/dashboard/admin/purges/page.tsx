import type { Metadata } from 'next';
import { PurgesPanel } from '@/components/admin/purges-panel';
import { getPollIntervals } from '@/lib/server/polling-config';
import { requireAdmin } from '../../viewer';

export const metadata: Metadata = { title: 'Purges · Admin · Scrapifie' };

/** Admin → Purges: the retention purge runs (`npm run admin -- purge-stats` in the browser). */
export default async function AdminPurgesPage() {
  await requireAdmin('/dashboard/admin/purges');
  return <PurgesPanel intervalMs={getPollIntervals().listMs} />;
}
