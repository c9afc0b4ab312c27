'use client';

import { ConfirmDialog } from '@/components/ui/confirm-dialog';
import type { BatchJson } from './api-types';

const jobs = (n: number) => `${n.toLocaleString('en-US')} ${n === 1 ? 'job' : 'jobs'}`;

/** The confirmation before a batch's unfinished jobs are cancelled (the job cancel modal's wording, for many). */
export function CancelBatchDialog({
  batch,
  open,
  pending,
  onOpenChange,
  onConfirm,
}: {
  batch: BatchJson;
  open: boolean;
  pending: boolean;
  onOpenChange: (open: boolean) => void;
  onConfirm: () => void;
}) {
  const { queued, processing } = batch.counts;
  return (
    <ConfirmDialog
      open={open}
      onOpenChange={onOpenChange}
      testId="cancel-batch-dialog"
      title="Cancel This Batch?"
      description={
        <>
          This will cancel the batch&apos;s {jobs(queued + processing)} that have not finished. No credits will be charged for cancelled jobs;
          finished jobs keep their results and charges.
        </>
      }
      cancelLabel="Keep Running"
      confirmLabel="Cancel Batch"
      pending={pending}
      onConfirm={onConfirm}
    >
      {processing > 0 && (
        <p className="rounded-md border border-amber-200 bg-amber-50 px-3 py-2 text-sm text-amber-900">
          {jobs(processing)} {processing === 1 ? 'is' : 'are'} processing. Cancellation will be attempted, but a job may complete before it takes
          effect.
        </p>
      )}
    </ConfirmDialog>
  );
}
