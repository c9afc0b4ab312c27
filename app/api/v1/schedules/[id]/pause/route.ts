import { withApiAuth } from '@/lib/server/api/route';
import { getOwnedSchedule } from '@/lib/server/schedules/access';
import { setSchedulePaused } from '@/lib/server/schedules/manage';
import { loadSchedule } from '@/lib/server/schedules/read';

// POST /api/v1/schedules/{id}/pause: stop its runs until resumed
export const POST = withApiAuth<{ id: string }>(async ({ params, db, account, apiKey }) => {
  const schedule = await getOwnedSchedule(db, { id: params.id, accountId: account.id });
  const updated = await setSchedulePaused(db, { schedule, paused: true });
  return Response.json(await loadSchedule(db, updated, { maskSecrets: apiKey === null }));
});
