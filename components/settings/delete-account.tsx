'use client';

import { AlertTriangleIcon, LoaderCircleIcon, Trash2Icon } from 'lucide-react';
import { useId, useState } from 'react';
import { toast } from 'sonner';
import { useAccount } from '@/components/account/use-account';
import { apiFetch } from '@/components/api/fetcher';
import { Button } from '@/components/ui/button';
import { Card, CardContent, CardHeader, CardTitle } from '@/components/ui/card';
import { Dialog, DialogClose, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle } from '@/components/ui/dialog';
import { Input } from '@/components/ui/input';
import { Label } from '@/components/ui/label';
import { formatFull } from '@/components/time/format';
import { useTimeZone } from '@/components/time/time-context';

/**
 * "Delete account" (spec section 13): the deletion is queued, the account's active jobs finish,
 * then it is deleted. Typing the email confirms; the session ends right after the request.
 */
export function DeleteAccountSection({ signOut }: { signOut: () => Promise<void> }) {
  const { data: account } = useAccount();
  const timeZone = useTimeZone();
  const [open, setOpen] = useState(false);
  const [typed, setTyped] = useState('');
  const [pending, setPending] = useState(false);
  const inputId = useId();
  const email = account?.email ?? '';
  const requestedAt = account?.deletionRequestedAt;

  const confirm = async () => {
    setPending(true);
    try {
      await apiFetch('/api/v1/account', { method: 'DELETE' });
      toast.success('Account deletion requested. Signing you out…');
      await signOut();
    } catch (error) {
      setPending(false);
      toast.error(error instanceof Error ? `Could not delete the account: ${error.message}` : 'Could not delete the account. Please try again.');
    }
  };

  return (
    <Card aria-labelledby="danger-title" className="border-red-200" data-testid="delete-account">
      <CardHeader className="border-red-100">
        <CardTitle id="danger-title" className="text-red-700">
          Delete account
        </CardTitle>
      </CardHeader>
      <CardContent className="flex flex-col gap-4 text-sm">
        {requestedAt ? (
          <p role="status">
            Deletion was requested on {formatFull(requestedAt, timeZone)}. The account is deleted as soon as its queued and processing jobs have finished.
          </p>
        ) : (
          <>
            <p className="text-muted-foreground">
              Deleting your account revokes its API keys and closes it: you can no longer sign in, and its jobs, results and credits are gone with it.
              Jobs that are queued or processing finish first; the account is deleted once they have. This cannot be undone.
            </p>
            <div>
              <Button variant="destructive" onClick={() => setOpen(true)} disabled={!account || account.suspended}>
                <Trash2Icon />
                Delete account…
              </Button>
            </div>
          </>
        )}
      </CardContent>
      <Dialog
        open={open}
        onOpenChange={(next) => {
          setOpen(next);
          if (!next) setTyped('');
        }}
      >
        <DialogContent data-testid="delete-account-dialog">
          <DialogHeader>
            <DialogTitle>Delete your account?</DialogTitle>
            <DialogDescription>No new jobs can be submitted from now on, and you will be signed out.</DialogDescription>
          </DialogHeader>
          <p role="note" className="flex gap-2 rounded-md border border-amber-200 bg-amber-50 px-3 py-2 text-sm text-amber-900">
            <AlertTriangleIcon className="mt-0.5 size-4 shrink-0" />
            <span>Jobs that are queued or processing are not cancelled: they finish first (and are charged as usual), then the account is deleted.</span>
          </p>
          <div className="grid gap-2">
            <Label htmlFor={inputId}>
              Type <span className="font-mono">{email}</span> to confirm
            </Label>
            <Input id={inputId} value={typed} onChange={(event) => setTyped(event.target.value)} autoComplete="off" spellCheck={false} />
          </div>
          <DialogFooter>
            <DialogClose asChild>
              <Button variant="outline">Keep account</Button>
            </DialogClose>
            <Button variant="destructive" onClick={() => void confirm()} disabled={pending || typed.trim().toLowerCase() !== email.toLowerCase()}>
              {pending && <LoaderCircleIcon className="animate-spin" />}
              Delete account
            </Button>
          </DialogFooter>
        </DialogContent>
      </Dialog>
    </Card>
  );
}
