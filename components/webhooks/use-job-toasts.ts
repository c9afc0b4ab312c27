'use client';

import { useRouter } from 'next/navigation';
import { useEffect, useRef } from 'react';
import { toast } from 'sonner';
import type { JobStatus } from '@/lib/jobs';

type WatchedJob = { id: string; status: JobStatus; url: string };

const watching = new Set<JobStatus>(['queued', 'processing']);

/**
 * A toast when a job on screen goes from queued/processing to completed or failed. Fed with the
 * jobs a page polls anyway (the detail page's job, the list's page); the first data it sees only
 * sets the baseline, so opening a page of finished jobs toasts nothing. Each job toasts once per
 * transition, even if two polls report it.
 */
export function useJobToasts(jobs: WatchedJob[] | undefined) {
  const router = useRouter();
  const seen = useRef<Map<string, JobStatus> | null>(null);

  useEffect(() => {
    if (!jobs) return;
    const previous = seen.current;
    const next = new Map(previous ?? []);
    for (const job of jobs) {
      const before = previous?.get(job.id);
      next.set(job.id, job.status);
      if (!before || !watching.has(before) || (job.status !== 'completed' && job.status !== 'failed')) continue;
      const show = job.status === 'completed' ? toast.success : toast.error;
      show(job.status === 'completed' ? 'Job completed' : 'Job failed', {
        id: `job-finished-${job.id}`,
        description: job.url,
        action: { label: 'View', onClick: () => router.push(`/dashboard/jobs/${job.id}`) },
      });
    }
    seen.current = next;
  }, [jobs, router]);
}
