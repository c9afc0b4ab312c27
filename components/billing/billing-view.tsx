'use client';

import { useEffect, useRef, useState } from 'react';
import useSWR from 'swr';
import { refreshAccount } from '@/components/account/use-account';
import { formatCredits } from '@/components/account/credits';
import { fetcher } from '@/components/api/fetcher';
import { useFetchOnMount, usePolling } from '@/components/api/use-polling';
import { Card, CardContent, CardHeader, CardTitle } from '@/components/ui/card';
import { Skeleton } from '@/components/ui/skeleton';
import { useTimeZoneOffset } from '@/components/time/time-context';
import { engineLabels, engines } from '@/lib/jobs';
import type { RetentionSettings } from '@/lib/retention';
import type { CreditsJson, StorageJson } from '../jobs/api-types';
import type { PageSize } from '../jobs/list-params';
import { Pagination } from '../jobs/pagination';
import { BalanceChart } from './balance-chart';
import { creditsApiUrl } from './credits-url';
import { LedgerTable } from './ledger-table';
import { StorageCard } from './storage-card';

/**
 * /dashboard/billing: the balance, what each engine costs today, the balance over 30 days, every
 * credit movement and the storage in use. Live while credits are reserved for unfinished jobs.
 */
export function BillingView({ intervalMs, retention }: { intervalMs: number; retention: RetentionSettings }) {
  const tz = useTimeZoneOffset();
  const [page, setPage] = useState(1);
  const [size, setSize] = useState<PageSize>(25);
  const key = creditsApiUrl({ page, size, tz });
  const credits = usePolling<CreditsJson>(key, fetcher, {
    intervalMs,
    isActive: (data) => data.reserved > 0,
    keepPreviousData: true,
    revalidateOnMount: useFetchOnMount(key),
  });
  const storage = useSWR<StorageJson>('/api/v1/storage', fetcher, { revalidateOnFocus: false, revalidateOnMount: useFetchOnMount('/api/v1/storage') });

  const data = credits.data;
  // The sidebar's balance follows this page's newer reads.
  const available = data?.available;
  const seen = useRef(available);
  useEffect(() => {
    if (available !== undefined && available !== seen.current) void refreshAccount();
    seen.current = available;
  }, [available]);

  if (!data) {
    return (
      <div className="flex flex-col gap-5">
        <h1 className="text-2xl font-semibold tracking-tight">Billing</h1>
        <Skeleton className="h-28" />
        <Skeleton className="h-64" />
      </div>
    );
  }

  const figures = [
    { id: 'available', label: 'Available', value: data.available, hint: 'For new jobs' },
    { id: 'balance', label: 'Balance', value: data.balance, hint: 'Credits on the account' },
    { id: 'reserved', label: 'Reserved', value: data.reserved, hint: 'Held for unfinished jobs' },
  ];

  return (
    <div className="flex flex-col gap-5">
      <h1 className="text-2xl font-semibold tracking-tight">Billing</h1>

      <section aria-label="Balance" className="grid gap-3 sm:grid-cols-3">
        {figures.map((figure) => (
          <div key={figure.id} className="flex flex-col gap-1 rounded-xl border bg-card px-4 py-3.5 shadow-xs" data-testid={`credits-${figure.id}`}>
            <span className="text-[13px] text-muted-foreground">{figure.label}</span>
            <span className="text-2xl font-semibold tracking-tight tabular" data-testid="figure-value">
              {figure.value.toLocaleString('en-US')}
            </span>
            <span className="text-xs text-muted-foreground">{figure.hint}</span>
          </div>
        ))}
      </section>

      <div className="grid gap-5 md:grid-cols-3">
        <Card aria-labelledby="balance-title" className="md:col-span-2">
          <CardHeader>
            <CardTitle id="balance-title">Balance over time</CardTitle>
            <span className="text-xs text-muted-foreground">Last 30 days</span>
          </CardHeader>
          <CardContent>
            <BalanceChart history={data.history} />
          </CardContent>
        </Card>
        <Card aria-labelledby="prices-title">
          <CardHeader>
            <CardTitle id="prices-title">Prices</CardTitle>
          </CardHeader>
          <CardContent className="flex flex-col gap-3 text-sm">
            <dl className="grid grid-cols-[1fr_auto] gap-y-2" data-testid="prices">
              {engines.map((engine) => (
                <div key={engine} className="contents">
                  <dt>{engineLabels[engine]}</dt>
                  <dd className="text-right font-medium tabular" data-engine={engine}>
                    {formatCredits(data.prices[engine])}
                  </dd>
                </div>
              ))}
            </dl>
            <p className="text-xs leading-relaxed text-muted-foreground">
              Per job, charged when it completes or fails. Cancelled and expired jobs cost nothing, and jobs submitted with a test key are free.
            </p>
          </CardContent>
        </Card>
      </div>

      <Card aria-labelledby="ledger-title">
        <CardHeader>
          <CardTitle id="ledger-title">Credit history</CardTitle>
          <span className="text-xs text-muted-foreground tabular">
            {data.ledger.total.toLocaleString('en-US')} {data.ledger.total === 1 ? 'entry' : 'entries'}
          </span>
        </CardHeader>
        <CardContent className="p-0">
          {data.ledger.total === 0 ? (
            <p className="px-5 py-8 text-center text-sm text-muted-foreground">No credit movements yet.</p>
          ) : (
            <>
              <LedgerTable entries={data.ledger.data} dimmed={data.ledger.page !== page || data.ledger.size !== size} />
              <div className="border-t px-5 py-3">
                <Pagination
                  page={page}
                  totalPages={data.ledger.totalPages}
                  size={size}
                  onPage={setPage}
                  onSize={(next) => {
                    setSize(next);
                    setPage(1);
                  }}
                />
              </div>
            </>
          )}
        </CardContent>
      </Card>

      <div className="grid gap-5 md:grid-cols-2">
        {storage.data && <StorageCard usage={storage.data} retention={retention} />}
        <Card aria-labelledby="add-title">
          <CardHeader>
            <CardTitle id="add-title">Add credits</CardTitle>
          </CardHeader>
          <CardContent className="text-sm text-muted-foreground">
            Buying credits online is not available yet. Ask an operator to grant credits to your account.
          </CardContent>
        </Card>
      </div>
    </div>
  );
}
