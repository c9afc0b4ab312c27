import { listApiKeys } from '@/db/queries/accounts';
import { ApiError } from '@/lib/api-errors';
import { createApiKeyBodySchema } from '@/lib/schemas/accounts';
import { serializeApiKey } from '@/lib/server/account-json';
import { createUserApiKey } from '@/lib/server/accounts';
import { requestActor } from '@/lib/server/admin/actor';
import { parseJsonBody, withApiAuth } from '@/lib/server/api/route';

// GET /api/v1/keys: the account's API keys (active first, revoked last), never their secrets
export const GET = withApiAuth(async ({ db, account }) => {
  const keys = await listApiKeys(db, account.id);
  return Response.json({ data: keys.map(serializeApiKey) });
});

// POST /api/v1/keys: create a key; 201 with its `secret`, the only time it is ever shown
export const POST = withApiAuth(async ({ req, db, account, apiKey }) => {
  // A key that could mint keys would survive its own revocation: only the signed-in owner creates them.
  if (apiKey) throw new ApiError('forbidden', 'API keys are created from the dashboard, not with an API key.');
  // No Idempotency-Key here: replaying the reply would mean storing the secret, and keys are kept only as hashes.
  const body = await parseJsonBody(req, createApiKeyBodySchema);
  const { key, secret } = await createUserApiKey(db, { accountId: account.id, ...body, actor: requestActor({ account, apiKey }) });
  return Response.json(
    { ...serializeApiKey(key), secret },
    { status: 201, headers: { Location: `/api/v1/keys/${key.id}`, 'Cache-Control': 'no-store' } },
  );
});
