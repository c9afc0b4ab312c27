import { clearJobDefaults, getJobDefaults, saveJobDefaults } from '@/db/queries/preferences';
import type { JobDefaultsRow } from '@/db/schema';
import { jobDefaultsBodySchema } from '@/lib/schemas/jobs';
import { parseJsonBody, withApiAuth } from '@/lib/server/api/route';

// The create-job form's remembered choices (spec 002): every request option and the engine, never the URL.

function serialize(row: JobDefaultsRow | undefined) {
  return { defaults: row?.defaults ?? null, updatedAt: row?.updatedAt.toISOString() ?? null };
}

// GET /api/v1/preferences/job-defaults: the saved defaults, or null
export const GET = withApiAuth(async ({ db, account }) => Response.json(serialize(await getJobDefaults(db, account.id))));

// PUT /api/v1/preferences/job-defaults: save the form's choices (validated like a job request)
export const PUT = withApiAuth(async ({ req, db, account }) => {
  const defaults = await parseJsonBody(req, jobDefaultsBodySchema);
  return Response.json(serialize(await saveJobDefaults(db, { accountId: account.id, defaults })));
});

// DELETE /api/v1/preferences/job-defaults: forget them
export const DELETE = withApiAuth(async ({ db, account }) => {
  await clearJobDefaults(db, account.id);
  return Response.json(serialize(undefined));
});
