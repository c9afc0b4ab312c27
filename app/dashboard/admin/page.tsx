import type { Metadata } from 'next';
import { AdminJobsView } from '@/components/admin/admin-jobs-view';
import { getPollIntervals } from '@/lib/server/polling-config';
import { requireAdmin } from '../viewer';

export const metadata: Metadata = { title: 'Admin · Scrapifie' };

/** Admin → Jobs: every account's jobs with the list's filters and bulk Cancel / Retry. */
export default async function AdminJobsPage() {
  await requireAdmin('/dashboard/admin');
  return <AdminJobsView intervalMs={getPollIntervals().listMs} />;
}
