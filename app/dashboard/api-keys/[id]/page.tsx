import type { Metadata } from 'next';
import Link from 'next/link';
import type { ReactNode } from 'react';
import { getDb } from '@/db/client';
import { listApiKeys } from '@/db/queries/accounts';
import { RevokeKeyButton } from '@/components/api-keys/revoke-key-button';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Card, CardContent, CardHeader, CardTitle } from '@/components/ui/card';
import { formatFull } from '@/components/time/format';
import { getViewerTimeZone, requireAccount } from '../../viewer';

export const metadata: Metadata = { title: 'API Key · Scrapifie' };

type Props = { params: Promise<{ id: string }> };

/** One key: where the job detail's "API Key" field links to. */
export default async function ApiKeyPage({ params }: Props) {
  const { id } = await params;
  const account = await requireAccount(`/dashboard/api-keys/${id}`);
  const { timeZone } = await getViewerTimeZone();
  const key = (await listApiKeys(getDb(), account.id)).find((candidate) => candidate.id === id);
  if (!key) {
    return (
      <div role="alert" className="flex flex-col items-center gap-4 rounded-xl border bg-card px-6 py-16 text-center">
        <p className="text-sm">API key not found.</p>
        <Button variant="outline" size="sm" asChild>
          <Link href="/dashboard/api-keys">Back to API Keys</Link>
        </Button>
      </div>
    );
  }
  const rows: [string, ReactNode][] = [
    ['Key', <span key="k" className="font-mono">{key.prefix}…</span>],
    ['Type', key.kind === 'test' ? 'Test (jobs cost no credits)' : 'Live'],
    ['Created', formatFull(key.createdAt.toISOString(), timeZone)],
    ['Last used', key.lastUsedAt ? formatFull(key.lastUsedAt.toISOString(), timeZone) : 'Never'],
    ['Status', key.revokedAt ? `Revoked ${formatFull(key.revokedAt.toISOString(), timeZone)}` : 'Active'],
  ];
  return (
    <div className="flex flex-col gap-4">
      <Link href="/dashboard/api-keys" className="text-sm text-muted-foreground hover:text-foreground">
        ← API Keys
      </Link>
      <h1 className="flex items-center gap-3 text-2xl font-semibold tracking-tight">
        {key.name}
        {key.revokedAt && <Badge variant="destructive">Revoked</Badge>}
      </h1>
      <Card>
        <CardHeader>
          <CardTitle>Details</CardTitle>
        </CardHeader>
        <CardContent>
          <dl className="grid grid-cols-[max-content_1fr] gap-x-8 gap-y-3 text-sm">
            {rows.map(([label, value]) => (
              <div key={label} className="contents">
                <dt className="text-muted-foreground">{label}</dt>
                <dd>{value}</dd>
              </div>
            ))}
          </dl>
        </CardContent>
      </Card>
      <div className="flex flex-wrap gap-3">
        <Button variant="outline" asChild>
          <Link href={`/dashboard/jobs?key=${key.id}`}>View this key&apos;s jobs</Link>
        </Button>
        {!key.revokedAt && <RevokeKeyButton id={key.id} name={key.name} />}
      </div>
    </div>
  );
}
