'use client';

import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { mutate } from 'swr';
import { useCanChange } from '@/components/account/account-banner';
import { Button } from '@/components/ui/button';
import { RevokeKeyDialog } from './revoke-key-dialog';

/** The key page's "Revoke key": confirms, revokes, and renders the page again from the server. */
export function RevokeKeyButton({ id, name }: { id: string; name: string }) {
  const router = useRouter();
  const canChange = useCanChange();
  const [open, setOpen] = useState(false);
  return (
    <>
      <Button variant="outline" onClick={() => setOpen(true)} disabled={!canChange} className="text-destructive hover:text-destructive">
        Revoke key
      </Button>
      <RevokeKeyDialog
        apiKey={open ? { id, name } : null}
        onOpenChange={setOpen}
        onRevoked={() => {
          void mutate('/api/v1/keys');
          router.refresh();
        }}
      />
    </>
  );
}
