import type { Db } from '@/db/client';
import { findSchedule } from '@/db/queries/schedules';
import type { Schedule } from '@/db/schema';
import { ApiError } from '@/lib/api-errors';
import { scheduleIdSchema } from '@/lib/schemas/schedules';

/** The schedule if it belongs to the account: 404 when unknown, 403 when it is another account's. */
export async function getOwnedSchedule(db: Db, { id, accountId }: { id: string; accountId: string }): Promise<Schedule> {
  if (!scheduleIdSchema.safeParse(id).success) throw new ApiError('not_found', `No schedule with id ${id}`);
  const schedule = await findSchedule(db, id);
  if (!schedule) throw new ApiError('not_found', `No schedule with id ${id}`);
  if (schedule.accountId !== accountId) throw new ApiError('forbidden', 'You do not have permission to access this schedule');
  return schedule;
}
