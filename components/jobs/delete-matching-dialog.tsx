'use client';

import { AlertTriangleIcon, LoaderCircleIcon, Trash2Icon } from 'lucide-react';
import { useMemo, useState } from 'react';
import { toast } from 'sonner';
import { refreshAccount } from '@/components/account/use-account';
import { postJson } from '@/components/api/fetcher';
import { useDryRun } from '@/components/api/use-dry-run';
import { Button } from '@/components/ui/button';
import { Dialog, DialogClose, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle } from '@/components/ui/dialog';
import { useTimeZoneOffset } from '@/components/time/time-context';
import { countOf } from '@/lib/format';
import type { BulkDeleteJson } from './api-types';
import { deleteJobsBody, hasActiveFilters, type ListParams } from './list-params';

const jobs = (n: number) => countOf(n, 'job');

async function postDelete(params: ListParams, tz: number, dryRun: boolean) {
  return postJson<BulkDeleteJson>('/api/v1/jobs/delete', deleteJobsBody(params, tz, dryRun));
}

/**
 * "Delete matching jobs…": a dry run counts what the current filters match and how many of those
 * are still active (they are cancelled first); confirming deletes exactly that set.
 */
export function DeleteMatchingButton({ params, disabled, onDeleted }: { params: ListParams; disabled: boolean; onDeleted: () => void }) {
  const tz = useTimeZoneOffset();
  const [open, setOpen] = useState(false);
  const [pending, setPending] = useState(false);
  const dryRun = useMemo(() => (open ? () => postDelete(params, tz, true) : null), [open, params, tz]);
  const { preview, previewError } = useDryRun(dryRun, 'Could not count the matching jobs.');

  const confirm = async () => {
    setPending(true);
    try {
      const result = await postDelete(params, tz, false);
      toast.success(`Deleted ${jobs(result.count)}${result.cancelled > 0 ? ` (${result.cancelled} cancelled first)` : ''}`);
      setOpen(false);
      onDeleted();
      void refreshAccount();
    } catch (error) {
      toast.error(error instanceof Error ? `Delete failed: ${error.message}` : 'Delete failed. Please try again.');
    } finally {
      setPending(false);
    }
  };

  const filtered = hasActiveFilters(params);
  return (
    <>
      <Button variant="outline" size="sm" onClick={() => setOpen(true)} disabled={disabled} className="text-destructive hover:text-destructive">
        <Trash2Icon />
        Delete matching jobs…
      </Button>
      <Dialog open={open} onOpenChange={setOpen}>
        <DialogContent data-testid="delete-matching-dialog">
          <DialogHeader>
            <DialogTitle>{preview ? `Delete ${jobs(preview.count)}?` : 'Delete matching jobs?'}</DialogTitle>
            <DialogDescription>
              {preview
                ? filtered
                  ? `${jobs(preview.count)} ${preview.count === 1 ? 'matches' : 'match'} your current filters.`
                  : `No filters are set, so this deletes every job in your account: ${jobs(preview.count)}.`
                : previewError ?? 'Counting the jobs that match your current filters…'}
            </DialogDescription>
          </DialogHeader>
          {preview && preview.active > 0 && (
            <p role="note" className="flex gap-2 rounded-md border border-amber-200 bg-amber-50 px-3 py-2 text-sm text-amber-900" data-testid="delete-active-note">
              <AlertTriangleIcon className="mt-0.5 size-4 shrink-0" />
              <span>
                {preview.active} of them {preview.active === 1 ? 'is' : 'are'} still queued or processing and will be cancelled first (cancelled jobs are not
                charged).
              </span>
            </p>
          )}
          <p className="text-sm text-muted-foreground">
            Deleted jobs leave your lists, counts and exports, and their results, screenshots and logs are no longer available. Charges stay in your
            credit history.
          </p>
          <DialogFooter>
            <DialogClose asChild>
              <Button variant="outline">Cancel</Button>
            </DialogClose>
            <Button variant="destructive" onClick={() => void confirm()} disabled={!preview || preview.count === 0 || pending}>
              {(pending || (!preview && !previewError)) && <LoaderCircleIcon className="animate-spin" />}
              {preview ? `Delete ${jobs(preview.count)}` : 'Delete'}
            </Button>
          </DialogFooter>
        </DialogContent>
      </Dialog>
    </>
  );
}
