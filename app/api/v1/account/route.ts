import { getAccount, requestAccountDeletion } from '@/db/queries/accounts';
import { ApiError } from '@/lib/api-errors';
import { serializeAccount } from '@/lib/server/account-json';
import { withApiAuth } from '@/lib/server/api/route';

// GET /api/v1/account: the authenticated account and its credit balance
export const GET = withApiAuth(async ({ account }) => Response.json(serializeAccount(account)));

// DELETE /api/v1/account: queue the account's deletion (spec section 13); it is deleted once its active jobs finish
export const DELETE = withApiAuth(async ({ db, account, apiKey }) => {
  if (apiKey) throw new ApiError('forbidden', 'An account can only be deleted from the dashboard, not with an API key.');
  // A repeated request finds it already queued and replies the same.
  const queued = (await requestAccountDeletion(db, account.id)) ?? (await getAccount(db, account.id))!;
  return Response.json(serializeAccount(queued), { status: 202 });
});
