import type { Metadata } from 'next';
import { QueueStatsPanel } from '@/components/queue/queue-stats-panel';
import { getPollIntervals } from '@/lib/server/polling-config';
import { requireAdmin } from '../../viewer';

export const metadata: Metadata = { title: 'Queue & workers · Admin · Scrapifie' };

/** Admin → Queue & workers: the overview's queue panel, fed by the admin overview (every account's jobs). */
export default async function AdminWorkersPage() {
  await requireAdmin('/dashboard/admin/workers');
  return (
    <QueueStatsPanel
      endpoint="/api/v1/admin/overview"
      intervalMs={getPollIntervals().listMs}
      title="Queue (all accounts)"
      description="Every account's queued and running jobs, and the workers heard from in the last hour"
      noWorkers="No worker has been heard from in the last hour. Jobs stay queued until one starts."
    />
  );
}
