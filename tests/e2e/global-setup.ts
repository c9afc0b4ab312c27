import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { resolveChromiumPath } from '@/workers/browser/chromium';
import { runMigrations } from '@/lib/server/migrate';
import { startEmbeddedPostgres } from '@/scripts/embedded-postgres';
import { startFixtureServer } from '@/tests/fixtures/server';
import { startWorker } from '@/workers/worker';
import { freePort } from '@/scripts/free-port';
import { ensureProductionBuild, startNextServer } from '@/scripts/next-build';

// One run of the product for the whole suite: an embedded Postgres in a temp dir, the production
// build served by `next start` (built only when the sources changed), a real worker allowed to
// reach the local fixture site, and short poll intervals so live updates happen in test time.

// The suite's output is the test report: the app's and the worker's info lines would bury it.
process.env.LOG_LEVEL ??= 'warn';
const log = (message: string) => console.log(`[e2e] ${message}`);


function ensureBuild(): void {
  ensureProductionBuild({ log, force: Boolean(process.env.E2E_REBUILD) });
}


export default async function globalSetup() {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'scrapifie-e2e-'));
  chmodSync(dir, 0o755); // Postgres runs as its own user when we are root
  const cleanups: (() => Promise<void> | void)[] = [() => rmSync(dir, { recursive: true, force: true })];
  const teardown = async () => {
    for (const cleanup of cleanups.reverse()) {
      try {
        await cleanup();
      } catch (error) {
        console.error('[e2e] teardown step failed', error);
      }
    }
  };

  try {
    process.env.CHROMIUM_PATH = await resolveChromiumPath(process.env.CHROMIUM_PATH);

    const pg = await startEmbeddedPostgres({ dir: path.join(dir, 'pg'), port: await freePort(), persistent: false, quiet: true });
    cleanups.push(() => pg.stop());
    await runMigrations(pg.url);

    const fixture = await startFixtureServer();
    cleanups.push(() => fixture.close());

    ensureBuild();

    const web = await startNextServer({
      logName: 'scrapifie-e2e-app.log',
      env: {
        DATABASE_URL: pg.url,
        DASHBOARD_LIST_POLL_SECONDS: '2',
        DASHBOARD_DETAIL_POLL_SECONDS: '2',
        // The web app judges webhook URLs by the worker's allow-list (lib/egress.ts).
        EGRESS_ALLOWLIST: '127.0.0.1/32',
      },
    });
    cleanups.push(web.stop);
    const { url: baseUrl, logFile } = web;
    log(`app on ${baseUrl} (log: ${logFile})`);

    const worker = await startWorker({
      databaseUrl: pg.url,
      WORKER_CONCURRENCY_HTTP: 8,
      WORKER_CONCURRENCY_BROWSER: 1,
      WORKER_CONCURRENCY_STEALTH: 1,
      WORKER_SHUTDOWN_GRACE_SECONDS: 2,
      JOB_LEASE_SECONDS: 10,
      MAX_QUEUE_WAIT_SECONDS: 600,
      MAX_RESULT_BYTES: 8 * 1024 * 1024,
      EGRESS_ALLOWLIST: '127.0.0.1/32',
      CHROMIUM_PATH: process.env.CHROMIUM_PATH,
      RETRY_DELAY_SCALE: 0.05,
      LOG_FLUSH_MS: 100,
      sweepIntervalMs: 1000,
      log: () => {},
    });
    cleanups.push(() => worker.stop());

    process.env.E2E_BASE_URL = baseUrl;
    process.env.E2E_DATABASE_URL = pg.url;
    process.env.E2E_FIXTURE_URL = fixture.url;
    process.env.E2E_POLL_MS = '2000';
  } catch (error) {
    await teardown();
    throw error;
  }
  return teardown;
}
