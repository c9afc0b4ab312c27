import { sql } from 'drizzle-orm';
import { getEnv } from '@/lib/env';
import { startWorker } from '@/workers/worker';
import { startBenchEnvironment } from './environment';
import { cpuMeter, submitMany, waitForJobs } from './throughput';

// `npm run bench:profile`: where the Postgres time of a drain goes. One drain as in `npm run bench`
// (a backlog of HTTP jobs, then the worker started), with pg_stat_statements loaded, then the
// statements by execution time per drained job, their planning time, and the row writes per
// table (an UPDATE that is not HOT rewrites every index of its table). JOBS sets the backlog
// (default 2,000). Prints only; BENCHMARKS.md is left alone.

const jobs = Number(process.env.JOBS ?? 2000);
const perJob = (ms: number) => (ms / jobs).toFixed(3).padStart(7);

type Statement = { calls: number; plans: number; exec_ms: number; plan_ms: number; rows: number; query: string };
type TableWrites = { relname: string; inserts: number; updates: number; hot: number; deletes: number };

async function main() {
  process.env.LOG_LEVEL ??= 'warn';
  const bench = await startBenchEnvironment({ settings: ['shared_preload_libraries=pg_stat_statements', 'pg_stat_statements.track_planning=on'] });
  try {
    await bench.db.execute(sql`CREATE EXTENSION pg_stat_statements`);
    const key = await bench.newKey('profile');
    console.log(`[profile] submitting ${jobs} jobs with the worker stopped`);
    await submitMany(bench, { apiKey: key, count: jobs, concurrency: 8, label: 'profile' });
    await bench.db.execute(sql`SELECT pg_stat_statements_reset(), pg_stat_reset()`);

    const meter = cpuMeter();
    const startedAtMs = Date.now();
    const worker = await startWorker({ ...getEnv(), databaseUrl: bench.databaseUrl, EGRESS_ALLOWLIST: '127.0.0.1/32', log: () => {} });
    const done = await waitForJobs(bench, { apiKeyId: key.id, count: jobs, timeoutMs: 120_000 });
    const cpu = meter();
    await worker.stop();
    const elapsedMs = (done.lastFinishedMs ?? Date.now()) - startedAtMs;
    console.log(
      `[profile] drain: ${done.completed}/${jobs} completed in ${(elapsedMs / 1000).toFixed(2)} s = ${((done.completed * 1000) / elapsedMs).toFixed(0)} jobs/s; ` +
        `CPU per job Node ${((cpu.nodeCores * cpu.elapsedMs) / jobs).toFixed(2)} + Postgres ${((cpu.postgresCores * cpu.elapsedMs) / jobs).toFixed(2)} ms`,
    );

    const statements = await bench.db.execute<Statement>(sql`
      SELECT calls::int, plans::int, total_exec_time AS exec_ms, total_plan_time AS plan_ms, rows::int,
        left(regexp_replace(query, '[[:space:]]+', ' ', 'g'), 110) AS query
      FROM pg_stat_statements ORDER BY total_exec_time + total_plan_time DESC LIMIT 12`);
    console.log('\nms per drained job: execution, planning; calls, plans and rows over the drain');
    for (const s of statements) {
      console.log(`${perJob(s.exec_ms)} ${perJob(s.plan_ms)}  ${String(s.calls).padStart(6)} ${String(s.plans).padStart(6)} ${String(s.rows).padStart(6)}  ${s.query}`);
    }

    const tables = await bench.db.execute<TableWrites>(sql`
      SELECT relname, n_tup_ins::int AS inserts, n_tup_upd::int AS updates, n_tup_hot_upd::int AS hot, n_tup_del::int AS deletes
      FROM pg_stat_user_tables WHERE n_tup_ins + n_tup_upd + n_tup_del > 0 ORDER BY n_tup_ins + n_tup_upd + n_tup_del DESC`);
    console.log('\nrow writes per table (updates: of which HOT)');
    for (const t of tables) console.log(`  ${t.relname.padEnd(16)} ${t.inserts} inserted, ${t.updates} updated (${t.hot} HOT), ${t.deletes} deleted`);
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
