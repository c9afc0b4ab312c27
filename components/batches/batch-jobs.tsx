'use client';

import Link from 'next/link';
import { fetcher } from '@/components/api/fetcher';
import { usePolling } from '@/components/api/use-polling';
import type { JobListJson } from '@/components/jobs/api-types';
import { JobsTable } from '@/components/jobs/jobs-table';
import { Pagination } from '@/components/jobs/pagination';
import { usePages } from '@/components/jobs/use-pages';
import { ListSkeleton } from '@/components/ui/list-states';

/** The batch's own jobs, newest first, with their own pages; live while the batch has unfinished jobs. */
export function BatchJobs({ batchId, intervalMs, active }: { batchId: string; intervalMs: number; active: boolean }) {
  const { page, size, pagination } = usePages();
  const url = `/api/v1/jobs?batch=${batchId}&page=${page}&size=${size}`;
  const list = usePolling<JobListJson>(url, fetcher, { intervalMs, isActive: () => active, keepPreviousData: true });
  const data = list.data;

  return (
    <section aria-labelledby="batch-jobs-title" className="flex flex-col gap-3">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h2 id="batch-jobs-title" className="text-lg font-semibold tracking-tight">
          Jobs
        </h2>
        <Link href={`/dashboard/jobs?batch=${batchId}`} className="text-sm text-primary hover:underline">
          Open in the jobs list (filters, export)
        </Link>
      </div>
      {!data ? (
        <ListSkeleton what="jobs" rows={5} />
      ) : (
        <>
          <JobsTable jobs={data.data} dimmed={list.isLoading} />
          {data.totalPages > 1 || size !== 25 ? (
            <Pagination {...pagination} totalPages={data.totalPages} />
          ) : null}
        </>
      )}
    </section>
  );
}
