'use client';

import { useRef } from 'react';

/**
 * While another page or filter loads, the previous rows stay (dimmed) instead of a blank table;
 * a failed load of the new key shows the error state, not the old rows.
 */
export function useKeptData<T>({ data, error }: { data: T | undefined; error: unknown }): T | undefined {
  const previous = useRef<T | undefined>(undefined);
  if (data) previous.current = data;
  return data ?? (error ? undefined : previous.current);
}
