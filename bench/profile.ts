import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { sql } from 'drizzle-orm';
import { getEnv } from '@/lib/env';
import { startWorker } from '@/workers/worker';
import { startBenchEnvironment, type BenchEnvironment } from './environment';
import { printStatements, statementSettings } from './statements';
import { cpuMeter, submitMany, waitForJobs } from './throughput';

// `npm run bench:profile`: where the time of a job goes, with pg_stat_statements loaded. Two
// phases as in `npm run bench`: the submits of a backlog of HTTP jobs (8 submitters, worker
// stopped), then its drain by the worker. For each: CPU per job, the statements by time per job
// (execution and planning), and the row writes per table (an UPDATE that is not HOT rewrites
// every index of its table). JOBS sets the backlog (default 2,000). CPU_PROFILE=<file> also
// writes a V8 CPU profile of each phase (`<file>-submit.cpuprofile`, `<file>-drain.cpuprofile`;
// open them in Chrome DevTools). Prints only; BENCHMARKS.md is left alone.

const jobs = Number(process.env.JOBS ?? 2000);

/** Starts a V8 CPU profile of this process when CPU_PROFILE names a file; the returned function writes it. */
async function cpuProfile(phase: string): Promise<() => Promise<void>> {
  const file = process.env.CPU_PROFILE?.replace(/(\.cpuprofile)?$/, `-${phase}.cpuprofile`);
  if (!file) return async () => {};
  const inspector = new Session();
  inspector.connect();
  await inspector.post('Profiler.enable');
  await inspector.post('Profiler.start');
  return async () => {
    const { profile } = await inspector.post('Profiler.stop');
    writeFileSync(file, JSON.stringify(profile));
    inspector.disconnect();
    console.log(`[profile] CPU profile of the ${phase} written to ${file}`);
  };
}

/** Clears the statistics, runs a phase, then prints its statements and table writes per job. */
async function phase(
  bench: BenchEnvironment,
  name: string,
  run: () => Promise<{ elapsedMs: number; cleanup?: () => Promise<void> }>,
): Promise<void> {
  await bench.db.execute(sql`SELECT pg_stat_statements_reset(), pg_stat_reset()`);
  const stopProfile = await cpuProfile(name);
  const meter = cpuMeter();
  const usage = process.cpuUsage();
  const { elapsedMs, cleanup } = await run();
  const cpu = meter();
  const { user, system } = process.cpuUsage(usage);
  await stopProfile();
  await cleanup?.();
  // Backends report table statistics at most once a second, idle ones within 10 s: the counts
  // of a phase can include a few rows of the one before.
  await sleep(1100);
  console.log(
    `\n[profile] ${name}: ${jobs} jobs in ${(elapsedMs / 1000).toFixed(2)} s = ${((jobs * 1000) / elapsedMs).toFixed(0)} jobs/s; ` +
      `CPU per job Node ${((user + system) / 1000 / jobs).toFixed(2)} (kernel ${(system / 1000 / jobs).toFixed(2)}) + Postgres ${((cpu.postgresCores * cpu.elapsedMs) / jobs).toFixed(2)} ms`,
  );

  await printStatements(bench, jobs);
}

async function main() {
  process.env.LOG_LEVEL ??= 'warn';
  const bench = await startBenchEnvironment({ settings: statementSettings });
  try {
    await bench.db.execute(sql`CREATE EXTENSION pg_stat_statements`);
    const key = await bench.newKey('profile');
    await phase(bench, 'submit', () => submitMany(bench, { apiKey: key, count: jobs, concurrency: 8, label: 'profile' }));
    await phase(bench, 'drain', async () => {
      const startedAtMs = Date.now();
      const worker = await startWorker({ ...getEnv(), databaseUrl: bench.databaseUrl, EGRESS_ALLOWLIST: '127.0.0.1/32', log: () => {} });
      const done = await waitForJobs(bench, { apiKeyId: key.id, count: jobs, timeoutMs: 120_000 });
      if (done.completed < jobs) console.log(`[profile] only ${done.completed} of ${jobs} jobs completed`);
      // Stopped after the CPU reading: its pool's backends take their CPU counts with them.
      return { elapsedMs: (done.lastFinishedMs ?? Date.now()) - startedAtMs, cleanup: () => worker.stop() };
    });
  } finally {
    await bench.close();
  }
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error('[profile] failed', error);
    process.exit(1);
  },
);
