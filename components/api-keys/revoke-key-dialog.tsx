'use client';

import { toast } from 'sonner';
import { apiFetch } from '@/components/api/fetcher';
import { useApiAction } from '@/components/api/use-api-action';
import { ConfirmDialog } from '@/components/ui/confirm-dialog';
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
  const { pending, run } = useApiAction('Could not revoke the key. Please try again.');
  const revoke = () =>
    run(async () => {
      if (!apiKey) return;
      const revoked = await apiFetch<ApiKeyJson>(`/api/v1/keys/${apiKey.id}`, { method: 'DELETE' });
      toast.success(`API key "${revoked.name}" revoked`);
      onRevoked(revoked);
      onOpenChange(false);
    });
  return (
    <ConfirmDialog
      open={apiKey !== null}
      onOpenChange={onOpenChange}
      testId="revoke-key-dialog"
      title={<>Revoke &ldquo;{apiKey?.name}&rdquo;?</>}
      description="Requests that use this key are refused from now on. Jobs it already submitted stay viewable. This cannot be undone."
      confirmLabel="Revoke key"
      pending={pending}
      onConfirm={() => void revoke()}
    />
  );
}
