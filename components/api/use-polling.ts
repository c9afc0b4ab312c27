'use client';

import { useCallback, useEffect, useRef, useState } from 'react';
import useSWR, { useSWRConfig, type Fetcher, type SWRConfiguration } from 'swr';
import { errorBackoffMs, PollSchedule, staleAfterFailures } from '@/lib/polling';
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

/** Set once the document's first React commit is done: later mounts are soft navigations. */
let firstCommitDone = false;

/**
 * Called once by the dashboard's shell: after its first commit, a page that mounts was reached
 * by a client-side navigation, so its first poll counts from its mount, not the document's paint.
 */
export function useMarkFirstCommit() {
  useEffect(() => {
    firstCommitDone = true;
  }, []);
}

/**
 * When the first poll counts from: for the page the document loaded with, its first paint (the
 * server's HTML, before hydration and compilation); for a page reached later, its mount.
 */
function pollAnchor(): number {
  const now = Date.now();
  if (firstCommitDone || typeof performance === 'undefined') return now;
  const paint = performance.getEntriesByName('first-contentful-paint')[0] ?? performance.getEntriesByType('navigation')[0];
  const paintedAt = paint ? performance.timeOrigin + ('responseEnd' in paint ? (paint as PerformanceNavigationTiming).responseEnd : paint.startTime) : now;
  // A clock that disagrees with the timeline (a test's fake clock) counts from now.
  return paintedAt <= now && now - paintedAt < 60_000 ? paintedAt : now;
}

const keyText = (key: string | readonly unknown[] | null) => (key === null ? null : typeof key === 'string' ? key : JSON.stringify(key));

/**
 * SWR with the dashboard's polling rules (spec section 8): while `isActive(data)`, a poll every
 * `intervalMs` on a fixed schedule (lib/polling.ts PollSchedule), the first one interval after the
 * first paint; none while the tab is hidden, one at once when it is visible again; after a failure
 * 10, 20, 40, then 60 s; `stale` after 3 failures in a row; nothing once no job is active.
 */
export function usePolling<T>(
  key: string | readonly unknown[] | null,
  fetcher: Fetcher<T>,
  { intervalMs, isActive, ...options }: { intervalMs: number; isActive: (data: T) => boolean } & SWRConfiguration<T>,
) {
  const [failures, setFailures] = useState(0);
  // Errors so far, to tell a poll's outcome (SWR's mutate resolves either way).
  const errors = useRef(0);
  // After a permanent error there is nothing left to poll for.
  const ended = useRef(false);
  const hasData = useRef(false);
  const [anchor] = useState(() => (typeof window === 'undefined' ? 0 : pollAnchor()));

  const swr = useSWR<T>(key, fetcher, {
    refreshWhenHidden: false,
    refreshWhenOffline: false,
    // The schedule below does the polling, and the fetch when the tab is visible again.
    revalidateOnFocus: false,
    revalidateOnReconnect: false,
    dedupingInterval: Math.min(2000, intervalMs / 2),
    onSuccess: () => {
      ended.current = false;
      setFailures(0);
    },
    onError: (error) => {
      errors.current += 1;
      if (isPermanent(error)) ended.current = true;
      setFailures((n) => n + 1);
    },
    onErrorRetry: (error, _key, _config, revalidate, { retryCount }) => {
      // With data on the page the schedule retries (with the same backoff); before that, SWR does.
      if (isPermanent(error) || hasData.current) return;
      if (typeof document !== 'undefined' && document.visibilityState === 'hidden') return;
      setTimeout(() => void revalidate({ retryCount }), errorBackoffMs(retryCount));
    },
    ...options,
  });

  hasData.current = swr.data !== undefined;
  const nowActive = swr.data !== undefined && isActive(swr.data);
  const polling = nowActive && !ended.current;
  const { mutate } = swr;
  const mutateRef = useRef(mutate);
  mutateRef.current = mutate;
  const startedBefore = useRef(false);
  const pollKey = keyText(key);

  useEffect(() => {
    if (!polling || pollKey === null) return;
    const schedule = new PollSchedule({
      intervalMs,
      poll: async () => {
        const before = errors.current;
        await mutateRef.current();
        return errors.current === before;
      },
    });
    // The first start counts from the first paint; a restart (new page, or active again) from now.
    schedule.start(startedBefore.current ? Date.now() : anchor);
    startedBefore.current = true;
    const onVisibility = () => (document.visibilityState === 'hidden' ? schedule.stop() : schedule.resume());
    if (document.visibilityState === 'hidden') schedule.stop();
    document.addEventListener('visibilitychange', onVisibility);
    return () => {
      schedule.stop();
      document.removeEventListener('visibilitychange', onVisibility);
    };
  }, [polling, pollKey, intervalMs, anchor]);

  const refresh = useCallback(() => mutate(), [mutate]);
  return { ...swr, refresh, failures, stale: failures >= staleAfterFailures, active: nowActive };
}
