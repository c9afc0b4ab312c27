'use client';

import { useCallback, useEffect, useRef, useState } from 'react';
import useSWR, { useSWRConfig, type Fetcher, type SWRConfiguration } from 'swr';
import { errorBackoffMs, staleAfterFailures } from '@/lib/polling';
import { ApiClientError } from './fetcher';

/** Errors that another try will not fix: the job is gone or deleted, not ours, or we are signed out. */
export function isPermanent(error: unknown): boolean {
  return error instanceof ApiClientError && [401, 403, 404, 410].includes(error.status);
}

/**
 * Whether a hook should fetch as it mounts. Not when the server component rendered this key's
 * data a moment ago (the first paint); yes when there is no such data, and yes when SWR already
 * holds the key from an earlier visit (back/forward), since it shows that older copy first.
 */
export function useFetchOnMount(key: string, hasFallbackData = false): boolean {
  const { cache, fallback } = useSWRConfig();
  const [cached] = useState(() => cache.get(key) !== undefined);
  return cached || !(hasFallbackData || fallback?.[key] !== undefined);
}

/**
 * SWR with the dashboard's polling rules (spec section 8): refresh every `intervalMs` while
 * `isActive(data)`, never while the tab is hidden, at once when it becomes visible again; after a
 * failure wait 10, 20, 40, then 60 s; `stale` after 3 failures in a row; stop once nothing is active.
 */
export function usePolling<T>(
  key: string | readonly unknown[] | null,
  fetcher: Fetcher<T>,
  { intervalMs, isActive, ...options }: { intervalMs: number; isActive: (data: T) => boolean } & SWRConfiguration<T>,
) {
  const [failures, setFailures] = useState(0);
  const latest = useRef<T | undefined>(undefined);
  // After a permanent error there is nothing left to poll for.
  const ended = useRef(false);
  const isActiveRef = useRef(isActive);
  isActiveRef.current = isActive;
  // SWR restarts its polling loop whenever refreshInterval changes identity, so the function
  // changes exactly when the page turns active or idle; between those it reads the latest data
  // (including data SWR holds only as a fallback, which it does not pass in).
  const [active, setActive] = useState(false);
  const refreshInterval = useCallback(
    () => (active && !ended.current && latest.current !== undefined && isActiveRef.current(latest.current) ? intervalMs : 0),
    [active, intervalMs],
  );

  const swr = useSWR<T>(key, fetcher, {
    refreshInterval,
    refreshWhenHidden: false,
    refreshWhenOffline: false,
    revalidateOnFocus: active,
    revalidateOnReconnect: active,
    focusThrottleInterval: 1000,
    dedupingInterval: Math.min(2000, intervalMs / 2),
    onSuccess: () => {
      ended.current = false;
      setFailures(0);
    },
    onError: (error) => {
      if (isPermanent(error)) ended.current = true;
      setFailures((n) => n + 1);
    },
    onErrorRetry: (error, _key, _config, revalidate, { retryCount }) => {
      if (isPermanent(error)) return;
      // Hidden tabs do not retry; the focus revalidation resumes them when visible.
      if (typeof document !== 'undefined' && document.visibilityState === 'hidden') return;
      setTimeout(() => void revalidate({ retryCount }), errorBackoffMs(retryCount));
    },
    ...options,
  });

  latest.current = swr.data;
  const nowActive = swr.data !== undefined && isActive(swr.data);
  useEffect(() => setActive(nowActive), [nowActive]);

  const { mutate } = swr;
  const refresh = useCallback(() => mutate(), [mutate]);
  return { ...swr, refresh, failures, stale: failures >= staleAfterFailures, active: nowActive };
}
