'use client';

import useSWR, { mutate } from 'swr';
import { fetcher } from '@/components/api/fetcher';
import { useFetchOnMount } from '@/components/api/use-polling';
import type { AccountJson } from '@/components/jobs/api-types';

export const accountKey = '/api/v1/account';

/**
 * The signed-in account and its balance, seeded by the dashboard layout. While credits are
 * reserved for unfinished jobs the balance is about to change, so it is read again every
 * `refreshMs`; with nothing reserved it changes only through the viewer's own actions, which call
 * `refreshAccount()`.
 */
export function useAccount({ refreshMs = 0 }: { refreshMs?: number } = {}) {
  return useSWR<AccountJson>(accountKey, fetcher, {
    refreshInterval: (data) => (refreshMs > 0 && data && data.reservedCredits > 0 ? refreshMs : 0),
    refreshWhenHidden: false,
    revalidateOnFocus: false,
    revalidateOnMount: useFetchOnMount(accountKey),
  });
}

/** After anything that moves credits (a job submitted, cancelled, deleted, retried). */
export function refreshAccount() {
  return mutate(accountKey);
}
