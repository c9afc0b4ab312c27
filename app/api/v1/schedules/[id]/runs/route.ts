import { listScheduleRunsQuerySchema } from '@/lib/schemas/schedules';
import { parseQuery, withApiAuth } from '@/lib/server/api/route';
import { getOwnedSchedule } from '@/lib/server/schedules/access';
import { loadScheduleRuns } from '@/lib/server/schedules/read';

// GET /api/v1/schedules/{id}/runs: its runs, latest scheduled time first: outcome, reason, the job, batch or crawl made
export const GET = withApiAuth<{ id: string }>(async ({ req, params, db, account }) => {
  const schedule = await getOwnedSchedule(db, { id: params.id, accountId: account.id });
  const query = parseQuery(req, listScheduleRunsQuerySchema);
  return Response.json(await loadScheduleRuns(db, { scheduleId: schedule.id, query }));
});
