import type { Metadata } from 'next';
import Link from 'next/link';
import { getDb } from '@/db/client';
import { listApiKeys } from '@/db/queries/accounts';
import { Badge } from '@/components/ui/badge';
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '@/components/ui/table';
import { formatFull } from '@/components/time/format';
import { getViewerTimeZone, requireAccount } from '../viewer';

export const metadata: Metadata = { title: 'API Keys · Scrapifie' };

/** The account's keys, read-only: creating and revoking keys is not part of this dashboard yet. */
export default async function ApiKeysPage() {
  const account = await requireAccount('/dashboard/api-keys');
  const { timeZone } = await getViewerTimeZone();
  const keys = await listApiKeys(getDb(), account.id);
  return (
    <div className="flex flex-col gap-4">
      <h1 className="text-2xl font-semibold tracking-tight">API Keys</h1>
      <div className="overflow-x-auto rounded-xl border bg-card shadow-xs">
        <Table>
          <TableHeader className="bg-muted/40">
            <TableRow>
              <TableHead>Name</TableHead>
              <TableHead>Key</TableHead>
              <TableHead>Type</TableHead>
              <TableHead>Created</TableHead>
              <TableHead>Last used</TableHead>
              <TableHead>Status</TableHead>
            </TableRow>
          </TableHeader>
          <TableBody>
            {keys.map((key) => (
              <TableRow key={key.id} className="hover:bg-muted/50">
                <TableCell>
                  <Link href={`/dashboard/api-keys/${key.id}`} className="font-medium text-primary hover:underline">
                    {key.name}
                  </Link>
                </TableCell>
                <TableCell className="font-mono text-xs">{key.prefix}…</TableCell>
                <TableCell>{key.kind === 'test' ? <Badge variant="warning">Test</Badge> : <Badge variant="secondary">Live</Badge>}</TableCell>
                <TableCell className="text-[13px]">{formatFull(key.createdAt.toISOString(), timeZone)}</TableCell>
                <TableCell className="text-[13px]">{key.lastUsedAt ? formatFull(key.lastUsedAt.toISOString(), timeZone) : 'Never'}</TableCell>
                <TableCell>{key.revokedAt ? <Badge variant="destructive">Revoked</Badge> : <Badge variant="outline">Active</Badge>}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </div>
    </div>
  );
}
