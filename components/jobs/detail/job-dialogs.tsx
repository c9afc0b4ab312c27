'use client';

import { AlertTriangleIcon, LoaderCircleIcon } from 'lucide-react';
import Link from 'next/link';
import { useEffect, type ReactNode } from 'react';
import useSWR from 'swr';
import { Button } from '@/components/ui/button';
import { ConfirmDialog } from '@/components/ui/confirm-dialog';
import { Dialog, DialogClose, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle } from '@/components/ui/dialog';
import { fetcher } from '@/components/api/fetcher';
import { countOf } from '@/lib/format';
import type { AccountJson, ApiKeyListJson, JobJson } from '../api-types';

const credits = (n: number) => countOf(n, 'credit');

/**
 * What a retry would cost and whether it can run (spec section 7), from the account and its keys.
 * The cost is today's price as the server reports it (spec section 13), not the original's.
 */
export function retryCheck(job: JobJson, account: AccountJson | undefined, keys: ApiKeyListJson | undefined) {
  const kind = job.apiKey.test ? 'test' : 'live';
  const cost = job.retryCost;
  const balance = account?.available;
  const revoked = job.apiKey.revoked;
  const replacement = keys?.data.find((key) => !key.revoked && key.kind === kind);
  const noActiveKey = revoked && keys !== undefined && !replacement;
  const insufficient = balance !== undefined && cost > balance;
  return { cost, balance, revoked, noActiveKey, insufficient, ready: account !== undefined && keys !== undefined };
}

export function RetryDialog({
  job,
  open,
  onOpenChange,
  onConfirm,
}: {
  job: JobJson;
  open: boolean;
  onOpenChange: (open: boolean) => void;
  onConfirm: () => void;
}) {
  // Seeded by the server; read again each time the dialog opens.
  const account = useSWR<AccountJson>('/api/v1/account', fetcher, { revalidateOnFocus: false, revalidateOnMount: false });
  const keys = useSWR<ApiKeyListJson>('/api/v1/keys', fetcher, { revalidateOnFocus: false, revalidateOnMount: false });
  const { mutate: refreshAccount } = account;
  const { mutate: refreshKeys } = keys;
  // The balance and keys can change while the page is open: read them again when asked to retry.
  useEffect(() => {
    if (open) {
      void refreshAccount();
      void refreshKeys();
    }
  }, [open, refreshAccount, refreshKeys]);

  const check = retryCheck(job, account.data, keys.data);
  const disabled = !check.ready || check.insufficient || check.noActiveKey;
  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      <DialogContent data-testid="retry-dialog">
        <DialogHeader>
          <DialogTitle>Retry This Job?</DialogTitle>
          <DialogDescription>
            This will create a new job with the same configuration. {credits(check.cost)} will be charged upon completion.
          </DialogDescription>
        </DialogHeader>
        <p className="text-sm">
          Your balance:{' '}
          <span className="font-medium tabular" data-testid="retry-balance">
            {check.balance === undefined ? '…' : credits(check.balance)}
          </span>
        </p>
        {check.insufficient && (
          <Notice>
            Insufficient credits. You need {check.cost} credits but have {check.balance}.{' '}
            <Link href="/dashboard/billing" className="font-medium underline">
              Add credits
            </Link>
          </Notice>
        )}
        {check.revoked && !check.noActiveKey && (
          <Notice>The API key used for this job has been revoked. The retry will use your default active key.</Notice>
        )}
        {check.noActiveKey && <Notice>No active API keys. Create a new key to retry.</Notice>}
        <DialogFooter>
          <DialogClose asChild>
            <Button variant="outline">Cancel</Button>
          </DialogClose>
          <Button onClick={onConfirm} disabled={disabled}>
            {!check.ready && <LoaderCircleIcon className="animate-spin" />}
            Retry
          </Button>
        </DialogFooter>
      </DialogContent>
    </Dialog>
  );
}

export function CancelDialog({
  job,
  open,
  onOpenChange,
  onConfirm,
}: {
  job: JobJson;
  open: boolean;
  onOpenChange: (open: boolean) => void;
  onConfirm: () => void;
}) {
  return (
    <ConfirmDialog
      open={open}
      onOpenChange={onOpenChange}
      testId="cancel-dialog"
      title="Cancel This Job?"
      description="This will cancel the job. No credits will be charged for cancelled jobs."
      cancelLabel="Keep Running"
      confirmLabel="Cancel Job"
      pending={false}
      onConfirm={onConfirm}
    >
      {job.status === 'processing' && (
        <Notice>The job is currently processing. Cancellation will be attempted but the job may complete before cancellation takes effect.</Notice>
      )}
    </ConfirmDialog>
  );
}

export function DeleteDialog({
  job,
  open,
  pending,
  onOpenChange,
  onConfirm,
}: {
  job: JobJson;
  open: boolean;
  pending: boolean;
  onOpenChange: (open: boolean) => void;
  onConfirm: () => void;
}) {
  const active = job.status === 'queued' || job.status === 'processing';
  return (
    <ConfirmDialog
      open={open}
      onOpenChange={onOpenChange}
      testId="delete-dialog"
      title="Delete This Job?"
      description="The job leaves your lists, and its result, screenshot and logs are no longer available. Credits already charged stay in your credit history."
      cancelLabel="Keep Job"
      confirmLabel="Delete Job"
      pending={pending}
      onConfirm={onConfirm}
    >
      {active && <Notice>The job is still {job.status}. It will be cancelled first, so it is not charged.</Notice>}
    </ConfirmDialog>
  );
}

function Notice({ children }: { children: ReactNode }) {
  return (
    <p role="note" className="flex gap-2 rounded-md border border-amber-200 bg-amber-50 px-3 py-2 text-sm text-amber-900">
      <AlertTriangleIcon className="mt-0.5 size-4 shrink-0" />
      <span>{children}</span>
    </p>
  );
}
