'use client';

import { useState } from 'react';
import { toast } from 'sonner';
import { refreshAccount } from '@/components/account/use-account';
import { ApiClientError, apiFetch } from './fetcher';

type Live<T> = { mutate: (data: T, options: { revalidate: boolean }) => unknown; refresh: () => unknown };

/**
 * The Cancel button of a batch or crawl page: a confirm dialog's state, and the POST {url}/cancel
 * it confirms. The reply replaces the polled data at once; the toast says what it cancelled (or
 * `ended` for a 409: nothing was left to cancel); the account's credits are read again.
 */
export function useCancelAction<T>({ url, live, cancelled, ended }: { url: string; live: Live<T>; cancelled: (after: T) => string; ended: string }) {
  const [dialog, setDialog] = useState(false);
  const [pending, setPending] = useState(false);
  const cancel = async () => {
    setPending(true);
    try {
      const after = await apiFetch<T>(`${url}/cancel`, { method: 'POST' });
      void live.mutate(after, { revalidate: false });
      setDialog(false);
      toast.success(cancelled(after));
    } catch (error) {
      setDialog(false);
      if (error instanceof ApiClientError && error.status === 409) toast.info(ended);
      else toast.error('Cancellation failed. Please try again.');
    } finally {
      setPending(false);
      void live.refresh();
      void refreshAccount();
    }
  };
  return { dialog, setDialog, pending, cancel };
}
