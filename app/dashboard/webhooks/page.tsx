import type { Metadata } from 'next';
import { getDb } from '@/db/client';
import { listEndpoints } from '@/db/queries/webhooks';
import { SWRFallback } from '@/components/api/swr-fallback';
import { WebhooksView } from '@/components/webhooks/webhooks-view';
import { serializeEndpoint } from '@/lib/server/webhooks/serialize';
import { requireAccount } from '../viewer';

export const metadata: Metadata = { title: 'Webhooks · Scrapifie' };

/** The endpoints' first paint, from the query behind GET /api/v1/webhooks. */
export default async function WebhooksPage() {
  const account = await requireAccount('/dashboard/webhooks');
  const endpoints = await listEndpoints(getDb(), account.id);
  return (
    <SWRFallback fallback={{ '/api/v1/webhooks': { data: endpoints.map((endpoint) => serializeEndpoint(endpoint)) } }}>
      <WebhooksView />
    </SWRFallback>
  );
}
