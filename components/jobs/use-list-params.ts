'use client';

import { useSearchParams } from 'next/navigation';
import { useCallback, useMemo } from 'react';
import { parseListParams, toSearchString, type ListParams } from './list-params';

/**
 * The jobs list state from the URL, and a way to change it. Changes are pushed with the native
 * History API, which Next.js folds into its router: back and forward restore each state, and no
 * server round trip happens (SWR fetches the data for the new key).
 */
export function useListParams() {
  const searchParams = useSearchParams();
  const params = useMemo(() => parseListParams(searchParams), [searchParams]);

  const navigate = useCallback((next: ListParams, { replace = false } = {}) => {
    const url = `${window.location.pathname}${toSearchString(next)}`;
    if (url === `${window.location.pathname}${window.location.search}`) return;
    if (replace) window.history.replaceState(null, '', url);
    else window.history.pushState(null, '', url);
  }, []);

  /** Applies a change; any change except the page itself goes back to page 1 (spec section 9). */
  const update = useCallback(
    (patch: Partial<ListParams>, options?: { replace?: boolean }) => {
      const next = { ...params, ...patch };
      if (!('page' in patch)) next.page = 1;
      navigate(next, options);
    },
    [params, navigate],
  );

  return { params, navigate, update };
}
