import { setTimeout as sleep } from 'node:timers/promises';
import type { PgBoss } from 'pg-boss';
import type { Database, Transaction } from '@/db/client';
import { bumpAttempt, claimJob, finishRun, jobStatus, recordAttempt, type RunEnd } from '@/db/queries/jobs';
import { appendLogs, type NewLogEntry } from '@/db/queries/logs';
import type { Job } from '@/db/schema';
import { engineLabels, retryDelayMs } from '@/lib/jobs';
import { log } from '@/lib/log';
import { toScrapeError, type ScrapeError } from '@/lib/scrape-errors';
import type { EgressPolicy } from '@/workers/egress/policy';
import type { Engine } from '@/workers/engines/types';
import { JobLogger } from '@/workers/job-logger';
import { planDiscovery } from '@/workers/crawl/discover';
import { finishCrawlPage } from '@/workers/crawl/finish-page';

export type AbortReason = 'cancel' | 'shutdown';

export type RunJobDeps = {
  db: Database;
  workerId: string;
  engine: Engine;
  egress: EgressPolicy;
  leaseSeconds: number;
  maxContentBytes: number;
  logFlushMs: number;
  retryDelayScale: number;
  /** Registers the job's controller so cancel notifications and shutdown can abort it. */
  track(jobId: string, controller: AbortController): () => void;
  /** Puts a job whose run was interrupted by shutdown back on the queue. */
  handBack(tx: Transaction, job: Job): Promise<void>;
  /** The worker's queue, for the pages a crawl page discovers. */
  boss: PgBoss;
};

const entry = (level: NewLogEntry['level'], message: string, metadata?: Record<string, unknown>): NewLogEntry => ({
  timestamp: new Date(),
  level,
  message,
  metadata,
});

/**
 * Runs one job from claim to a terminal state. Every transition is a conditional update, so a
 * cancel that wins the race is respected: the result is dropped and the run ends.
 */
export async function runJob(jobId: string, deps: RunJobDeps): Promise<void> {
  const { db } = deps;
  const claimed = await claimJob(db, { id: jobId, workerId: deps.workerId, leaseSeconds: deps.leaseSeconds });
  if (!claimed) return; // cancelled, expired, or already taken by another worker

  const controller = new AbortController();
  const untrack = deps.track(jobId, controller);
  const logger = new JobLogger(db, jobId, deps.logFlushMs);
  let attempt = claimed.attempts;
  try {
    logger.info('Worker picked up job', { workerId: deps.workerId, attempt });
    logger.info(`Engine: ${engineLabels[claimed.engine]}`);

    for (;;) {
      try {
        const result = await deps.engine(
          { ...claimed.config, url: claimed.url },
          { signal: controller.signal, log: logger.log, egress: deps.egress, maxContentBytes: deps.maxContentBytes },
        );
        await complete({ deps, job: claimed, attempt, logger, result, signal: controller.signal });
        return;
      } catch (raw) {
        if (controller.signal.aborted) {
          await interrupted({ deps, job: claimed, attempt, logger, reason: controller.signal.reason as AbortReason });
          return;
        }
        const error = toScrapeError(raw);
        if (error.type === 'INTERNAL_ERROR') log.error('job attempt failed with an internal error', { jobId, attempt, err: raw });
        logger.error(`Request failed: ${error.type} - ${error.message}`);
        if (!error.retryable || attempt >= claimed.maxAttempts) {
          await fail({ deps, job: claimed, attempt, logger, error });
          return;
        }
        await recordAttempt(db, { jobId, attempt, outcome: 'retrying', errorType: error.type, errorMessage: error.message });
        if (!(await bumpAttempt(db, jobId))) {
          await interrupted({ deps, job: claimed, attempt, logger, reason: 'cancel' });
          return;
        }
        const retry = attempt;
        attempt += 1;
        logger.warn(`Retry ${retry} of ${claimed.maxAttempts - 1}: ${error.reason}`, { nextAttempt: attempt });
        try {
          await sleep(retryDelayMs(retry) * deps.retryDelayScale, undefined, { signal: controller.signal });
        } catch {
          await interrupted({ deps, job: claimed, attempt, logger, reason: controller.signal.reason as AbortReason });
          return;
        }
        await recordAttempt(db, { jobId, attempt, outcome: 'running', finished: false });
      }
    }
  } finally {
    untrack();
    await logger.flush();
  }
}

type Step = { deps: RunJobDeps; job: Job; attempt: number; logger: JobLogger };

/** Ends the run: with finishRun alone (one statement), or for a crawl page with its link discovery in the same transaction. */
async function end(deps: RunJobDeps, job: Job, run: RunEnd, plan: Awaited<ReturnType<typeof planDiscovery>> = null) {
  if (!job.crawlId) return finishRun(deps.db, run);
  return finishCrawlPage(deps.db, { job, end: run, plan, boss: deps.boss });
}

async function complete({ deps, job, attempt, logger, result, signal }: Step & { result: Awaited<ReturnType<Engine>>; signal: AbortSignal }) {
  // A crawl page's links are read (and new hosts' robots.txt fetched) before its transaction opens.
  const plan = job.crawlId
    ? await planDiscovery(deps.db, { job, html: result.html, finalUrl: result.finalUrl, egress: deps.egress, signal }).catch((error) => {
        // The page itself succeeded: it completes without its links rather than failing.
        log.error('crawl link discovery failed', { jobId: job.id, err: error });
        return null;
      })
    : null;
  const pending = await logger.drain();
  const results: RunEnd['results'] = [
    { kind: 'content', format: result.format, contentType: result.contentType, size: result.content.length, content: result.content },
  ];
  if (result.screenshot) {
    const { png, width, height } = result.screenshot;
    results.push({ kind: 'screenshot', format: 'png', contentType: 'image/png', size: png.length, content: png, width, height });
  }
  const done = await end(deps, job, {
    job,
    workerId: deps.workerId,
    to: 'completed',
    attempt,
    results,
    logs: [
      ...pending,
      entry('INFO', 'Job completed successfully', { statusCode: result.statusCode, finalUrl: result.finalUrl }),
      entry('INFO', `Credits charged: ${job.creditCost}`),
    ],
  }, plan);
  if (!done) await lostRace({ deps, job, attempt, logger }, pending);
}

async function fail({ deps, job, attempt, logger, error }: Step & { error: ScrapeError }) {
  const pending = await logger.drain();
  const exhausted = error.retryable;
  const done = await end(deps, job, {
    job,
    workerId: deps.workerId,
    to: 'failed',
    attempt,
    errorType: error.type,
    errorMessage: error.message,
    results: [],
    logs: [
      ...pending,
      ...(exhausted ? [entry('ERROR', 'All retry attempts exhausted')] : []),
      entry('ERROR', `Job failed: ${error.type} - ${error.message}`),
      entry('INFO', `Credits charged: ${job.creditCost} (failed job)`),
    ],
  });
  if (!done) await lostRace({ deps, job, attempt, logger }, pending);
}

/**
 * The run ended nothing: either the user's cancel committed first (the job stays cancelled and
 * nothing is charged), or this worker's lease lapsed and the job was recovered for another
 * attempt, which owns the job now; this attempt was already recorded as lost.
 */
async function lostRace(step: Step, pending: NewLogEntry[]) {
  if ((await jobStatus(step.deps.db, step.job.id)) !== 'cancelled') return;
  pending.forEach((e) => step.logger.log(e.level, e.message, e.metadata));
  await cancelledDuringProcessing(step);
}

async function interrupted({ deps, job, attempt, logger, reason }: Step & { reason: AbortReason }) {
  if (reason === 'cancel') {
    await cancelledDuringProcessing({ deps, job, attempt, logger });
    return;
  }
  const pending = await logger.drain();
  await deps.db.transaction(async (tx) => {
    await recordAttempt(tx, {
      jobId: job.id,
      attempt,
      outcome: 'lost',
      errorType: 'INTERNAL_ERROR',
      errorMessage: 'Worker shut down during the attempt; the job was returned to the queue',
    });
    await appendLogs(tx, job.id, [
      ...pending,
      entry('WARN', 'Worker shutting down; job returned to the queue for another worker'),
    ]);
    await deps.handBack(tx, job);
  });
}

async function cancelledDuringProcessing({ deps, job, attempt, logger }: Step) {
  const pending = await logger.drain();
  await deps.db.transaction(async (tx) => {
    await recordAttempt(tx, { jobId: job.id, attempt, outcome: 'cancelled' });
    await appendLogs(tx, job.id, [...pending, entry('WARN', 'Job cancelled during processing, resources released')]);
  });
}
