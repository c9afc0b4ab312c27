import { serializeApiKey } from '@/lib/server/account-json';
import { getOwnedApiKey, revokeKey } from '@/lib/server/accounts';
import { requestActor } from '@/lib/server/admin/actor';
import { withApiAuth } from '@/lib/server/api/route';

// GET /api/v1/keys/{id}: one key of the account (never its secret)
export const GET = withApiAuth<{ id: string }>(async ({ params, db, account }) => {
  return Response.json(serializeApiKey(await getOwnedApiKey(db, { accountId: account.id, keyId: params.id })));
});

// DELETE /api/v1/keys/{id}: revoke a key; its jobs stay viewable. Revoking a revoked key changes nothing.
export const DELETE = withApiAuth<{ id: string }>(async ({ params, db, account, apiKey }) => {
  const key = await getOwnedApiKey(db, { accountId: account.id, keyId: params.id });
  const revoked = await revokeKey(db, { accountId: account.id, keyId: key.id, actor: requestActor({ account, apiKey }) });
  // No row back: it was already revoked (perhaps a moment ago); reply with it as it is now.
  return Response.json(serializeApiKey(revoked ?? (await getOwnedApiKey(db, { accountId: account.id, keyId: key.id }))));
});
