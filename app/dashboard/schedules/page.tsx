import type { Metadata } from 'next';
import { getDb } from '@/db/client';
import { SchedulesListView } from '@/components/schedules/schedules-list-view';
import { getPollIntervals } from '@/lib/server/polling-config';
import { loadScheduleList } from '@/lib/server/schedules/read';
import { requireAccount } from '../viewer';

export const metadata: Metadata = { title: 'Schedules · Scrapifie' };

/** The first paint of the schedules list, from the same query GET /api/v1/schedules uses. */
export default async function SchedulesPage() {
  const account = await requireAccount('/dashboard/schedules');
  const list = await loadScheduleList(getDb(), { accountId: account.id, query: { page: 1, size: 100 }, maskSecrets: true });
  return <SchedulesListView initial={list} intervalMs={getPollIntervals().listMs} />;
}
