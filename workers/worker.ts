import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { PgBoss } from 'pg-boss';
import { createDatabase, queueConnectionOptions } from '@/db/client';
import { handBackJob, renewLeases } from '@/db/queries/jobs';
import type { Env } from '@/lib/env';
import { engineLabels, type Engine as EngineName } from '@/lib/jobs';
import { cancelChannel, queueNames, scrapePayloadSchema } from '@/lib/queue';
import { redeliverJob } from '@/lib/server/queue';
import { crawlGroupConcurrency } from '@/lib/crawl-groups';
import { parseEgressAllowList } from '@/workers/egress/policy';
import { createEngineSet, type EngineSet } from '@/workers/engines/index';
import type { Engine } from '@/workers/engines/types';
import { runJob, type AbortReason, type RunJobDeps } from '@/workers/run-job';
import { sweep } from '@/workers/sweeper';
import { startRetention, type RetentionOptions } from '@/workers/retention';
import { startHeartbeat } from '@/workers/heartbeat';
import { log as rootLog, withLogContext } from '@/lib/log';
import { startWebhooks } from '@/workers/webhooks/index';
import { startScheduler, type RunningScheduler, type SchedulerOptions } from '@/workers/scheduler';

export type WorkerOptions = Pick<
  Env,
  | 'WORKER_CONCURRENCY_HTTP'
  | 'WORKER_CONCURRENCY_BROWSER'
  | 'WORKER_CONCURRENCY_STEALTH'
  | 'WORKER_SHUTDOWN_GRACE_SECONDS'
  | 'JOB_LEASE_SECONDS'
  | 'MAX_QUEUE_WAIT_SECONDS'
  | 'MAX_RESULT_BYTES'
  | 'EGRESS_ALLOWLIST'
  | 'RETRY_DELAY_SCALE'
  | 'LOG_FLUSH_MS'
> &
  Partial<
    Pick<Env, 'CHROMIUM_PATH' | 'BROWSER_WS_ENDPOINT' | 'BROWSER_MAX_PAGES' | 'BROWSER_MAX_AGE_MINUTES' | 'EGRESS_PROXY_HOST' | 'PROXY_POOL'>
  > &
  Partial<Pick<Env, 'WEBHOOK_RETRY_LIMIT' | 'WEBHOOK_RETRY_DELAY_SECONDS'>> & { webhookPollIntervalMs?: number } &
  RetentionOptions & { databaseUrl: string; sweepIntervalMs?: number; heartbeatIntervalMs?: number; log?: (message: string) => void } & {
    scheduler?: Pick<SchedulerOptions, 'intervalMs' | 'now'>;
  };

export type RunningWorker = {
  id: string;
  /** The browser pool and egress proxy the engines share (for operators' stats and tests). */
  engines: Pick<EngineSet, 'browsers' | 'egress'>;
  /** For the health endpoint: healthy while running and the last heartbeat write is recent. */
  health(): WorkerHealth;
  /** The schedules' trigger loop: `tick` runs a pass now (after a test moved the injected clock). */
  scheduler: Pick<RunningScheduler, 'tick'>;
  stop(): Promise<void>;
};

export type WorkerHealth = { ok: boolean; status: 'ok' | 'degraded' | 'stopping'; workerId: string; running: number; lastHeartbeatAt: string };

/** Three missed heartbeats (5 s apart by default): the database or the pool is not answering. */
export const heartbeatStaleMs = 15_000;

export async function startWorker(options: WorkerOptions): Promise<RunningWorker> {
  const id = `${hostname()}-${process.pid}-${randomUUID().slice(0, 8)}`;
  const logger = rootLog.child({ workerId: id });
  // Lifecycle messages (tests pass their own to keep quiet); problems always go to the logger.
  const log = options.log ?? ((message: string) => logger.info(message));
  const concurrency: Record<EngineName, number> = {
    http: options.WORKER_CONCURRENCY_HTTP,
    browser: options.WORKER_CONCURRENCY_BROWSER,
    stealth: options.WORKER_CONCURRENCY_STEALTH,
  };
  const { db, client } = createDatabase(options.databaseUrl, { max: concurrency.http + 6 });
  const boss = new PgBoss({
    connectionString: options.databaseUrl,
    ...queueConnectionOptions(),
    max: 6,
    useListenNotify: true,
    migrate: false,
    instanceName: id,
  });
  boss.on('error', (error) => logger.error('queue error', { err: error }));
  await boss.start();

  const running = new Map<string, AbortController>();
  const abortAll = (reason: AbortReason) => running.forEach((controller) => controller.abort(reason));

  // A cancel of a processing job is announced at commit; the job's run aborts within moments.
  const listener = await client.listen(cancelChannel, (jobId) => running.get(jobId)?.abort('cancel'));

  const deps: Omit<RunJobDeps, 'engine'> = {
    db,
    boss,
    workerId: id,
    egress: { allow: parseEgressAllowList(options.EGRESS_ALLOWLIST) },
    leaseSeconds: options.JOB_LEASE_SECONDS,
    maxContentBytes: options.MAX_RESULT_BYTES,
    logFlushMs: options.LOG_FLUSH_MS,
    retryDelayScale: options.RETRY_DELAY_SCALE,
    track(jobId, controller) {
      running.set(jobId, controller);
      return () => running.delete(jobId);
    },
    async handBack(tx, job) {
      const requeued = await handBackJob(tx, { id: job.id, workerId: id });
      if (requeued) await redeliverJob(tx, { job: requeued, boss });
    },
  };

  const engineSet = createEngineSet({
    chromiumPath: options.CHROMIUM_PATH,
    browserWsEndpoint: options.BROWSER_WS_ENDPOINT,
    browserMaxPages: options.BROWSER_MAX_PAGES ?? 100,
    browserMaxAgeMinutes: options.BROWSER_MAX_AGE_MINUTES ?? 30,
    egressProxyHost: options.EGRESS_PROXY_HOST ?? '127.0.0.1',
    proxyPool: options.PROXY_POOL ?? '',
    log,
  });

  // pg-boss fetches a delivery whose startAfter has passed at its next poll (2 s): a crawl page put
  // off by its host's spacing (workers/crawl/claim-page.ts) would start up to a poll late, every
  // time. The engine's first fetch loop is woken for it instead; unref'd, a timer left at shutdown
  // holds nothing, and waking a stopped loop does nothing.
  const fetchLoops = new Map<EngineName, string>();
  const wakeAt = (engine: EngineName, at: Date) => {
    setTimeout(() => {
      const loop = fetchLoops.get(engine);
      if (loop) boss.notifyWorker(loop);
    }, Math.max(0, at.getTime() - Date.now())).unref();
  };

  for (const [engine, run] of Object.entries(engineSet.engines) as [EngineName, Engine][]) {
    const slots = concurrency[engine];
    // Batches let one notification drain a backlog (burst while batches come back full);
    // several fetch loops keep one slow job from idling all the slots.
    const batchSize = Math.max(2, Math.min(4, slots));
    const loops = Math.max(1, Math.ceil(slots / batchSize));
    const loop = await boss.work(
      queueNames[engine],
      {
        batchSize,
        localConcurrency: loops,
        burstWhenBatchFull: true,
        pollingIntervalSeconds: 2,
        notifyPollingIntervalSeconds: 2,
        // A crawl's pages of one host are fetched about its concurrencyPerHost at once, across
        // workers; their claim (workers/crawl/claim-page.ts) holds them to it exactly.
        groupConcurrency: crawlGroupConcurrency,
      },
      async (batch) => {
        await Promise.all(
          batch.map(async (delivery) => {
            const payload = scrapePayloadSchema.safeParse(delivery.data);
            if (!payload.success) {
              logger.error('malformed delivery dropped', { engine, deliveryId: delivery.id, issues: payload.error.issues });
              return;
            }
            // Every line logged while the job runs carries its id and this worker's.
            await withLogContext({ workerId: id, jobId: payload.data.jobId, engine }, async () => {
              const started = performance.now();
              try {
                await runJob(payload.data.jobId, { ...deps, engine: run, wakeAt: (at) => wakeAt(engine, at) }, { groupId: delivery.groupId });
                logger.info('job run ended', { durationMs: Math.round(performance.now() - started) });
              } catch (error) {
                // The lease lapses and the sweeper gives the job another attempt.
                logger.error('job run crashed', { err: error });
              }
            });
          }),
        );
      },
    );
    fetchLoops.set(engine, loop);
    log(`${engineLabels[engine]} engine: ${slots} concurrent jobs`);
  }

  // Webhooks: the outbox dispatcher and the delivery consumer, through the same egress guard.
  const webhooks = await startWebhooks({
    db,
    client,
    boss,
    policy: deps.egress,
    retry: { retryLimit: options.WEBHOOK_RETRY_LIMIT ?? 5, retryDelaySeconds: options.WEBHOOK_RETRY_DELAY_SECONDS ?? 30 },
    pollIntervalMs: options.webhookPollIntervalMs,
  });

  // The daily retention purge (spec section 11): scheduled here, run by whichever worker gets it.
  await startRetention(boss, db, { ...options, log });

  const leaseTimer = setInterval(() => {
    if (running.size === 0) return;
    // Only runs tracked before the renewal is sent can be judged by its answer: a job claimed while
    // the UPDATE is in flight is missing from its snapshot without having been cancelled.
    const asked = new Map(running);
    renewLeases(db, { workerId: id, leaseSeconds: options.JOB_LEASE_SECONDS })
      .then((stillMine) => {
        // Anything no longer processing under this worker was cancelled (or recovered): stop it.
        for (const [jobId, controller] of asked) {
          if (!stillMine.has(jobId) && running.get(jobId) === controller) controller.abort('cancel');
        }
      })
      .catch((error) => logger.error('lease renewal failed', { err: error }));
  }, Math.max(500, (options.JOB_LEASE_SECONDS * 1000) / 3));

  let sweeping = false;
  const sweepTimer = setInterval(() => {
    if (sweeping) return;
    sweeping = true;
    sweep(db, boss, { maxWaitSeconds: options.MAX_QUEUE_WAIT_SECONDS, leaseSeconds: options.JOB_LEASE_SECONDS })
      .catch((error) => logger.error('sweep failed', { err: error }))
      .finally(() => (sweeping = false));
  }, options.sweepIntervalMs ?? 2000);

  // Schedules: every worker runs the trigger; each scheduled time runs once (lib/server/schedules/trigger.ts).
  const scheduler = startScheduler(db, {
    ...options.scheduler,
    boss,
    onError: (scheduleId, error) => logger.error('schedule run failed', { scheduleId, err: error }),
  });

  const heartbeat = await startHeartbeat(db, { id, concurrency, running: () => running.size, intervalMs: options.heartbeatIntervalMs });
  log('worker started');

  let stopping: Promise<void> | undefined;
  return {
    id,
    engines: engineSet,
    scheduler,
    health() {
      const lastBeatAt = heartbeat.lastBeatAt();
      const fresh = Date.now() - lastBeatAt <= Math.max(heartbeatStaleMs, 3 * (options.heartbeatIntervalMs ?? 0));
      const status = stopping ? 'stopping' : fresh ? 'ok' : 'degraded';
      return { ok: status === 'ok', status, workerId: id, running: running.size, lastHeartbeatAt: new Date(lastBeatAt).toISOString() };
    },
    stop() {
      stopping ??= (async () => {
        clearInterval(sweepTimer);
        await scheduler.stop();
        await webhooks.stop();
        const graceMs = options.WORKER_SHUTDOWN_GRACE_SECONDS * 1000;
        log(`worker stopping: no new jobs; ${running.size} running get ${options.WORKER_SHUTDOWN_GRACE_SECONDS}s to finish`);
        // Past the grace period, running jobs are aborted and handed back to the queue.
        const handBackTimer = setTimeout(() => abortAll('shutdown'), graceMs);
        await boss.stop({ graceful: true, timeout: graceMs + 10_000, close: true });
        clearTimeout(handBackTimer);
        await engineSet.close();
        clearInterval(leaseTimer);
        await heartbeat.stop();
        await listener.unlisten();
        await client.end({ timeout: 5 });
        log('worker stopped');
      })();
      return stopping;
    },
  };
}
