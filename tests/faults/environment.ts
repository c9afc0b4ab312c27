import { mkdtempSync, chmodSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import postgres, { type Sql } from 'postgres';
import { closeDatabase, createDatabase, type Database } from '@/db/client';
import { resetEnvCache } from '@/lib/env';
import { runMigrations } from '@/lib/server/migrate';
import { stopProducerBoss } from '@/lib/server/queue';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '@/scripts/embedded-postgres';
import { freePort } from '@/scripts/free-port';
import { startNextServer, type NextServer } from '@/scripts/next-build';
import { startFixtureServer, type FixtureServer } from '@/tests/fixtures/server';
import { waitFor } from '@/tests/helpers/worker';
import { spawnWorkerProcess, type WorkerProcess } from '@/tests/helpers/worker-process';

// The fault suite's own world: a Postgres of its own (so restarting it hurts no other test), the
// web app as production runs it (`next start` of the production build, its own process and
// database pool), three `npm run worker` processes and the fixture site.

export type FaultWorld = {
  url: string;
  db: Database;
  /** A connection of the test's own for checks; it reconnects by itself after a restart. */
  sql: Sql;
  fixture: FixtureServer;
  /** The web app (`next start`); `url` is its address. */
  web: NextServer;
  workers: WorkerProcess[];
  spawnWorker(): Promise<WorkerProcess>;
  /**
   * Immediate shutdown (SIGQUIT to the postmaster, as `pg_ctl stop -m immediate`), `downMs` of
   * nothing, then start. `whileDown` runs once the server is gone.
   */
  restartPostgres<T>(downMs: number, whileDown?: () => Promise<T>): Promise<{ stoppedAt: number; readyAt: number; duringOutage?: T }>;
  close(): Promise<void>;
};

export const workerEnv = {
  // Short leases, so a killed worker's jobs come back within seconds.
  JOB_LEASE_SECONDS: '6',
  LOG_LEVEL: 'warn',
};

export async function startFaultWorld(): Promise<FaultWorld> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'scrapifie-faults-'));
  chmodSync(dir, 0o755); // Postgres runs as its own user when we are root
  const dataDir = path.join(dir, 'data');
  const port = await freePort();
  // Durable commits, as a production server has them: the suite's speed settings
  // (synchronous_commit=off) lose the last commits in an immediate shutdown, by design.
  const settings = ['synchronous_commit=on', 'fsync=on'];
  let pg: EmbeddedDatabase = await startEmbeddedPostgres({ dir: dataDir, port, quiet: true, settings });
  await runMigrations(pg.url);
  process.env.DATABASE_URL = pg.url;
  // One program submitting as fast as it can: the rate limits are not under test.
  process.env.RATE_LIMIT_CREATE_PER_SECOND = '0';
  process.env.RATE_LIMIT_READ_PER_SECOND = '0';
  resetEnvCache();
  const { db, client } = createDatabase(pg.url, { max: 4 });
  const sql = client;
  const fixture = await startFixtureServer();
  const web = await startNextServer({
    logName: `scrapifie-faults-app-${port}.log`,
    env: { DATABASE_URL: pg.url, RATE_LIMIT_CREATE_PER_SECOND: '0', RATE_LIMIT_READ_PER_SECOND: '0', LOG_LEVEL: 'warn' },
  });
  const workers: WorkerProcess[] = [];
  const database = { url: pg.url, client: sql };
  const world: FaultWorld = {
    url: web.url,
    db,
    sql,
    fixture,
    web,
    workers,
    async spawnWorker() {
      const worker = await spawnWorkerProcess(database, workerEnv);
      workers.push(worker);
      return worker;
    },
    async restartPostgres(downMs, whileDown) {
      const [pid] = readFileSync(path.join(dataDir, 'postmaster.pid'), 'utf8').split('\n');
      process.kill(Number(pid), 'SIGQUIT');
      const stoppedAt = Date.now();
      await waitFor(async () => !isAlive(Number(pid)), { what: 'Postgres to stop', timeoutMs: 30_000 });
      const [duringOutage] = await Promise.all([whileDown?.(), new Promise((resolve) => setTimeout(resolve, downMs))]);
      pg = await startEmbeddedPostgres({ dir: dataDir, port, quiet: true, settings });
      return { stoppedAt, readyAt: Date.now(), duringOutage };
    },
    async close() {
      for (const worker of workers) if (worker.child.exitCode === null) worker.child.kill('SIGKILL');
      await web.stop();
      await fixture.close();
      await stopProducerBoss();
      await closeDatabase();
      await sql.end({ timeout: 2 });
      await pg.stop().catch(() => {});
      rmSync(dir, { recursive: true, force: true });
    },
  };
  for (let i = 0; i < 3; i += 1) await world.spawnWorker();
  return world;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** A POST or GET over HTTP with its latency; a reply that never comes is recorded as status 0 after 60 s. */
export async function call(
  world: FaultWorld,
  method: string,
  pathAndQuery: string,
  { key, body, headers = {} }: { key: string; body?: unknown; headers?: Record<string, string> },
) {
  const started = performance.now();
  try {
    const res = await fetch(`${world.url}${pathAndQuery}`, {
      method,
      headers: { authorization: `Bearer ${key}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(60_000),
    });
    const text = await res.text();
    let json: any = null;
    try {
      json = JSON.parse(text);
    } catch {
      // Not JSON: kept as text for the assertion to show.
    }
    return { status: res.status, headers: res.headers, body: json, text, ms: performance.now() - started };
  } catch (error) {
    return { status: 0, headers: new Headers(), body: null, text: String(error), ms: performance.now() - started };
  }
}

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}
