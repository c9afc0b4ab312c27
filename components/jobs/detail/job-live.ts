'use client';

import { useCallback, useRef } from 'react';
import { apiFetch } from '@/components/api/fetcher';
import { useFetchOnMount, usePolling } from '@/components/api/use-polling';
import { isTerminal } from '@/lib/jobs';
import type { JobJson, LogEntryJson, LogListJson } from '../api-types';

/** A job's detail as the page shows it: the job, every log entry so far, and which entries are new. */
export type LiveJob = {
  job: JobJson;
  logs: LogEntryJson[];
  /** Sequence numbers that arrived with the latest poll, to highlight. */
  fresh: number[];
  /** Terminal on two polls in a row: the entries written after the final transition are in too. */
  settled: boolean;
};

export function initialLiveJob(job: JobJson, logs: LogEntryJson[]): LiveJob {
  return { job, logs, fresh: [], settled: isTerminal(job.status) };
}

/**
 * Polls one job every `intervalMs` while it is active (spec section 8): the job, then only the
 * log entries after the last one held. The job is read first so that, once it shows a terminal
 * state, the entries written in that same transaction are certain to be in the log read after it.
 * One more poll follows the terminal state, for entries a worker writes after a cancel.
 */
export function useLiveJob(id: string, initial: LiveJob, intervalMs: number, isPaused: () => boolean) {
  const latest = useRef(initial);
  const fetchLive = useCallback(async (): Promise<LiveJob> => {
    const previous = latest.current;
    const after = previous.logs.at(-1)?.seq ?? 0;
    const job = await apiFetch<JobJson>(`/api/v1/jobs/${id}`);
    // Purged logs (spec section 11) have nothing more to fetch.
    const page = job.retention.logsPurged ? { data: [] } : await apiFetch<LogListJson>(`/api/v1/jobs/${id}/logs?after=${after}`);
    const added = page.data.filter((entry) => entry.seq > after);
    const next: LiveJob = {
      job,
      logs: added.length > 0 ? [...previous.logs, ...added] : previous.logs,
      fresh: added.map((entry) => entry.seq),
      settled: isTerminal(job.status) && isTerminal(previous.job.status) && previous.job.status === job.status,
    };
    latest.current = next;
    return next;
  }, [id]);

  const key = `job-live:${id}`;
  const live = usePolling<LiveJob>(key, fetchLive, {
    intervalMs,
    isActive: (data) => !data.settled,
    fallbackData: initial,
    // Just rendered by the server: the first poll comes after one interval.
    revalidateOnMount: useFetchOnMount(key, true),
    isPaused,
  });
  if (live.data) latest.current = live.data;
  const { mutate } = live;

  /** Replaces the shown job (an optimistic change, or the server's answer to an action). */
  const setJob = useCallback(
    (job: JobJson) => {
      const next: LiveJob = { ...latest.current, job, fresh: [], settled: false };
      latest.current = next;
      return mutate(next, { revalidate: false });
    },
    [mutate],
  );

  return { ...live, setJob };
}
