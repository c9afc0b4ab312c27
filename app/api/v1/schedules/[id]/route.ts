import { updateScheduleBodySchema } from '@/lib/schemas/schedules';
import { parseJsonBody, withApiAuth } from '@/lib/server/api/route';
import { getOwnedSchedule } from '@/lib/server/schedules/access';
import { editSchedule, removeSchedule } from '@/lib/server/schedules/manage';
import { loadSchedule } from '@/lib/server/schedules/read';

// GET /api/v1/schedules/{id}: the schedule with its next 5 runs and its last run
export const GET = withApiAuth<{ id: string }>(async ({ params, db, account, apiKey }) => {
  const schedule = await getOwnedSchedule(db, { id: params.id, accountId: account.id });
  return Response.json(await loadSchedule(db, schedule, { maskSecrets: apiKey === null }));
});

// PATCH /api/v1/schedules/{id}: edit any of name, cron, timezone, overlap, target
export const PATCH = withApiAuth<{ id: string }>(async ({ req, params, db, account, apiKey }) => {
  const schedule = await getOwnedSchedule(db, { id: params.id, accountId: account.id });
  const body = await parseJsonBody(req, updateScheduleBodySchema);
  const updated = await editSchedule(db, { schedule, body, fromSession: apiKey === null });
  return Response.json(await loadSchedule(db, updated, { maskSecrets: apiKey === null }));
});

// DELETE /api/v1/schedules/{id}: delete the schedule and its run history; what its runs made stays
export const DELETE = withApiAuth<{ id: string }>(async ({ params, db, account }) => {
  const schedule = await getOwnedSchedule(db, { id: params.id, accountId: account.id });
  await removeSchedule(db, schedule);
  return Response.json({ id: schedule.id, deleted: true });
});
