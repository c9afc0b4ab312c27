import { revokeApiKey } from '@/db/queries/accounts';
import { serializeApiKey } from '@/lib/server/account-json';
import { getOwnedApiKey } from '@/lib/server/accounts';
import { withApiAuth } from '@/lib/server/api/route';

// GET /api/v1/keys/{id}: one key of the account (never its secret)
export const GET = withApiAuth<{ id: string }>(async ({ params, db, account }) => {
  return Response.json(serializeApiKey(await getOwnedApiKey(db, { accountId: account.id, keyId: params.id })));
});

// DELETE /api/v1/keys/{id}: revoke a key; its jobs stay viewable. Revoking a revoked key changes nothing.
export const DELETE = withApiAuth<{ id: string }>(async ({ params, db, account }) => {
  const key = await getOwnedApiKey(db, { accountId: account.id, keyId: params.id });
  const revoked = await revokeApiKey(db, { accountId: account.id, keyId: key.id });
  // No row back: it was already revoked (perhaps a moment ago); reply with it as it is now.
  return Response.json(serializeApiKey(revoked ?? (await getOwnedApiKey(db, { accountId: account.id, keyId: key.id }))));
});
