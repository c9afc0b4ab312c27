import { eq } from 'drizzle-orm';
import { accounts } from '@/db/schema';
import { getEnv } from '@/lib/env';
import { startWorker, type RunningWorker, type WorkerOptions } from '@/workers/worker';
import { startBenchEnvironment, type BenchEnvironment } from './environment';
import { measurePickup } from './pickup';
import { printSummary, targets, writeBenchmarksFile } from './report';
import { submitMany, throughputPhase } from './throughput';
import { runBench } from './entry';

// `npm run bench`: queue pickup latency and end-to-end throughput of the real worker against an
// embedded Postgres and the local fixture server. Stops everything and exits on its own.

const pickupWarmup = 20;
const pickupSamples = 300;
const throughputJobs = 2000;
const submitters = 8;
const phaseTimeoutMs = 45_000;
const overallTimeoutMs = 170_000;

const log = (message: string) => console.log(`[bench] ${message}`);

let env: BenchEnvironment | undefined;
let worker: RunningWorker | undefined;

async function stopWorker(): Promise<void> {
  const running = worker;
  worker = undefined;
  await running?.stop();
}

async function shutdown(): Promise<void> {
  await stopWorker().catch((error) => console.error('[bench] worker stop:', error));
  const current = env;
  env = undefined;
  await current?.close();
}

async function main(): Promise<number> {
  // The worker logs a line per job run (about 7 µs each): kept off the bench's own report unless
  // LOG_LEVEL=info asks for them. Rate limits need no setting: jobs are submitted through
  // submitJob, not the HTTP route wrapper that takes the buckets.
  process.env.LOG_LEVEL ??= 'warn';
  log('starting embedded Postgres and the fixture server');
  const bench = (env = await startBenchEnvironment());
  const options: WorkerOptions = { ...getEnv(), databaseUrl: bench.databaseUrl, EGRESS_ALLOWLIST: '127.0.0.1/32', log: () => {} };
  worker = await startWorker(options);

  log(`pickup latency: ${pickupWarmup} warm-up + ${pickupSamples} samples, one job at a time`);
  const pickup = await measurePickup(bench, { warmup: pickupWarmup, samples: pickupSamples });
  await stopWorker();

  log(`drain: submitting ${throughputJobs} jobs with the worker stopped`);
  const drainKey = await bench.newKey('bench drain');
  const backlog = await submitMany(bench, { apiKey: drainKey, count: throughputJobs, concurrency: submitters, label: 'drain' });
  const drain = await throughputPhase(bench, {
    name: 'drain',
    apiKey: drainKey,
    jobs: throughputJobs,
    timeoutMs: phaseTimeoutMs,
    run: async () => {
      const startedAtMs = Date.now();
      worker = await startWorker(options);
      return { startedAtMs, submitMs: backlog.elapsedMs };
    },
  });

  log(`steady: ${submitters} submitters, ${throughputJobs} jobs, worker running`);
  const steadyKey = await bench.newKey('bench steady');
  const steady = await throughputPhase(bench, {
    name: 'steady',
    apiKey: steadyKey,
    jobs: throughputJobs,
    timeoutMs: phaseTimeoutMs,
    run: async () => {
      const startedAtMs = Date.now();
      const { elapsedMs } = await submitMany(bench, { apiKey: steadyKey, count: throughputJobs, concurrency: submitters, label: 'steady' });
      return { startedAtMs, submitMs: elapsedMs };
    },
  });
  await stopWorker();

  // Every charge settled: nothing left reserved, and the balance down by exactly the jobs run.
  const [account] = await bench.db.select().from(accounts).where(eq(accounts.id, bench.account.id));
  const charged = pickupWarmup + pickupSamples + 2 * throughputJobs;
  const creditsOk = account.reservedCredits === 0 && account.credits === 1_000_000 - charged;
  log(`account: ${account.credits} credits, ${account.reservedCredits} reserved (expected ${1_000_000 - charged}, 0)`);

  const results = {
    date: new Date(),
    machine: await bench.machine(),
    worker: { httpConcurrency: options.WORKER_CONCURRENCY_HTTP, logFlushMs: options.LOG_FLUSH_MS },
    pickup,
    drain,
    steady: { ...steady, submitters },
  };
  printSummary(results);
  writeBenchmarksFile(results);
  log('BENCHMARKS.md updated');

  const met = pickup.observed.p95 <= targets.pickupP95Ms && Math.min(drain.jobsPerSecond, steady.jobsPerSecond) >= targets.jobsPerSecond;
  log(met ? 'all targets met' : 'some targets missed (see above)');
  return drain.ok && steady.ok && creditsOk && pickup.timeouts === 0 ? 0 : 1;
}

runBench('bench', { main, shutdown, timeoutMs: overallTimeoutMs });
