import type { QueueStatsResponse } from '@/lib/schemas/responses';

/** What the queue panel shows: GET /api/v1/stats/queue, or any endpoint with the same parts. */
export type QueuePanelData = {
  engines: QueueStatsResponse['engines'];
  jobsPerMinute: number;
  workers: Pick<
    QueueStatsResponse['workers'][number],
    'id' | 'hostname' | 'pid' | 'status' | 'heartbeatAgeSeconds' | 'running' | 'concurrency' | 'rssBytes'
  >[];
  stuckJobs: QueueStatsResponse['stuckJobs'];
  recoveringJobs?: QueueStatsResponse['recoveringJobs'];
};

/**
 * The panel's data from a reply: the account's queue stats as they are, or an admin overview,
 * which names the per-engine counts `queue` (every account's jobs).
 */
export function toQueuePanelData(reply: Omit<QueuePanelData, 'engines'> & ({ engines: QueuePanelData['engines'] } | { queue: QueuePanelData['engines'] })): QueuePanelData {
  return { ...reply, engines: 'engines' in reply ? reply.engines : reply.queue };
}

/** Running jobs out of the slots of every engine: "3/18". */
export function workerLoad(worker: Pick<QueuePanelData['workers'][number], 'running' | 'concurrency'>) {
  const slots = Object.values(worker.concurrency).reduce((sum, n) => sum + n, 0);
  return { running: worker.running, slots };
}

/** "148 MB". */
export function formatMegabytes(bytes: number): string {
  return `${Math.round(bytes / (1024 * 1024)).toLocaleString('en-US')} MB`;
}

/** "12.4", "0.2", "180": jobs per minute with at most one decimal. */
export function formatRate(perMinute: number): string {
  return perMinute >= 100 ? Math.round(perMinute).toLocaleString('en-US') : String(Math.round(perMinute * 10) / 10);
}
