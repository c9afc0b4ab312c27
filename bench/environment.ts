import { chmodSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { closeDatabase, createDatabase, type Database } from '@/db/client';
import { resetEnvCache } from '@/lib/env';
import { createAccount, createApiKey } from '@/lib/server/accounts';
import { runMigrations } from '@/lib/server/migrate';
import { stopProducerBoss } from '@/lib/server/queue';
import { startEmbeddedPostgres } from '@/scripts/embedded-postgres';
import { spawn } from 'node:child_process';
import type { Account } from '@/db/schema';
import { freePort } from '@/scripts/free-port';

// Everything the benchmarks run against, on this machine only: an embedded Postgres in a temp
// dir, the fixture web server on 127.0.0.1, and one account with credits to spend.

export type Machine = {
  cpus: number;
  cpuModel: string;
  memoryGb: number;
  node: string;
  postgres: string;
  /** 1-minute load average before anything started: other processes compete for the same CPUs. */
  loadAtStart: number;
};

export type BenchEnvironment = {
  databaseUrl: string;
  db: Database;
  /** The postgres.js client behind `db`, for LISTEN. */
  client: ReturnType<typeof createDatabase>['client'];
  fixture: { url: string; close(): Promise<void> };
  account: Account;
  /** A live key per phase, so each phase's jobs can be counted by key. */
  newKey(name: string): Promise<{ id: string; kind: 'live' }>;
  machine(): Promise<Machine>;
  close(): Promise<void>;
};


function cpuModel(): string {
  try {
    const line = readFileSync('/proc/cpuinfo', 'utf8').split('\n').find((l) => l.startsWith('model name'));
    return line?.split(':')[1]?.trim() ?? os.cpus()[0]?.model ?? 'unknown';
  } catch {
    return os.cpus()[0]?.model ?? 'unknown';
  }
}

export async function startBenchEnvironment({ settings }: { settings?: string[] } = {}): Promise<BenchEnvironment> {
  const loadAtStart = os.loadavg()[0];
  const dir = mkdtempSync(path.join(os.tmpdir(), 'scrapifie-bench-pg-'));
  chmodSync(dir, 0o755); // Postgres runs as its own user when we are root
  const pg = await startEmbeddedPostgres({ dir: path.join(dir, 'data'), port: await freePort(), persistent: false, quiet: true, settings });
  const closers: (() => Promise<unknown>)[] = [
    async () => {
      await pg.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  ];
  const close = async () => {
    for (const closer of closers.splice(0).reverse()) await closer().catch((error) => console.error('[bench] cleanup:', error));
  };
  try {
    await runMigrations(pg.url);
    process.env.DATABASE_URL = pg.url;
    resetEnvCache();
    closers.push(() => stopProducerBoss(), () => closeDatabase());

    const { db, client } = createDatabase(pg.url, { max: 12 });
    closers.push(() => client.end({ timeout: 5 }));
    const fixture = await startFixtureProcess();
    closers.push(() => fixture.close());

    const account = await createAccount(db, { email: 'bench@example.com', password: 'correct horse battery', credits: 1_000_000 });
    return {
      databaseUrl: pg.url,
      db,
      client,
      fixture,
      account,
      async newKey(name) {
        const { key } = await createApiKey(db, { accountId: account.id, name, kind: 'live' });
        return { id: key.id, kind: 'live' };
      },
      async machine() {
        const [row] = await db.execute<{ version: string }>(sql`SELECT version()`);
        return {
          cpus: os.availableParallelism(),
          cpuModel: cpuModel(),
          memoryGb: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
          node: process.version,
          postgres: row.version.split(' on ')[0],
          loadAtStart,
        };
      },
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}

/** The fixture site in a child process; resolves once it prints its URL. */
function startFixtureProcess(): Promise<{ url: string; close(): Promise<void> }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'bench/fixture-process.ts'], { stdio: ['pipe', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`the fixture process exited (${code}) before it started`)));
    child.stdout!.once('data', (chunk: Buffer) => {
      const url = chunk.toString().trim();
      resolve({
        url,
        close: () =>
          new Promise<void>((done) => {
            child.once('exit', () => done());
            child.stdin!.end();
          }),
      });
    });
  });
}
