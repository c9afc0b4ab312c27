import { createBatchBodySchema, listBatchesQuerySchema } from '@/lib/schemas/batches';
import { parseJsonBody, parseQuery, withApiAuth } from '@/lib/server/api/route';
import { createBatch } from '@/lib/server/batches/create';
import { loadBatchList } from '@/lib/server/batches/read';
import type { BatchJson } from '@/lib/server/batches/serialize';
import { replyResponse, withIdempotency } from '@/lib/server/idempotency';
import { oneTokenPerUrl } from '@/lib/server/rate-limit';
import { submissionKey } from '@/lib/server/jobs/submit';

const accepted = (batch: BatchJson) => ({ status: 202, body: batch, headers: { Location: `/api/v1/batches/${batch.id}` } });

// POST /api/v1/batches: one job per URL with shared options; 202 with the batch and its Location
export const POST = withApiAuth(async ({ req, db, account, apiKey }) =>
  withIdempotency({ req, db, account }, async (claim) => {
    const body = await parseJsonBody(req, createBatchBodySchema);
    const key = await submissionKey(db, { account, apiKey });
    const actor = { type: apiKey ? 'api_key' : 'user', accountId: account.id, apiKeyId: apiKey?.id ?? null } as const;
    const batch = await createBatch(db, {
      account,
      apiKey: key,
      actor,
      body,
      idempotency: claim && { claim, reply: accepted },
      maskSecrets: apiKey === null,
    });
    return replyResponse(accepted(batch));
  }),
  // One job per URL: the batch takes one token of the creation limit per URL (at most the whole burst).
  { rateLimit: 'create', rateLimitCost: oneTokenPerUrl },
);

// GET /api/v1/batches: the account's batches, newest first, each with its progress
export const GET = withApiAuth(async ({ req, db, account, apiKey }) => {
  const query = parseQuery(req, listBatchesQuerySchema);
  return Response.json(await loadBatchList(db, { accountId: account.id, query, maskSecrets: apiKey === null }));
});
