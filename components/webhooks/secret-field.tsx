'use client';

import { EyeIcon, LoaderCircleIcon } from 'lucide-react';
import { useState } from 'react';
import { toast } from 'sonner';
import { ApiClientError, apiFetch } from '@/components/api/fetcher';
import { Button } from '@/components/ui/button';
import { CopyButton } from '../jobs/detail/copy-button';

/**
 * A signing secret, masked until revealed (fetched from `url` only then), with a copy button.
 * Copying a masked secret first fetches it, so Copy always copies the real one.
 */
export function SecretField({ url, masked, label }: { url: string; masked?: string; label: string }) {
  const [secret, setSecret] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const reveal = async () => {
    setPending(true);
    try {
      setSecret((await apiFetch<{ secret: string }>(url)).secret);
    } catch (error) {
      toast.error(error instanceof ApiClientError ? error.message : 'Could not load the secret.');
    } finally {
      setPending(false);
    }
  };
  return (
    <div className="flex min-w-0 items-center gap-2">
      <code aria-label={label} data-testid="secret-value" className="min-w-0 truncate rounded bg-muted px-2 py-1 font-mono text-xs">
        {secret ?? masked ?? 'whsec_••••••••••••'}
      </code>
      {secret === null ? (
        <Button variant="outline" size="sm" onClick={() => void reveal()} disabled={pending}>
          {pending ? <LoaderCircleIcon className="animate-spin" /> : <EyeIcon />}
          Reveal
        </Button>
      ) : (
        <CopyButton text={secret} />
      )}
    </div>
  );
}
