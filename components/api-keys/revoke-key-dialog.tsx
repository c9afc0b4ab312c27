'use client';

import { LoaderCircleIcon } from 'lucide-react';
import { useState } from 'react';
import { toast } from 'sonner';
import { ApiClientError, apiFetch } from '@/components/api/fetcher';
import { Button } from '@/components/ui/button';
import { Dialog, DialogClose, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle } from '@/components/ui/dialog';
import type { ApiKeyJson } from '../jobs/api-types';

/** Confirms and revokes a key; its jobs stay viewable under its name with "(revoked)". */
export function RevokeKeyDialog({
  apiKey,
  onOpenChange,
  onRevoked,
}: {
  apiKey: Pick<ApiKeyJson, 'id' | 'name'> | null;
  onOpenChange: (open: boolean) => void;
  onRevoked: (key: ApiKeyJson) => void;
}) {
  const [pending, setPending] = useState(false);
  const revoke = async () => {
    if (!apiKey) return;
    setPending(true);
    try {
      const revoked = await apiFetch<ApiKeyJson>(`/api/v1/keys/${apiKey.id}`, { method: 'DELETE' });
      toast.success(`API key "${revoked.name}" revoked`);
      onRevoked(revoked);
      onOpenChange(false);
    } catch (error) {
      toast.error(error instanceof ApiClientError ? error.message : 'Could not revoke the key. Please try again.');
    } finally {
      setPending(false);
    }
  };
  return (
    <Dialog open={apiKey !== null} onOpenChange={onOpenChange}>
      <DialogContent data-testid="revoke-key-dialog">
        <DialogHeader>
          <DialogTitle>Revoke &ldquo;{apiKey?.name}&rdquo;?</DialogTitle>
          <DialogDescription>
            Requests that use this key are refused from now on. Jobs it already submitted stay viewable. This cannot be undone.
          </DialogDescription>
        </DialogHeader>
        <DialogFooter>
          <DialogClose asChild>
            <Button variant="outline">Cancel</Button>
          </DialogClose>
          <Button variant="destructive" onClick={() => void revoke()} disabled={pending}>
            {pending && <LoaderCircleIcon className="animate-spin" />}
            Revoke key
          </Button>
        </DialogFooter>
      </DialogContent>
    </Dialog>
  );
}
