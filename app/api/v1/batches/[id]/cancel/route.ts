import { withApiAuth } from '@/lib/server/api/route';
import { cancelBatch } from '@/lib/server/batches/cancel';
import { loadBatch } from '@/lib/server/batches/read';

// POST /api/v1/batches/{id}/cancel: cancels every unfinished job of the batch; the batch with its counts
export const POST = withApiAuth<{ id: string }>(async ({ params, db, account, apiKey }) => {
  const actor = { type: apiKey ? 'api_key' : 'user', accountId: account.id, apiKeyId: apiKey?.id ?? null } as const;
  const batch = await cancelBatch(db, { id: params.id, accountId: account.id, actor });
  return Response.json(await loadBatch(db, batch, { maskSecrets: apiKey === null }));
});
