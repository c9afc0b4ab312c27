import { withApiAuth } from '@/lib/server/api/route';
import { batchStream } from '@/lib/server/streams/batch-stream';

// GET /api/v1/batches/{id}/stream: the batch's progress live as Server-Sent Events, until it is completed or cancelled
export const GET = withApiAuth<{ id: string }>(async ({ req, params, db, account, apiKey }) =>
  batchStream({ req, db, id: params.id, accountId: account.id, maskSecrets: apiKey === null }),
);
