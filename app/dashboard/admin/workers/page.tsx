import type { Metadata } from 'next';
import { QueuePanel } from '@/components/admin/queue-panel';
import { getPollIntervals } from '@/lib/server/polling-config';
import { requireAdmin } from '../../viewer';

export const metadata: Metadata = { title: 'Queue & workers · Admin · Scrapifie' };

/** Admin → Queue & workers. */
export default async function AdminWorkersPage() {
  await requireAdmin('/dashboard/admin/workers');
  return <QueuePanel intervalMs={getPollIntervals().listMs} />;
}
