import { withApiAuth } from '@/lib/server/api/route';
import { cancelJob } from '@/lib/server/jobs/cancel';
import { loadJobDetail } from '@/lib/server/jobs/read';

// POST /api/v1/jobs/{id}/cancel: cancel a queued or processing job; replies with its actual final state
export const POST = withApiAuth<{ id: string }>(async ({ params, db, account }) => {
  const { row } = await cancelJob(db, { id: params.id, accountId: account.id });
  return Response.json(await loadJobDetail(db, row));
});
