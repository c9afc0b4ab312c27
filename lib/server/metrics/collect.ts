import { Counter, Gauge, Registry } from 'prom-client';
import type { Database } from '@/db/client';
import {
  attemptDurationBuckets,
  attemptDurations,
  finishedJobCounts,
  queueDepths,
  rateLimitRefusals,
  webhookDeliveryCounts,
  workerHeartbeats,
} from '@/db/queries/metrics';
import { engines, terminalStatuses } from '@/lib/jobs';

// GET /api/metrics: one Prometheus registry built from a snapshot of the database, so every web
// instance answers the same and what the workers did (attempts, lease recoveries, deliveries,
// heartbeats) is counted from the rows they wrote. prom-client formats the text.

/** A scrape within this long of the last one reuses its snapshot (several Prometheus replicas, one read). */
const snapshotTtlMs = 5000;

type Snapshot = Awaited<ReturnType<typeof readSnapshot>>;

async function readSnapshot(db: Database) {
  const [queue, finished, attempts, webhooks, refusals, workers] = await Promise.all([
    queueDepths(db),
    finishedJobCounts(db),
    attemptDurations(db),
    webhookDeliveryCounts(db),
    rateLimitRefusals(db),
    workerHeartbeats(db),
  ]);
  return { queue, finished, attempts, webhooks, refusals, workers };
}

const globalForMetrics = globalThis as unknown as { scrapifieMetrics?: { at: number; snapshot: Promise<Snapshot> } };

function cachedSnapshot(db: Database): Promise<Snapshot> {
  const cached = globalForMetrics.scrapifieMetrics;
  if (cached && Date.now() - cached.at < snapshotTtlMs) return cached.snapshot;
  const snapshot = readSnapshot(db);
  globalForMetrics.scrapifieMetrics = { at: Date.now(), snapshot };
  snapshot.catch(() => (globalForMetrics.scrapifieMetrics = undefined));
  return snapshot;
}

/**
 * A histogram whose buckets are already counted (by the database): prom-client's Histogram only
 * observes values one by one, so this gives the registry the same object its Histogram would.
 */
function countedHistogram(
  registry: Registry,
  { name, help, rows }: { name: string; help: string; rows: { labels: Record<string, string>; buckets: number[]; count: number; sum: number }[] },
) {
  const metric = {
    name,
    help,
    type: 'histogram',
    aggregator: 'sum',
    get: async () => ({
      name,
      help,
      type: 'histogram',
      aggregator: 'sum',
      values: rows.flatMap(({ labels, buckets, count, sum }) => [
        ...attemptDurationBuckets.map((le, i) => ({ metricName: `${name}_bucket`, labels: { ...labels, le }, value: buckets[i] })),
        { metricName: `${name}_bucket`, labels: { ...labels, le: '+Inf' }, value: count },
        { metricName: `${name}_sum`, labels, value: sum },
        { metricName: `${name}_count`, labels, value: count },
      ]),
    }),
  };
  registry.registerMetric(metric as unknown as Parameters<Registry['registerMetric']>[0]);
}

export async function collectMetrics(db: Database): Promise<{ contentType: string; body: string }> {
  const snapshot = await cachedSnapshot(db);
  const registry = new Registry();
  const registers = [registry];

  const depth = new Gauge({ name: 'scrapifie_queue_depth', help: 'Jobs waiting in the queue, per engine.', labelNames: ['engine'], registers });
  const running = new Gauge({ name: 'scrapifie_queue_processing', help: 'Jobs being processed, per engine.', labelNames: ['engine'], registers });
  const oldest = new Gauge({ name: 'scrapifie_queue_oldest_wait_seconds', help: 'How long the oldest queued job has waited, per engine (0 when none waits).', labelNames: ['engine'], registers });
  for (const engine of engines) {
    const row = snapshot.queue.find((entry) => entry.engine === engine);
    depth.set({ engine }, row?.queued ?? 0);
    running.set({ engine }, row?.processing ?? 0);
    oldest.set({ engine }, row?.oldest_wait_seconds ?? 0);
  }

  const finished = new Counter({ name: 'scrapifie_jobs_finished_total', help: 'Jobs that reached a terminal state, per engine and outcome.', labelNames: ['engine', 'outcome'], registers });
  const expired = new Counter({ name: 'scrapifie_jobs_expired_total', help: 'Jobs that expired in the queue before any worker started them, per engine.', labelNames: ['engine'], registers });
  const manualRetries = new Counter({ name: 'scrapifie_job_retries_requested_total', help: 'Jobs created as a retry of another job (POST /api/v1/jobs/{id}/retry), per engine.', labelNames: ['engine'], registers });
  for (const engine of engines) {
    const rows = snapshot.finished.filter((entry) => entry.engine === engine);
    for (const outcome of terminalStatuses) finished.inc({ engine, outcome }, rows.find((entry) => entry.status === outcome)?.jobs ?? 0);
    expired.inc({ engine }, rows.find((entry) => entry.status === 'expired')?.jobs ?? 0);
    manualRetries.inc({ engine }, rows.reduce((sum, entry) => sum + entry.retries_of_jobs, 0));
  }

  countedHistogram(registry, {
    name: 'scrapifie_attempt_duration_seconds',
    help: 'Duration of finished job attempts, per engine and outcome (retrying: retried automatically; lost: its worker died).',
    rows: snapshot.attempts.map((row) => ({
      labels: { engine: row.engine, outcome: row.outcome },
      buckets: attemptDurationBuckets.map((_, i) => Number(row[`b${i}`])),
      count: Number(row.n),
      sum: Number(row.total_seconds),
    })),
  });
  const retries = new Counter({ name: 'scrapifie_attempt_retries_total', help: 'Attempts that failed transiently and were retried automatically, per engine.', labelNames: ['engine'], registers });
  const recoveries = new Counter({ name: 'scrapifie_lease_recoveries_total', help: 'Attempts whose worker stopped renewing the lease and were recovered by a sweeper, per engine.', labelNames: ['engine'], registers });
  for (const engine of engines) {
    const rows = snapshot.attempts.filter((row) => row.engine === engine);
    retries.inc({ engine }, Number(rows.find((row) => row.outcome === 'retrying')?.n ?? 0));
    recoveries.inc({ engine }, Number(rows.find((row) => row.outcome === 'lost')?.n ?? 0));
  }

  const deliveries = new Gauge({ name: 'scrapifie_webhook_deliveries', help: 'Webhook deliveries (an event to one URL) by status: pending, succeeded, failed.', labelNames: ['status'], registers });
  for (const status of ['pending', 'succeeded', 'failed']) deliveries.set({ status }, snapshot.webhooks.deliveries.find((row) => row.status === status)?.n ?? 0);
  const deliveryAttempts = new Counter({ name: 'scrapifie_webhook_delivery_attempts_total', help: 'Webhook delivery attempts by outcome: success (2xx), failure, blocked (egress guard).', labelNames: ['outcome'], registers });
  for (const outcome of ['success', 'failure', 'blocked']) deliveryAttempts.inc({ outcome }, snapshot.webhooks.attempts.find((row) => row.result === outcome)?.n ?? 0);

  const refusals = new Counter({ name: 'scrapifie_rate_limit_refusals_total', help: 'Requests refused with 429 by each rate limit (create, read).', labelNames: ['limit'], registers });
  for (const limit of ['create', 'read']) refusals.inc({ limit }, Number(snapshot.refusals.find((row) => row.limit_name === limit)?.n ?? 0));

  const heartbeat = new Gauge({ name: 'scrapifie_worker_heartbeat_age_seconds', help: 'Seconds since each running worker last wrote its heartbeat (every 5 s while alive).', labelNames: ['worker', 'hostname'], registers });
  const workerJobs = new Gauge({ name: 'scrapifie_worker_running_jobs', help: 'Jobs each running worker ran at its last heartbeat.', labelNames: ['worker', 'hostname'], registers });
  for (const worker of snapshot.workers.filter((row) => !row.stopped)) {
    heartbeat.set({ worker: worker.id, hostname: worker.hostname }, worker.heartbeat_age_seconds);
    workerJobs.set({ worker: worker.id, hostname: worker.hostname }, worker.running);
  }

  return { contentType: registry.contentType, body: await registry.metrics() };
}
