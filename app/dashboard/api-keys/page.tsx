import type { Metadata } from 'next';
import { getDb } from '@/db/client';
import { listApiKeys } from '@/db/queries/accounts';
import { ApiKeysView } from '@/components/api-keys/api-keys-view';
import { SWRFallback } from '@/components/api/swr-fallback';
import { serializeApiKey } from '@/lib/server/account-json';
import { requireAccount } from '../viewer';

export const metadata: Metadata = { title: 'API Keys · Scrapifie' };

/** The keys' first paint, from the query behind GET /api/v1/keys. */
export default async function ApiKeysPage() {
  const account = await requireAccount('/dashboard/api-keys');
  const keys = await listApiKeys(getDb(), account.id);
  return (
    <SWRFallback fallback={{ '/api/v1/keys': { data: keys.map(serializeApiKey) } }}>
      <ApiKeysView />
    </SWRFallback>
  );
}
