import { setTimeout as sleep } from 'node:timers/promises';
import type { PgBoss } from 'pg-boss';
import type { Database, Transaction } from '@/db/client';
import { bumpAttempt, claimJob, finishRun, jobStatus, recordAttempt, type RunEnd } from '@/db/queries/jobs';
import { appendLogs, type NewLogEntry } from '@/db/queries/logs';
import type { Job } from '@/db/schema';
import { engineLabels, retryDelayMs } from '@/lib/jobs';
import { log } from '@/lib/log';
import { ExtractionFailedError, InvalidUrlError, toScrapeError, type ScrapeError } from '@/lib/scrape-errors';
import { recordCompletedRun, recordNotFoundRun, type ChangeOutcome } from '@/workers/changes';
import type { EgressPolicy } from '@/workers/egress/policy';
import type { Engine, EngineResult } from '@/workers/engines/types';
import { extractFields } from '@/workers/extract';
import { JobLogger } from '@/workers/job-logger';
import { planDiscovery } from '@/workers/crawl/discover';
import { claimCrawlPage } from '@/workers/crawl/claim-page';
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
  /** Fetches from the job's queue at `at` rather than at the next poll (a crawl page put off until then). */
  wakeAt?(at: Date): void;
};

const entry = (level: NewLogEntry['level'], message: string, metadata?: Record<string, unknown>): NewLogEntry => ({
  timestamp: new Date(),
  level,
  message,
  metadata,
});

/**
 * Runs one job from claim to a terminal state. Every transition is a conditional update, so a
 * cancel that wins the race is respected: the result is dropped and the run ends. A delivery with
 * a group (a crawl page, `groupId` its crawl and host) is claimed within its host's limit; any
 * other keeps the one-statement claim.
 */
export async function runJob(jobId: string, deps: RunJobDeps, { groupId }: { groupId?: string | null } = {}): Promise<void> {
  const { db } = deps;
  const claimed = groupId
    ? await claimCrawlPage(deps, { jobId, groupId })
    : await claimJob(db, { id: jobId, workerId: deps.workerId, leaseSeconds: deps.leaseSeconds });
  if (!claimed) return; // cancelled, expired, already taken by another worker, or its host is full (sent again)

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
        const extracted = extract(claimed, result, logger);
        await complete({ deps, job: claimed, attempt, logger, result, extracted, signal: controller.signal });
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

/** The extracted document when the job has extraction rules; throws ExtractionFailedError (not retried) when they cannot be met. */
function extract(job: Job, result: EngineResult, logger: JobLogger): unknown {
  const rules = job.config.extract;
  if (!rules) return undefined;
  if (result.html === undefined) {
    throw new ExtractionFailedError(`Extraction rules need an HTML page, but ${result.finalUrl} returned ${result.contentType.split(';')[0] || 'no content type'}`);
  }
  const extracted = extractFields(result.html, rules);
  logger.info('Extraction rules applied', { fields: Object.keys(extracted as object).length });
  return extracted;
}

const textContentType = /^(text\/|application\/(json|xml|xhtml\+xml|ld\+json)\b)|\+(json|xml)\b/i;

/**
 * Ends the run as finishRun does. A job that tracks changes records its comparison first, in one
 * transaction with finishRun, which rolls back when finishRun ends nothing (a cancel won, the
 * lease lapsed); any other job keeps finishRun's single statement.
 */
async function finishTracked(deps: RunJobDeps, end: RunEnd, record: ((tx: Transaction) => Promise<ChangeOutcome | undefined>) | null) {
  if (!record) return { done: await finishRun(deps.db, end), change: undefined };
  const lost = Symbol('lost');
  try {
    return await deps.db.transaction(async (tx) => {
      const change = await record(tx);
      const noted = change
        ? [entry('INFO', `Change tracking: ${change.status}`, { previousJobId: change.previousJobId }), ...end.logs.slice(-1)]
        : end.logs.slice(-1);
      const done = await finishRun(tx, { ...end, logs: [...end.logs.slice(0, -1), ...noted] });
      if (!done) throw lost;
      return { done, change };
    });
  } catch (error) {
    if (error === lost) return { done: undefined, change: undefined };
    throw error;
  }
}

/**
 * Ends the run: a crawl page with its link discovery (and change record) in one transaction; any
 * other job with finishTracked.
 */
async function end(
  deps: RunJobDeps,
  job: Job,
  run: RunEnd,
  { plan = null, record = null }: { plan?: Awaited<ReturnType<typeof planDiscovery>>; record?: ((tx: Transaction) => Promise<ChangeOutcome | undefined>) | null } = {},
) {
  if (job.crawlId) return finishCrawlPage(deps.db, { job, end: run, plan, boss: deps.boss, record });
  return (await finishTracked(deps, run, record)).done;
}

async function complete({
  deps,
  job,
  attempt,
  logger,
  result,
  extracted,
  signal,
}: Step & { result: EngineResult; extracted: unknown; signal: AbortSignal }) {
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
  if (extracted !== undefined) {
    const json = Buffer.from(JSON.stringify(extracted));
    results.push({ kind: 'extracted', format: 'json', contentType: 'application/json', size: json.length, content: json });
  }
  const record = job.changeSeries
    ? (tx: Transaction) => recordCompletedRun(tx, job, { content: result.content, contentIsText: textContentType.test(result.contentType), extracted })
    : null;
  const done = await end(
    deps,
    job,
    {
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
    },
    { plan, record },
  );
  if (!done) await lostRace({ deps, job, attempt, logger }, pending);
}

async function fail({ deps, job, attempt, logger, error }: Step & { error: ScrapeError }) {
  const pending = await logger.drain();
  const exhausted = error.retryable;
  // A tracked page that is gone (404, 410) is `removed` when a previous run found it.
  const notFound = error instanceof InvalidUrlError && (error.statusCode === 404 || error.statusCode === 410);
  const record = job.changeSeries && notFound ? (tx: Transaction) => recordNotFoundRun(tx, job) : null;
  const done = await end(
    deps,
    job,
    {
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
    },
    { record },
  );
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
