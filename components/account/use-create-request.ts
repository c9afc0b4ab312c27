'use client';

import { useState } from 'react';
import { postJson } from '@/components/api/fetcher';
import { sentence } from './secret-once-dialog';

type Parsed = { success: true; data: unknown } | { success: false; error: { issues: readonly { message: string }[] } };

/**
 * The first step of a create dialog: validate the form (`parsed`, a zod safeParse result), POST it
 * to `url`, and keep what the API created (its secret is shown next). `failure` words an API error.
 */
export function useCreateRequest<T>(url: string, { onCreated, failure }: { onCreated: () => void; failure: (caught: unknown) => string }) {
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const [created, setCreated] = useState<T | null>(null);

  const create = async (parsed: Parsed, invalid: string) => {
    if (!parsed.success) {
      setError(sentence(parsed.error.issues[0]?.message ?? invalid));
      return;
    }
    setPending(true);
    setError(null);
    try {
      setCreated(await postJson<T>(url, parsed.data));
      onCreated();
    } catch (caught) {
      setError(failure(caught));
    } finally {
      setPending(false);
    }
  };
  const clear = () => {
    setError(null);
    setCreated(null);
  };
  return { created, error, pending, create, clear };
}
