import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { sql } from 'drizzle-orm';
import { getEnv } from '@/lib/env';
import { startWorker } from '@/workers/worker';
import { startBenchEnvironment, type BenchEnvironment } from './environment';
import { cpuMeter, submitMany, waitForJobs } from './throughput';

// `npm run bench:profile`: where the time of a job goes, with pg_stat_statements loaded. Two
// phases as in `npm run bench`: the submits of a backlog of HTTP jobs (8 submitters, worker
// stopped), then its drain by the worker. For each: CPU per job, the statements by time per job
// (execution and planning), and the row writes per table (an UPDATE that is not HOT rewrites
// every index of its table). JOBS sets the backlog (default 2,000). CPU_PROFILE=<file> also
// writes a V8 CPU profile of each phase (`<file>-submit.cpuprofile`, `<file>-drain.cpuprofile`;
// open them in Chrome DevTools). Prints only; BENCHMARKS.md is left alone.

const jobs = Number(process.env.JOBS ?? 2000);
const perJob = (ms: number) => (ms / jobs).toFixed(3).padStart(7);

type Statement = { calls: number; plans: number; exec_ms: number; plan_ms: number; rows: number; query: string };
type TableWrites = { relname: string; inserts: number; updates: number; hot: number; deletes: number };

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

  const statements = await bench.db.execute<Statement>(sql`
    SELECT calls::int, plans::int, total_exec_time AS exec_ms, total_plan_time AS plan_ms, rows::int,
      left(regexp_replace(query, '[[:space:]]+', ' ', 'g'), 110) AS query
    FROM pg_stat_statements WHERE query NOT LIKE '%pg_stat_statements_reset%'
    ORDER BY total_exec_time + total_plan_time DESC LIMIT 12`);
  console.log('  exec ms  plan ms per job;  calls  plans   rows in the phase');
  for (const s of statements) {
    console.log(`  ${perJob(s.exec_ms)}  ${perJob(s.plan_ms)}  ${String(s.calls).padStart(6)} ${String(s.plans).padStart(6)} ${String(s.rows).padStart(6)}  ${s.query}`);
  }

  const tables = await bench.db.execute<TableWrites>(sql`
    SELECT relname, n_tup_ins::int AS inserts, n_tup_upd::int AS updates, n_tup_hot_upd::int AS hot, n_tup_del::int AS deletes
    FROM pg_stat_user_tables WHERE n_tup_ins + n_tup_upd + n_tup_del > 0 ORDER BY n_tup_ins + n_tup_upd + n_tup_del DESC`);
  console.log('  row writes per table (updates: of which HOT)');
  for (const t of tables) console.log(`    ${t.relname.padEnd(16)} ${t.inserts} inserted, ${t.updates} updated (${t.hot} HOT), ${t.deletes} deleted`);
}

async function main() {
  process.env.LOG_LEVEL ??= 'warn';
  const bench = await startBenchEnvironment({ settings: ['shared_preload_libraries=pg_stat_statements', 'pg_stat_statements.track_planning=on'] });
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
