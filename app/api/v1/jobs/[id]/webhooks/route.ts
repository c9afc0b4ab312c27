import { listJobDeliveries } from '@/db/queries/webhooks';
import { withApiAuth } from '@/lib/server/api/route';
import { getOwnedJob } from '@/lib/server/jobs/access';
import { serializeDelivery } from '@/lib/server/webhooks/serialize';

// GET /api/v1/jobs/{id}/webhooks: the job's webhook deliveries with every attempt
export const GET = withApiAuth<{ id: string }>(async ({ params, db, account }) => {
  const { job } = await getOwnedJob(db, { id: params.id, accountId: account.id });
  const deliveries = await listJobDeliveries(db, { jobId: job.id, accountId: account.id });
  return Response.json({ data: deliveries.map(serializeDelivery) });
});
