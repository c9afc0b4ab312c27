import type { Database } from '@/db/client';
import { listEventLog } from '@/db/queries/webhooks';
import { paginatedReply } from '@/lib/pagination';
import type { ListEventsQuery, WebhookEventPayload } from '@/lib/schemas/webhooks';

// GET /api/v1/events: every event the dispatcher sent to the account's webhooks, as it was sent
// (the same id, type, createdAt, sequence and data), oldest first: a receiver that was down
// pages through `after=<last sequence it processed>` and deduplicates on the id.

export async function listEvents(db: Database, { accountId, query }: { accountId: string; query: ListEventsQuery }) {
  const { rows, total } = await listEventLog(db, {
    accountId,
    types: query.type,
    since: query.since ? new Date(query.since) : undefined,
    after: query.after,
    page: query.page,
    size: query.size,
  });
  const data = rows.map((row) => {
    const { id, type, createdAt, sequence, data: body } = row.payload as WebhookEventPayload;
    return { id, type, createdAt, sequence, data: body } as WebhookEventPayload;
  });
  return paginatedReply(data, query, total);
}
