import { sql } from 'drizzle-orm';
import type { BenchEnvironment } from './environment';

// pg_stat_statements for the benchmarks that look inside a phase (bench:profile, bench:crawl
// --statements): the statements by time per job, and the row writes per table (an UPDATE that is
// not HOT rewrites every index of its table).

/** Postgres settings that load pg_stat_statements; `CREATE EXTENSION pg_stat_statements` is run after start. */
export const statementSettings = ['shared_preload_libraries=pg_stat_statements', 'pg_stat_statements.track_planning=on'];

type Statement = { calls: number; plans: number; exec_ms: number; plan_ms: number; rows: number; query: string };
type TableWrites = { relname: string; inserts: number; updates: number; hot: number; deletes: number };

/** Prints the top statements since the last reset (time per job over `jobs`) and the row writes per table. */
export async function printStatements(bench: BenchEnvironment, jobs: number, { limit = 12, width = 110 }: { limit?: number; width?: number } = {}): Promise<void> {
  const perJob = (ms: number) => (ms / jobs).toFixed(3).padStart(7);
  const statements = await bench.db.execute<Statement>(sql`
    SELECT calls::int, plans::int, total_exec_time AS exec_ms, total_plan_time AS plan_ms, rows::int,
      left(regexp_replace(query, '[[:space:]]+', ' ', 'g'), ${width}) AS query
    FROM pg_stat_statements WHERE query NOT LIKE '%pg_stat_statements_reset%'
    ORDER BY total_exec_time + total_plan_time DESC LIMIT ${limit}`);
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
