import { withApiAuth } from '@/lib/server/api/route';
import { getOwnedBatch } from '@/lib/server/batches/access';
import { loadBatch } from '@/lib/server/batches/read';

// GET /api/v1/batches/{id}: the batch with its jobs counted per state, percent done and credits so far
export const GET = withApiAuth<{ id: string }>(async ({ params, db, account, apiKey }) => {
  const batch = await getOwnedBatch(db, { id: params.id, accountId: account.id });
  return Response.json(await loadBatch(db, batch, { maskSecrets: apiKey === null }));
});
