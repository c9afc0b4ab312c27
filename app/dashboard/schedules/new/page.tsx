import type { Metadata } from 'next';
import { ScheduleForm } from '@/components/schedules/schedule-form';
import { Breadcrumb } from '@/components/shell/breadcrumb';
import { requireAccount } from '../../viewer';

export const metadata: Metadata = { title: 'New schedule · Scrapifie' };

/** /dashboard/schedules/new: the form; it posts to /api/v1/schedules as the signed-in user. */
export default async function NewSchedulePage() {
  await requireAccount('/dashboard/schedules/new');
  return (
    <div className="flex flex-col gap-5">
      <Breadcrumb section={{ label: 'Schedules', href: '/dashboard/schedules' }} current="New schedule" />
      <h1 className="text-2xl font-semibold tracking-tight">New schedule</h1>
      <ScheduleForm />
    </div>
  );
}
