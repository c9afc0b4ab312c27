import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import postgres from 'postgres';
import { createDatabase } from '@/db/client';
import { compactJobCounts } from '@/db/queries/job-counts';
import { createAccount, createApiKey } from '@/lib/server/accounts';
import { runMigrations } from '@/lib/server/migrate';
import { startEmbeddedPostgres } from '@/scripts/embedded-postgres';
import { freePort } from '@/scripts/free-port';
import { seedAccount, type SeedAccount, type SeedTimings } from './seed';

// The throwaway database of `npm run bench:scale`: an embedded Postgres sized for a million jobs,
// the two seeded accounts, and (with --reuse-db) a state file so a second run skips the seed.

/** Server settings for ~1.1M jobs on a 2-core, 24 GB machine (written down in BENCHMARKS.md). */
export const postgresSettings = [
  'shared_buffers=1GB',
  'effective_cache_size=8GB',
  'work_mem=32MB',
  'maintenance_work_mem=512MB',
  'max_wal_size=8GB',
  'checkpoint_timeout=30min',
  'max_parallel_workers_per_gather=2',
];

export const password = 'correct horse battery staple';

export type SeededAccount = { id: string; email: string; jobs: number; keys: { id: string; name: string; secret: string }[] };
export type SeedState = { jobs: number; seededAt: string; accounts: [SeededAccount, SeededAccount]; timings: Record<string, SeedTimings & { total: number }> };

export type ScaleDatabase = {
  url: string;
  sql: postgres.Sql;
  state: SeedState;
  /** Milliseconds spent seeding and in VACUUM ANALYZE (0 when reused). */
  seedMs: number;
  vacuumMs: number;
  stop(): Promise<void>;
};

const keyNames = ['Production', 'Staging', 'Old integration (revoked)'];

const seededTables = ['jobs', 'job_attempts', 'job_logs', 'job_results', 'credit_ledger', 'batches', 'job_search'];

/**
 * Drops the seeded tables' plain indexes (not unique ones, not those behind a constraint) and
 * returns their definitions: building each once after the bulk insert is several times faster
 * than keeping it up to date row by row, and the result is the same index, whatever indexes the
 * migrations of the checkout define.
 */
async function dropPlainIndexes(sql: postgres.Sql): Promise<string[]> {
  const rows = await sql<{ name: string; definition: string }[]>`
    SELECT i.indexrelid::regclass::text AS name, pg_get_indexdef(i.indexrelid) AS definition
    FROM pg_index i JOIN pg_class t ON t.oid = i.indrelid
    WHERE t.relname = ANY(${seededTables}) AND t.relnamespace = 'public'::regnamespace AND NOT i.indisunique
      AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)`;
  for (const row of rows) await sql.unsafe(`DROP INDEX ${row.name}`);
  return rows.map((row) => row.definition);
}

async function createSeededAccount(url: string, { email, jobs }: { email: string; jobs: number }): Promise<SeededAccount> {
  const { db, client } = createDatabase(url, { max: 2 });
  try {
    const account = await createAccount(db, { email, password });
    const keys = [];
    for (const name of keyNames) {
      const { key, secret } = await createApiKey(db, { accountId: account.id, name, kind: 'live' });
      keys.push({ id: key.id, name, secret });
    }
    return { id: account.id, email, jobs, keys };
  } finally {
    await client.end({ timeout: 5 });
  }
}

/**
 * Starts the database: a new one in a temp dir (removed at stop), or the one in `reuseDir`,
 * seeded there on the first run and reused as it is (after any new migrations) when its state
 * file says it holds the same number of jobs.
 */
export async function startScaleDatabase(
  { jobs, reuseDir, log }: { jobs: number; reuseDir?: string; log: (message: string) => void },
): Promise<ScaleDatabase> {
  const dir = reuseDir ? path.resolve(reuseDir) : mkdtempSync(path.join(os.tmpdir(), 'scrapifie-bench-scale-'));
  mkdirSync(dir, { recursive: true });
  chmodSync(dir, 0o755); // Postgres runs as its own user when we are root
  const stateFile = path.join(dir, 'bench-scale-state.json');
  const previous = existsSync(stateFile) ? (JSON.parse(readFileSync(stateFile, 'utf8')) as SeedState) : undefined;
  if (previous && previous.jobs !== jobs) throw new Error(`${dir} holds a seed of ${previous.jobs} jobs, not ${jobs}; use another --reuse-db directory`);
  if (reuseDir && !previous) rmSync(path.join(dir, 'data'), { recursive: true, force: true }); // a seed that never finished

  const pg = await startEmbeddedPostgres({ dir: path.join(dir, 'data'), port: await freePort(), persistent: Boolean(reuseDir), quiet: true, settings: postgresSettings });
  const stop = async () => {
    await sql.end({ timeout: 5 }).catch(() => {});
    await pg.stop();
    if (!reuseDir) rmSync(dir, { recursive: true, force: true });
  };
  const sql = postgres(pg.url, { max: 4, onnotice: () => {} });
  try {
    await runMigrations(pg.url);
    // What a deployment's workers do every few seconds (workers/sweeper.ts): the seed's changes to
    // the job counts (and, on a reused database, those a newer migration's backfill left) folded
    // into the roll-ups. No worker runs in this bench, so without it every read would sum them.
    const foldCounts = async () => {
      const { db, client } = createDatabase(pg.url, { max: 1, statementTimeout: false });
      try {
        const started = performance.now();
        const moved = await compactJobCounts(db);
        if (moved > 0) log(`${moved.toLocaleString('en-US')} job-count changes folded into the roll-ups in ${((performance.now() - started) / 1000).toFixed(1)} s`);
      } finally {
        await client.end({ timeout: 5 });
      }
    };
    if (previous) {
      await foldCounts();
      log(`reusing the seeded database in ${dir} (${previous.jobs.toLocaleString('en-US')} jobs, seeded ${previous.seededAt})`);
      return { url: pg.url, sql, state: previous, seedMs: 0, vacuumMs: 0, stop };
    }

    const started = performance.now();
    const big = await createSeededAccount(pg.url, { email: 'scale@example.com', jobs });
    const small = await createSeededAccount(pg.url, { email: 'scale-small@example.com', jobs: Math.round(jobs / 10) });
    const indexes = await dropPlainIndexes(sql);
    const timings: SeedState['timings'] = {};
    for (const [account, seed] of [[big, 0.42], [small, 0.17]] as const) {
      const seedStarted = performance.now();
      const keyIds = account.keys.map((key) => key.id) as SeedAccount['keyIds'];
      const steps = await seedAccount(sql, { accountId: account.id, keyIds, jobs: account.jobs, seed });
      timings[account.email] = { ...steps, total: performance.now() - seedStarted };
      log(`seeded ${account.email}: ${account.jobs.toLocaleString('en-US')} jobs in ${(timings[account.email].total / 1000).toFixed(1)} s ` +
        `(jobs ${(steps.jobs / 1000).toFixed(1)} s, attempts/logs/results ${(steps.attemptsLogsResults / 1000).toFixed(1)} s, credits ${(steps.credits / 1000).toFixed(1)} s)`);
    }
    const indexStarted = performance.now();
    for (const definition of indexes) await sql.unsafe(definition);
    log(`${indexes.length} indexes of ${seededTables.join(', ')} rebuilt in ${((performance.now() - indexStarted) / 1000).toFixed(1)} s`);
    await foldCounts();
    const seedMs = performance.now() - started;

    const vacuumStarted = performance.now();
    await sql.unsafe('VACUUM (ANALYZE)');
    const vacuumMs = performance.now() - vacuumStarted;
    log(`VACUUM ANALYZE in ${(vacuumMs / 1000).toFixed(1)} s`);

    const state: SeedState = { jobs, seededAt: new Date().toISOString(), accounts: [big, small], timings };
    if (reuseDir) writeFileSync(stateFile, JSON.stringify(state, null, 2));
    return { url: pg.url, sql, state, seedMs, vacuumMs, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
