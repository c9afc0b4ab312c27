'use client';

import { ConfirmDialog } from '@/components/ui/confirm-dialog';
import { countOf } from '@/lib/format';
import type { CrawlJson } from './api-types';

const pages = (n: number) => countOf(n, 'page');

/** The confirmation before a crawl stops discovering and its unfinished pages are cancelled. */
export function CancelCrawlDialog({
  crawl,
  open,
  pending,
  onOpenChange,
  onConfirm,
}: {
  crawl: CrawlJson;
  open: boolean;
  pending: boolean;
  onOpenChange: (open: boolean) => void;
  onConfirm: () => void;
}) {
  const { queued, processing } = crawl.progress;
  return (
    <ConfirmDialog
      open={open}
      onOpenChange={onOpenChange}
      testId="cancel-crawl-dialog"
      title="Cancel This Crawl?"
      description={
        <>
          No more links will be followed, and the crawl&apos;s {pages(queued + processing)} that have not finished will be cancelled. No credits will be
          charged for cancelled pages; finished pages keep their results and charges.
        </>
      }
      cancelLabel="Keep Running"
      confirmLabel="Cancel Crawl"
      pending={pending}
      onConfirm={onConfirm}
    />
  );
}
