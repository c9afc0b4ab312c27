'use client';

import type { ReactNode } from 'react';
import { SWRConfig } from 'swr';

/** Seeds SWR with what the server component already loaded, so the first paint needs no fetch. */
export function SWRFallback({ fallback, children }: { fallback: Record<string, unknown>; children: ReactNode }) {
  return <SWRConfig value={{ fallback }}>{children}</SWRConfig>;
}
