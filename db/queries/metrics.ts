import { sql } from 'drizzle-orm';
import type { Engine, JobStatus } from '@/lib/jobs';
import type { Db } from '../client';
import { queuedWaitStart } from '../schema';

// What GET /api/metrics reports, read from the rows every process writes (the web app and the
// workers are separate processes: the database is where their work meets). Counters are counts
// of rows that are never deleted (jobs, attempts, deliveries), so they only grow. Each read scans
// its table; the collector caches the whole snapshot for a few seconds.

/**
 * Queued and processing jobs per engine, and the oldest queued job's wait (all accounts), counted
 * as expiry counts it: from a spaced crawl page's scheduled start, 0 while every page is ahead of it.
 */
export async function queueDepths(db: Db) {
  return db.execute<{ engine: Engine; queued: number; processing: number; oldest_wait_seconds: number | null }>(sql`
    SELECT engine,
      count(*) FILTER (WHERE status = 'queued')::int AS queued,
      count(*) FILTER (WHERE status = 'processing')::int AS processing,
      extract(epoch FROM now() - min(least(${queuedWaitStart}, now())) FILTER (WHERE status = 'queued'))::float8 AS oldest_wait_seconds
    FROM jobs WHERE status IN ('queued', 'processing') GROUP BY engine`);
}

/** Finished jobs per engine and terminal state, and jobs that are retries of another (POST .../retry). */
export async function finishedJobCounts(db: Db) {
  return db.execute<{ engine: Engine; status: JobStatus; jobs: number; retries_of_jobs: number }>(sql`
    SELECT engine, status, count(*)::int AS jobs, count(*) FILTER (WHERE parent_job_id IS NOT NULL)::int AS retries_of_jobs
    FROM jobs GROUP BY engine, status`);
}

/** Buckets (upper bounds, in seconds) of the attempt-duration histogram. */
export const attemptDurationBuckets = [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300] as const;

/**
 * Finished attempts per engine and outcome (completed, failed, retrying = retried automatically,
 * cancelled, lost = its worker died and the lease was recovered) with their durations counted
 * into the histogram buckets (cumulative, as Prometheus wants them).
 */
export async function attemptDurations(db: Db) {
  const buckets = attemptDurationBuckets.map((le, i) => sql`count(*) FILTER (WHERE d <= ${le}::float8)::int AS ${sql.raw(`b${i}`)}`);
  return db.execute<Record<string, number> & { engine: Engine; outcome: string; n: number; total_seconds: number }>(sql`
    SELECT j.engine, a.outcome, ${sql.join(buckets, sql`, `)}, count(*)::int AS n, coalesce(sum(d), 0)::float8 AS total_seconds
    FROM (
      SELECT job_id, outcome, greatest(0, extract(epoch FROM finished_at - started_at))::float8 AS d
      FROM job_attempts WHERE finished_at IS NOT NULL
    ) a JOIN jobs j ON j.id = a.job_id
    GROUP BY j.engine, a.outcome`);
}

/** Webhook deliveries per final status, and their attempts by result. */
export async function webhookDeliveryCounts(db: Db) {
  const [deliveries, attempts] = await Promise.all([
    db.execute<{ status: string; n: number }>(sql`SELECT status, count(*)::int AS n FROM webhook_deliveries GROUP BY status`),
    db.execute<{ result: string; n: number }>(sql`
      SELECT CASE
          WHEN response_status BETWEEN 200 AND 299 THEN 'success'
          WHEN error LIKE 'Blocked:%' THEN 'blocked'
          ELSE 'failure'
        END AS result, count(*)::int AS n
      FROM webhook_delivery_attempts GROUP BY 1`),
  ]);
  return { deliveries, attempts };
}

/** Requests refused by each rate limit (the bucket key's first part: `create`, `read`). */
export async function rateLimitRefusals(db: Db) {
  return db.execute<{ limit_name: string; n: number }>(sql`
    SELECT split_part(key, ':', 1) AS limit_name, sum(refused)::float8 AS n FROM rate_limit_buckets GROUP BY 1`);
}

/** Every worker that has not stopped, with the age of its last heartbeat. */
export async function workerHeartbeats(db: Db) {
  return db.execute<{ id: string; hostname: string; running: number; heartbeat_age_seconds: number; stopped: boolean }>(sql`
    SELECT id, hostname, running, extract(epoch FROM now() - heartbeat_at)::float8 AS heartbeat_age_seconds, stopped_at IS NOT NULL AS stopped
    FROM workers WHERE stopped_at IS NULL OR stopped_at > now() - interval '1 hour'`);
}
