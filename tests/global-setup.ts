import { chmodSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import postgres from 'postgres';
import type { TestProject } from 'vitest/node';
import { runMigrations } from '@/lib/server/migrate';
import { buildCli } from '@/scripts/build-cli';
import { startEmbeddedPostgres } from '@/scripts/embedded-postgres';
import { resolveChromiumPath } from '@/workers/browser/chromium';
import { freePort } from '@/scripts/free-port';

// One embedded Postgres for the whole run. Migrations are applied once to a template database;
// each test file clones it (CREATE DATABASE ... TEMPLATE), so files run in parallel against
// their own database and their own queue.

declare module 'vitest' {
  export interface ProvidedContext {
    postgresBaseUrl: string;
  }
}


export default async function setup(project: TestProject) {
  // Unpack Chromium once, before test files that launch it run in parallel.
  await resolveChromiumPath(process.env.CHROMIUM_PATH);
  // The CLI tests run the real binary, which runs this bundle of the current sources.
  await buildCli();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'scrapifie-test-pg-'));
  chmodSync(dir, 0o755); // Postgres runs as its own user when we are root
  const port = await freePort();
  const pg = await startEmbeddedPostgres({ dir: path.join(dir, 'data'), port, database: 'template_scrapifie', persistent: false, quiet: true });
  await runMigrations(pg.url);
  // A template must have no open connections when it is cloned.
  const admin = postgres(pg.url.replace(/\/template_scrapifie$/, '/postgres'), { max: 1, onnotice: () => {} });
  await admin.unsafe(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = 'template_scrapifie' AND pid <> pg_backend_pid()`);
  await admin.end();
  project.provide('postgresBaseUrl', `postgres://postgres:postgres@127.0.0.1:${port}`);
  return async () => {
    await pg.stop();
  };
}
