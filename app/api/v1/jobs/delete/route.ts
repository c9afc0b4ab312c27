import { deleteJobsBodySchema } from '@/lib/schemas/jobs';
import { parseJsonBody, withApiAuth } from '@/lib/server/api/route';
import { deleteJobs } from '@/lib/server/jobs/delete';

// POST /api/v1/jobs/delete: soft-delete every job matching the list filters; `dryRun: true` only counts them
export const POST = withApiAuth(async ({ req, db, account }) => {
  const { dryRun, ...filters } = await parseJsonBody(req, deleteJobsBodySchema);
  return Response.json(await deleteJobs(db, { accountId: account.id, filters, dryRun }));
});
