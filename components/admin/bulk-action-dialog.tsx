'use client';

import { LoaderCircleIcon } from 'lucide-react';
import { useMemo, useState } from 'react';
import { toast } from 'sonner';
import { postJson } from '@/components/api/fetcher';
import { useDryRun } from '@/components/api/use-dry-run';
import { Button } from '@/components/ui/button';
import { Dialog, DialogClose, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle } from '@/components/ui/dialog';
import type { AdminJobFilter, BulkAction, BulkOutcomeResponse } from '@/lib/schemas/admin';
import { countOf } from '@/lib/format';

export type BulkTarget = { ids: string[] } | { filter: AdminJobFilter };

const jobs = (n: number) => countOf(n, 'job');
const verbs: Record<BulkAction, { title: string; done: string; explain: string; skippedWhy: string }> = {
  cancel: {
    title: 'Cancel',
    done: 'Cancelled',
    explain: 'Queued and processing jobs stop now and are not charged. Their owners see them as cancelled.',
    skippedWhy: 'already finished',
  },
  retry: {
    title: 'Retry',
    done: 'Retried',
    explain: "Each finished job runs again as a new job, charged to its owner's account at today's price.",
    skippedWhy: 'still queued or processing',
  },
};

async function postBulk(action: BulkAction, target: BulkTarget, dryRun: boolean) {
  return postJson<BulkOutcomeResponse>('/api/v1/admin/jobs/bulk', { action, ...target, dryRun });
}

/**
 * The confirmation of a bulk cancel or retry: a dry run counts the jobs it applies to (and the
 * ones it skips), confirming runs it, and a toast reports what changed.
 */
export function BulkActionDialog({
  action,
  target,
  onOpenChange,
  onDone,
}: {
  action: BulkAction | null;
  target: BulkTarget;
  onOpenChange: (open: boolean) => void;
  onDone: () => void;
}) {
  const [pending, setPending] = useState(false);
  const dryRun = useMemo(() => (action ? () => postBulk(action, target, true) : null), [action, target]);
  const { preview, previewError } = useDryRun(dryRun, 'Could not count the jobs.');

  if (!action) return null;
  const verb = verbs[action];
  const skipped = preview ? preview.matched - preview.eligible : 0;

  const confirm = async () => {
    setPending(true);
    try {
      const result = await postBulk(action, target, false);
      const notes = result.skippedCount > 0 ? ` · ${jobs(result.skippedCount)} skipped` : '';
      toast.success(`${verb.done} ${jobs(result.changed)}${notes}`);
      onOpenChange(false);
      onDone();
    } catch (error) {
      toast.error(error instanceof Error ? `${verb.title} failed: ${error.message}` : `${verb.title} failed. Please try again.`);
    } finally {
      setPending(false);
    }
  };

  return (
    <Dialog open onOpenChange={onOpenChange}>
      <DialogContent data-testid="bulk-action-dialog">
        <DialogHeader>
          <DialogTitle>{preview ? `${verb.title} ${jobs(preview.eligible)}?` : `${verb.title} jobs?`}</DialogTitle>
          <DialogDescription>{preview ? verb.explain : (previewError ?? 'Counting the jobs…')}</DialogDescription>
        </DialogHeader>
        {preview && skipped > 0 && (
          <p role="note" className="rounded-md border border-amber-200 bg-amber-50 px-3 py-2 text-sm text-amber-900">
            {jobs(skipped)} of the {preview.matched.toLocaleString('en-US')} selected {skipped === 1 ? 'is' : 'are'} {verb.skippedWhy} and will be skipped.
          </p>
        )}
        <DialogFooter>
          <DialogClose asChild>
            <Button variant="outline">Close</Button>
          </DialogClose>
          <Button
            variant={action === 'cancel' ? 'destructive' : 'default'}
            onClick={() => void confirm()}
            disabled={!preview || preview.eligible === 0 || pending}
          >
            {(pending || (!preview && !previewError)) && <LoaderCircleIcon className="animate-spin" />}
            {preview ? `${verb.title} ${jobs(preview.eligible)}` : verb.title}
          </Button>
        </DialogFooter>
      </DialogContent>
    </Dialog>
  );
}
