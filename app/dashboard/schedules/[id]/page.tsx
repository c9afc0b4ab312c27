import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { getDb } from '@/db/client';
import { ScheduleDetailView } from '@/components/schedules/schedule-detail-view';
import { getPollIntervals } from '@/lib/server/polling-config';
import { loadSchedule, loadScheduleRuns } from '@/lib/server/schedules/read';
import { requireAccount } from '../../viewer';
import { ownedScheduleOrNull } from './load';

export const metadata: Metadata = { title: 'Schedule · Scrapifie' };

type Props = { params: Promise<{ id: string }> };

/** The first paint of a schedule's page, from the same functions as GET /api/v1/schedules/{id} and its runs. */
export default async function SchedulePage({ params }: Props) {
  const { id } = await params;
  const account = await requireAccount(`/dashboard/schedules/${id}`);
  const schedule = await ownedScheduleOrNull(id, account.id);
  if (!schedule) notFound();
  const db = getDb();
  const [json, runs] = await Promise.all([loadSchedule(db, schedule, { maskSecrets: true }), loadScheduleRuns(db, { scheduleId: id, query: { page: 1, size: 100 } })]);
  return <ScheduleDetailView key={id} schedule={json} runs={runs} intervalMs={getPollIntervals().detailMs} />;
}
