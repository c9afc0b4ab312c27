import type { Database } from '@/db/client';
import { creditsUsedSince } from '@/db/queries/credits';
import { listJobs } from '@/db/queries/jobs';
import { countJobTotals, countJobsByDay } from '@/db/queries/stats';
import { recentDays, statsWindowDays } from '@/lib/day-series';
import type { JobStatus } from '@/lib/jobs';
import { listJobsQuerySchema } from '@/lib/schemas/jobs';
import { serializeJobSummary } from '@/lib/server/jobs/serialize';

type DayCounts = { date: string } & Record<JobStatus, number>;

export const recentJobsCount = 10;

/**
 * GET /api/v1/stats: the overview's cards, its jobs-per-day chart and its recent jobs. The 30-day
 * figures count jobs created in the last 30 local days (today included), the same window as the
 * jobs list's "Last 30 days" filter, so a card and the list it links to agree; credits used is the
 * ledger's charges over that window.
 */
export async function loadStats(db: Database, { accountId, tz }: { accountId: string; tz: number }) {
  const { days, since } = recentDays(tz, statsWindowDays);
  const [totals, byDay, creditsUsed30d, recent] = await Promise.all([
    countJobTotals(db, accountId),
    countJobsByDay(db, { accountId, since, tz }),
    creditsUsedSince(db, { accountId, since }),
    listJobs(db, { accountId, query: { ...listJobsQuerySchema.parse({ tz }), size: recentJobsCount } }),
  ]);

  const zero = { completed: 0, failed: 0, cancelled: 0, expired: 0, queued: 0, processing: 0 };
  const perDay = new Map<string, DayCounts>(days.map((date) => [date, { date, ...zero }]));
  let ranCount = 0;
  let ranMs = 0;
  for (const row of byDay) {
    const day = perDay.get(row.day);
    if (day) day[row.status] += row.count;
    ranCount += row.ranCount;
    ranMs += row.ranMs;
  }
  const sum = (status: JobStatus) => [...perDay.values()].reduce((n, day) => n + day[status], 0);
  const completed30d = sum('completed');
  const failed30d = sum('failed');
  return {
    totalJobs: totals.total,
    activeNow: totals.queued + totals.processing,
    queued: totals.queued,
    processing: totals.processing,
    completed30d,
    failed30d,
    creditsUsed30d,
    /** completed / (completed + failed), 0 to 1; null when nothing finished in the window. */
    successRate30d: completed30d + failed30d > 0 ? completed30d / (completed30d + failed30d) : null,
    avgDurationMs30d: ranCount > 0 ? Math.round(ranMs / ranCount) : null,
    perDay: [...perDay.values()],
    recent: recent.rows.map(serializeJobSummary),
  };
}

export type StatsJson = Awaited<ReturnType<typeof loadStats>>;
