import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createDatabase } from '@/db/client';
import { findAccountByEmail, listApiKeys } from '@/db/queries/accounts';
import { getEnv, resetEnvCache } from '@/lib/env';
import { log } from '@/lib/log';
import { createAccount, createApiKey } from '@/lib/server/accounts';
import { hashApiKey } from '@/lib/server/api-keys';
import { runMigrations } from '@/lib/server/migrate';
import { resolveDatabase } from './database';
import { DatabaseStartError } from './embedded-postgres';

// `npm run dev` / `npm start`: one command for the whole product. It provides Postgres (the
// embedded one when DATABASE_URL is unset), applies migrations, seeds the demo account in
// development, then runs the Next.js app and the worker side by side until Ctrl-C.

const mode = process.argv[2] === 'start' ? 'start' : 'dev';
const dataDir = path.resolve('.data');

function loadDotEnv() {
  for (const file of ['.env.local', '.env']) {
    if (existsSync(file)) process.loadEnvFile(file);
  }
  resetEnvCache();
}

/** A stable AUTH_SECRET for local runs, kept in .data so sessions survive restarts. */
function ensureAuthSecret() {
  if (process.env.AUTH_SECRET) return;
  const file = path.join(dataDir, 'auth-secret');
  if (!existsSync(file)) writeFileSync(file, randomBytes(32).toString('base64url'), { mode: 0o600 });
  process.env.AUTH_SECRET = readFileSync(file, 'utf8').trim();
}

const demo = { email: 'demo@scrapifie.local', password: 'scrapifie-demo' };

/** Idempotent: the account is created once; its key secret is kept in .data to print each time. */
async function seedDemo(databaseUrl: string) {
  const { db, client } = createDatabase(databaseUrl, { max: 2 });
  const keyFile = path.join(dataDir, 'demo-api-key');
  try {
    const account =
      (await findAccountByEmail(db, demo.email)) ?? (await createAccount(db, { ...demo, credits: 1000 }));
    const saved = existsSync(keyFile) ? readFileSync(keyFile, 'utf8').trim() : '';
    const keys = await listApiKeys(db, account.id);
    let secret = saved && keys.some((k) => k.keyHash === hashApiKey(saved) && !k.revokedAt) ? saved : '';
    if (!secret) {
      secret = (await createApiKey(db, { accountId: account.id, name: 'Demo key', kind: 'live' })).secret;
      writeFileSync(keyFile, secret, { mode: 0o600 });
    }
    return secret;
  } finally {
    await client.end({ timeout: 5 });
  }
}

async function main() {
  loadDotEnv();
  // Readable log lines in a development terminal, unless LOG_FORMAT says otherwise; JSON in production.
  if (mode === 'dev') process.env.LOG_FORMAT ??= 'pretty';
  mkdirSync(dataDir, { recursive: true });
  ensureAuthSecret();
  const database = await resolveDatabase();
  process.env.DATABASE_URL = database.url;
  resetEnvCache();
  const env = getEnv();
  await runMigrations(database.url);

  const seed = env.SEED_DEMO ?? mode === 'dev';
  const demoKey = seed ? await seedDemo(database.url) : undefined;

  const children: ChildProcess[] = [];
  const bin = (name: string) => path.resolve('node_modules/.bin', name);
  const childEnv = { ...process.env, NODE_ENV: mode === 'dev' ? ('development' as const) : ('production' as const) };
  // Node refuses a request whose header block (the URL included) passes 16 KB with a bare 431;
  // raised, so that URLs up to 64 KB reach proxy.ts, which answers past 16 KB in the API's shape.
  const webEnv = { ...childEnv, NODE_OPTIONS: [process.env.NODE_OPTIONS, '--max-http-header-size=65536'].filter(Boolean).join(' ') };
  const web = spawn(bin('next'), [mode, '-p', String(env.PORT)], { stdio: 'inherit', env: webEnv });
  const worker = spawn(process.execPath, ['--import', 'tsx', 'workers/index.ts'], { stdio: 'inherit', env: childEnv });
  children.push(web, worker);

  const banner = [
    '',
    `  Scrapifie is starting on http://localhost:${env.PORT}`,
    `  Database: ${database.embedded ? `embedded Postgres in ${env.EMBEDDED_PG_DIR}` : 'DATABASE_URL'}`,
    ...(demoKey
      ? [
          `  Demo login: ${demo.email} / ${demo.password}`,
          `  Demo API key: ${demoKey}`,
          `  Try: curl -X POST http://localhost:${env.PORT}/api/v1/jobs -H "Authorization: Bearer ${demoKey}" \\`,
          `         -H "Content-Type: application/json" -d '{"url":"https://example.com"}'`,
        ]
      : []),
    '',
  ];
  console.log(banner.join('\n'));

  let stopping = false;
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    for (const child of children) if (child.exitCode === null) child.kill('SIGTERM');
    await Promise.all(children.map((child) => (child.exitCode === null ? new Promise((r) => child.once('exit', r)) : null)));
    await database.embedded?.stop();
    process.exit(code);
  };
  for (const child of children) {
    child.once('exit', (code) => {
      if (!stopping) {
        log.error(`${child === web ? 'web app' : 'worker'} exited; stopping`, { exitCode: code });
        void stop(code ?? 1);
      }
    });
  }
  // embedded-postgres stops its server on these signals by itself (an exit hook), which would
  // pull the database from under the worker's drain: ours stop the children first.
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.removeAllListeners(signal);
    process.on(signal, () => void stop(0));
  }
}

/**
 * Ctrl-C signals the terminal's whole process group, and the embedded Postgres (spawned by the
 * embedded-postgres package, which offers no way to detach it) would shut down at once, under the
 * worker's feet. So the real run happens in a detached copy of this process, in a group of its
 * own; this foreground process only forwards the signals, and the copy stops the web app and the
 * worker first and Postgres last.
 */
function superviseDetached(): void {
  const child = spawn(process.execPath, [...process.execArgv, ...process.argv.slice(1)], {
    stdio: 'inherit',
    detached: true,
    env: { ...process.env, SCRAPIFIE_RUN_DETACHED: '1' },
  });
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.on(signal, () => child.kill(signal === 'SIGHUP' ? 'SIGTERM' : signal));
  }
  child.once('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}

if (process.env.SCRAPIFIE_RUN_DETACHED || process.platform === 'win32') {
  main().catch((error) => {
    // A problem the operator can fix is said in its sentence; anything else with its stack.
    if (error instanceof DatabaseStartError) console.error(`\n  Scrapifie did not start: ${error.message}\n`);
    else log.error('failed to start', { err: error });
    process.exit(1);
  });
} else {
  superviseDetached();
}
