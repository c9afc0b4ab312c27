'use client';

import { BanIcon, CopyIcon, RotateCcwIcon, Trash2Icon } from 'lucide-react';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useMemo, useRef, useState } from 'react';
import useSWR from 'swr';
import { toast } from 'sonner';
import { Button } from '@/components/ui/button';
import { Card, CardContent, CardHeader, CardTitle } from '@/components/ui/card';
import { refreshAccount } from '@/components/account/use-account';
import { ApiClientError, apiFetch, fetcher } from '@/components/api/fetcher';
import { IdempotentAction } from '@/components/api/idempotency';
import { isTerminal } from '@/lib/jobs';
import type { AccountJson, JobJson, LogEntryJson } from '../api-types';
import { BackToJobs } from '../back-link';
import { RefreshIndicator, StaleBanner } from '../live-status';
import { ChangeSection } from './change-view';
import { ErrorDetails } from './error-details';
import { ExtractedView } from './extracted-view';
import { ExecutionLog } from './execution-log';
import { JobHeading } from './job-heading';
import { CancelDialog, DeleteDialog, RetryDialog } from './job-dialogs';
import { JobGone } from './job-gone';
import { initialLiveJob, useLiveJob } from './job-live';
import { OverviewCard } from './overview-card';
import { RequestConfig } from './request-config';
import { ResultSection } from './result-viewer';
import { JobsBreadcrumb } from '@/components/shell/breadcrumb';
import { JobDeliveries } from '@/components/webhooks/job-deliveries';
import { useJobToasts } from '@/components/webhooks/use-job-toasts';

const raceMessage = 'Job completed before cancellation could take effect. Credits have been charged.';

/** /dashboard/jobs/{id} (spec sections 4-8): live while the job is active. */
export function JobDetailView({ job: initialJob, logs, intervalMs }: { job: JobJson; logs: LogEntryJson[]; intervalMs: number }) {
  const router = useRouter();
  const [initial] = useState(() => initialLiveJob(initialJob, logs));
  const id = initial.job.id;
  const acting = useRef(false);
  const retrying = useRef(new IdempotentAction()).current;
  const [deleted, setDeleted] = useState(false);
  const live = useLiveJob(id, initial, intervalMs, () => acting.current || deleted);
  const account = useSWR<AccountJson>('/api/v1/account', fetcher, { revalidateOnFocus: false, revalidateOnMount: false });
  const [dialog, setDialog] = useState<'retry' | 'cancel' | 'delete' | null>(null);
  const [deleting, setDeleting] = useState(false);

  const data = live.data ?? initial;
  const job = data.job;
  const watched = useMemo(() => [job], [job]);
  useJobToasts(watched);
  const fresh = useMemo(() => new Set(data.fresh), [data.fresh]);

  if (deleted || (live.error instanceof ApiClientError && live.error.status === 410)) return <JobGone reason="deleted" />;
  if (live.error instanceof ApiClientError && (live.error.status === 404 || live.error.status === 403)) {
    return <JobGone reason={live.error.status === 404 ? 'gone' : 'forbidden'} />;
  }

  const active = !isTerminal(job.status);

  const cancel = async () => {
    setDialog(null);
    const before = job;
    acting.current = true;
    // Optimistic (spec section 8): grey dot, no Cancel button, until the server answers.
    void live.setJob({ ...job, status: 'cancelled' });
    try {
      const after = await apiFetch<JobJson>(`/api/v1/jobs/${id}/cancel`, { method: 'POST' });
      void live.setJob(after);
      if (after.status === 'completed') toast.warning(raceMessage);
      else toast.success('Job cancellation requested');
    } catch (error) {
      // A conflict naming "completed" is the same race, lost before the request reached the job.
      if (error instanceof ApiClientError && error.status === 409 && (error.details as { status?: string } | undefined)?.status === 'completed') {
        toast.warning(raceMessage);
      } else {
        void live.setJob(before);
        toast.error('Cancellation failed. Please try again.');
      }
    } finally {
      acting.current = false;
      void live.refresh();
      void refreshAccount();
    }
  };

  const retry = async () => {
    setDialog(null);
    const toastId = toast.loading('Creating retry job...');
    try {
      const created = await apiFetch<JobJson>(`/api/v1/jobs/${id}/retry`, { method: 'POST', headers: retrying.headers(id) });
      retrying.settle();
      toast.success('Job retry submitted. Redirecting to new job...', { id: toastId });
      void refreshAccount();
      router.push(`/dashboard/jobs/${created.id}`);
    } catch (error) {
      retrying.settle(error);
      const reason = error instanceof Error ? error.message : 'Unknown error';
      toast.error(`Retry failed: ${reason}`, { id: toastId });
    }
  };

  const remove = async () => {
    setDeleting(true);
    acting.current = true;
    try {
      await apiFetch(`/api/v1/jobs/${id}`, { method: 'DELETE' });
      setDialog(null);
      setDeleted(true);
      toast.success('Job deleted');
      void refreshAccount();
    } catch (error) {
      // Deleted a moment ago elsewhere: the outcome the user asked for.
      if (error instanceof ApiClientError && error.status === 410) {
        setDialog(null);
        setDeleted(true);
      } else {
        toast.error(`Delete failed: ${error instanceof Error ? error.message : 'Unknown error'}`);
      }
    } finally {
      acting.current = false;
      setDeleting(false);
    }
  };

  // A suspended account sees no Retry (spec section 7) and changes nothing; nor does one being deleted.
  const readOnly = Boolean(account.data?.suspended || account.data?.deletionRequestedAt);
  const canRetry = isTerminal(job.status) && !readOnly;

  return (
    <div className="flex flex-col gap-5">
      <div className="flex flex-col gap-3">
        <div className="flex flex-wrap items-center justify-between gap-3">
          <BackToJobs jobId={id} />
          <RefreshIndicator live={active && !live.stale} refreshing={live.isValidating} />
        </div>
        <JobsBreadcrumb current={id.slice(0, 8)} mono />
        <JobHeading job={job} reserveProgress={!isTerminal(initial.job.status)} />
      </div>

      {live.stale && <StaleBanner onRefresh={() => void live.refresh()} refreshing={live.isValidating} />}

      <OverviewCard job={job} />
      <RequestConfig job={job} />
      <ExecutionLog entries={data.logs} freshSeqs={fresh} active={active} purgedMessage={job.retention.logsPurged ? job.retention.notices.logs : null} />
      {job.status === 'failed' ? <ErrorDetails job={job} /> : <ResultSection job={job} />}
      {job.extracted && <ExtractedView extracted={job.extracted} />}
      <ChangeSection job={job} />
      <JobDeliveries job={job} intervalMs={intervalMs} />

      <Card aria-labelledby="actions-title">
        <CardHeader>
          <CardTitle id="actions-title">Actions</CardTitle>
        </CardHeader>
        <CardContent className="flex flex-wrap items-center gap-3">
          {active && !readOnly && (
            <Button variant="destructive" onClick={() => setDialog('cancel')}>
              <BanIcon />
              Cancel Job
            </Button>
          )}
          {canRetry && (
            <Button onClick={() => setDialog('retry')}>
              <RotateCcwIcon />
              Retry Job
            </Button>
          )}
          {readOnly ? (
            <p className="text-sm text-muted-foreground">No actions are available while your account cannot make changes.</p>
          ) : (
            <>
              <Button variant="outline" asChild>
                <Link href={`/dashboard/jobs/new?from=${id}`} title="Open the new job form with this job's URL and options">
                  <CopyIcon />
                  Clone Job
                </Link>
              </Button>
              <Button variant="ghost" onClick={() => setDialog('delete')} className="text-destructive hover:bg-red-50 hover:text-destructive sm:ml-auto">
                <Trash2Icon />
                Delete Job
              </Button>
            </>
          )}
        </CardContent>
      </Card>

      <RetryDialog job={job} open={dialog === 'retry'} onOpenChange={(open) => setDialog(open ? 'retry' : null)} onConfirm={() => void retry()} />
      <CancelDialog job={job} open={dialog === 'cancel'} onOpenChange={(open) => setDialog(open ? 'cancel' : null)} onConfirm={() => void cancel()} />
      <DeleteDialog job={job} open={dialog === 'delete'} pending={deleting} onOpenChange={(open) => setDialog(open ? 'delete' : null)} onConfirm={() => void remove()} />
    </div>
  );
}
