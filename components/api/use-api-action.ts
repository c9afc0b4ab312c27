'use client';

import { useState } from 'react';
import { toast } from 'sonner';
import { ApiClientError } from './fetcher';

/**
 * Runs one API call from a button: `pending` while it runs, and a failure toast with the API's
 * message (or `fallback` when the request never reached the API).
 */
export function useApiAction(fallback: string) {
  const [pending, setPending] = useState(false);
  const run = async (action: () => Promise<void>) => {
    setPending(true);
    try {
      await action();
    } catch (error) {
      toast.error(error instanceof ApiClientError ? error.message : fallback);
    } finally {
      setPending(false);
    }
  };
  return { pending, run };
}
