import { getDb } from '@/db/client';
import type { Schedule } from '@/db/schema';
import { ApiError } from '@/lib/api-errors';
import { getOwnedSchedule } from '@/lib/server/schedules/access';

/** The account's schedule for a dashboard page, or null when it is unknown or another account's. */
export async function ownedScheduleOrNull(id: string, accountId: string): Promise<Schedule | null> {
  try {
    return await getOwnedSchedule(getDb(), { id, accountId });
  } catch (error) {
    if (error instanceof ApiError && (error.code === 'not_found' || error.code === 'forbidden')) return null;
    throw error;
  }
}
