import { listEventsQuerySchema } from '@/lib/schemas/webhooks';
import { parseQuery, withApiAuth } from '@/lib/server/api/route';
import { listEvents } from '@/lib/server/webhooks/events';

// GET /api/v1/events: the events sent to the account's webhooks, in sequence order, to catch up on missed deliveries
export const GET = withApiAuth(async ({ req, db, account }) =>
  Response.json(await listEvents(db, { accountId: account.id, query: parseQuery(req, listEventsQuerySchema) })),
);
