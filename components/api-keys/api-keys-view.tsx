'use client';

import { KeyRoundIcon, PlusIcon } from 'lucide-react';
import Link from 'next/link';
import { useState } from 'react';
import useSWR from 'swr';
import { useCanChange } from '@/components/account/account-banner';
import { fetcher } from '@/components/api/fetcher';
import { useFetchOnMount } from '@/components/api/use-polling';
import { Badge } from '@/components/ui/badge';
import { EmptyState } from '@/components/ui/empty-state';
import { Button } from '@/components/ui/button';
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '@/components/ui/table';
import { Tooltip } from '@/components/ui/tooltip';
import { cn } from '@/components/ui/utils';
import { formatCreated, formatDate, formatFull } from '@/components/time/format';
import { useNow, useTimeZone } from '@/components/time/time-context';
import type { ApiKeyJson, ApiKeyListJson } from '../jobs/api-types';
import { CreateKeyDialog } from './create-key-dialog';
import { RevokeKeyDialog } from './revoke-key-dialog';

/** /dashboard/api-keys: the account's keys, creating one (its secret shown once) and revoking. */
export function ApiKeysView() {
  const keys = useSWR<ApiKeyListJson>('/api/v1/keys', fetcher, { revalidateOnMount: useFetchOnMount('/api/v1/keys') });
  const canChange = useCanChange();
  const [creating, setCreating] = useState(false);
  const [revoking, setRevoking] = useState<ApiKeyJson | null>(null);
  const list = keys.data?.data ?? [];
  const active = list.filter((key) => !key.revoked).length;

  const createButton = (
    <Button onClick={() => setCreating(true)} disabled={!canChange}>
      <PlusIcon />
      Create API key
    </Button>
  );

  return (
    <div className="flex flex-col gap-4">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <div>
          <h1 className="text-2xl font-semibold tracking-tight">API Keys</h1>
          {list.length > 0 && (
            <p className="text-sm text-muted-foreground tabular" data-testid="keys-summary">
              {active} active {active === 1 ? 'key' : 'keys'}
              {list.length > active ? `, ${list.length - active} revoked` : ''}
            </p>
          )}
        </div>
        {list.length > 0 && createButton}
      </div>

      {keys.data && list.length === 0 ? (
        <EmptyState icon={<KeyRoundIcon />} message="No API keys yet. Create a key to submit scraping jobs through the API.">
          {createButton}
        </EmptyState>
      ) : (
        <div className="overflow-x-auto rounded-xl border bg-card shadow-xs">
          <Table className="min-w-[660px]">
            <TableHeader className="bg-muted/40">
              <TableRow className="hover:bg-transparent">
                <TableHead>Name</TableHead>
                <TableHead>Key</TableHead>
                <TableHead>Type</TableHead>
                <TableHead>Created</TableHead>
                <TableHead>Last used</TableHead>
                <TableHead>Status</TableHead>
                <TableHead className="w-[100px]">
                  <span className="sr-only">Actions</span>
                </TableHead>
              </TableRow>
            </TableHeader>
            <TableBody>
              {list.map((key) => (
                <KeyRow key={key.id} apiKey={key} canChange={canChange} onRevoke={() => setRevoking(key)} />
              ))}
            </TableBody>
          </Table>
        </div>
      )}

      <CreateKeyDialog open={creating} onOpenChange={setCreating} onCreated={() => void keys.mutate()} />
      <RevokeKeyDialog
        apiKey={revoking}
        onOpenChange={(open) => !open && setRevoking(null)}
        onRevoked={(revoked) => void keys.mutate((current) => current && { data: sortKeys(current.data.map((key) => (key.id === revoked.id ? revoked : key))) })}
      />
    </div>
  );
}

/** Active first, then revoked, each oldest first: the API's order. */
function sortKeys(keys: ApiKeyJson[]): ApiKeyJson[] {
  return [...keys].sort((a, b) => Number(a.revoked) - Number(b.revoked) || a.createdAt.localeCompare(b.createdAt));
}

function KeyRow({ apiKey, canChange, onRevoke }: { apiKey: ApiKeyJson; canChange: boolean; onRevoke: () => void }) {
  const timeZone = useTimeZone();
  const now = useNow();
  return (
    <TableRow data-testid="key-row" data-key-id={apiKey.id} data-status={apiKey.status} className={cn('hover:bg-muted/40', apiKey.revoked && 'text-muted-foreground')}>
      <TableCell>
        <Link href={`/dashboard/api-keys/${apiKey.id}`} className="font-medium text-primary hover:underline">
          {apiKey.name}
        </Link>
      </TableCell>
      <TableCell className="font-mono text-xs">{apiKey.prefix}…</TableCell>
      <TableCell>{apiKey.kind === 'test' ? <Badge variant="warning">Test</Badge> : <Badge variant="secondary">Live</Badge>}</TableCell>
      <TableCell className="text-[13px]">
        <Tooltip content={formatFull(apiKey.createdAt, timeZone)}>
          <span>{formatDate(apiKey.createdAt, timeZone)}</span>
        </Tooltip>
      </TableCell>
      <TableCell className="text-[13px]">
        {apiKey.lastUsedAt ? (
          <Tooltip content={formatFull(apiKey.lastUsedAt, timeZone)}>
            <span>{formatCreated(apiKey.lastUsedAt, now, timeZone)}</span>
          </Tooltip>
        ) : (
          'Never'
        )}
      </TableCell>
      <TableCell>{apiKey.revoked ? <Badge variant="destructive">Revoked</Badge> : <Badge variant="outline">Active</Badge>}</TableCell>
      <TableCell className="text-right">
        {!apiKey.revoked && (
          <Button variant="ghost" size="xs" onClick={onRevoke} disabled={!canChange} className="text-destructive hover:bg-red-50 hover:text-destructive">
            Revoke
          </Button>
        )}
      </TableCell>
    </TableRow>
  );
}
