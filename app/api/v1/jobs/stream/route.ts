import { accountStreamQuerySchema } from '@/lib/schemas/streams';
import { parseQuery, withApiAuth } from '@/lib/server/api/route';
import { accountStream } from '@/lib/server/streams/account-stream';

// GET /api/v1/jobs/stream: every state change of the account's jobs as Server-Sent Events, filtered like the list
export const GET = withApiAuth(async ({ req, db, account }) =>
  accountStream({ req, db, accountId: account.id, query: parseQuery(req, accountStreamQuerySchema) }),
);
