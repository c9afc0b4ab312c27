import { createScheduleBodySchema, listSchedulesQuerySchema } from '@/lib/schemas/schedules';
import { parseJsonBody, parseQuery, withApiAuth } from '@/lib/server/api/route';
import { createSchedule } from '@/lib/server/schedules/manage';
import { loadSchedule, loadScheduleList } from '@/lib/server/schedules/read';

// POST /api/v1/schedules: a job, batch or crawl started on a cron expression; 201 with it, its next 5 runs and its Location
export const POST = withApiAuth(async ({ req, db, account, apiKey }) => {
  const body = await parseJsonBody(req, createScheduleBodySchema);
  const schedule = await createSchedule(db, { account, apiKey, body });
  const reply = await loadSchedule(db, schedule, { maskSecrets: apiKey === null });
  return Response.json(reply, { status: 201, headers: { Location: `/api/v1/schedules/${schedule.id}` } });
});

// GET /api/v1/schedules: the account's schedules, newest first, each with its next runs and last run
export const GET = withApiAuth(async ({ req, db, account, apiKey }) => {
  const query = parseQuery(req, listSchedulesQuerySchema);
  return Response.json(await loadScheduleList(db, { accountId: account.id, query, maskSecrets: apiKey === null }));
});
