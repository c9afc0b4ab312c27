import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { getDb } from '@/db/client';
import { ScheduleForm } from '@/components/schedules/schedule-form';
import { Breadcrumb } from '@/components/shell/breadcrumb';
import { loadSchedule } from '@/lib/server/schedules/read';
import { requireAccount } from '../../../viewer';
import { ownedScheduleOrNull } from '../load';

export const metadata: Metadata = { title: 'Edit schedule · Scrapifie' };

type Props = { params: Promise<{ id: string }> };

/** /dashboard/schedules/{id}/edit: the form filled from the schedule (its secrets masked; sent back unchanged, they keep their values). */
export default async function EditSchedulePage({ params }: Props) {
  const { id } = await params;
  const account = await requireAccount(`/dashboard/schedules/${id}/edit`);
  const schedule = await ownedScheduleOrNull(id, account.id);
  if (!schedule) notFound();
  const json = await loadSchedule(getDb(), schedule, { maskSecrets: true });
  return (
    <div className="flex flex-col gap-5">
      <Breadcrumb section={{ label: 'Schedules', href: `/dashboard/schedules` }} current={`Edit ${json.name}`} />
      <h1 className="text-2xl font-semibold tracking-tight">Edit schedule</h1>
      <ScheduleForm schedule={json} />
    </div>
  );
}
