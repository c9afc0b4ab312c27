import { deleteJobsBodySchema } from '@/lib/schemas/jobs';
import { requestActor } from '@/lib/server/admin/actor';
import { parseJsonBody, withApiAuth } from '@/lib/server/api/route';
import { deleteJobs } from '@/lib/server/jobs/delete';

// POST /api/v1/jobs/delete: soft-delete every job matching the list filters; `dryRun: true` only counts them
export const POST = withApiAuth(async ({ req, db, account, apiKey }) => {
  const { dryRun, ...filters } = await parseJsonBody(req, deleteJobsBodySchema);
  return Response.json(await deleteJobs(db, { accountId: account.id, filters, dryRun, actor: requestActor({ account, apiKey }) }));
});
