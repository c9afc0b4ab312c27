import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startFixtureServer, type FixtureServer } from '@/tests/fixtures/server';
import { createTestAccount } from '@/tests/helpers/accounts';
import { createTestDatabase } from '@/tests/helpers/database';
import { startApiServer, type ApiServer } from '@/tests/helpers/http-server';
import { startTestWorker } from '@/tests/helpers/worker';
import type { RunningWorker } from '@/workers/worker';

// The CLI under test is the real binary (node bin/scrapifie.mjs) in a child process, talking
// HTTP to the real route handlers (tests/helpers/http-server.ts) on the test file's own database,
// with a real worker running its jobs against the local fixture site.

export type CliResult = { code: number | null; stdout: string; stderr: string };

const bin = path.join(process.cwd(), 'bin/scrapifie.mjs');

export type CliEnvironment = {
  database: Awaited<ReturnType<typeof createTestDatabase>>;
  fixture: FixtureServer;
  server: ApiServer;
  worker: RunningWorker;
  /** A home directory of its own, so no test reads or writes the real ~/.config. */
  home: string;
  configFile: string;
  newAccount(credits?: number): Promise<{ secret: string; accountId: string }>;
  /** Runs the CLI; SCRAPIFIE_CONFIG, HOME and TZ=UTC are set, the API URL and key only when given. */
  run(args: string[], options?: { env?: Record<string, string>; input?: string; timeoutMs?: number }): Promise<CliResult>;
  /** Runs the CLI as a logged-in user: SCRAPIFIE_API_URL and SCRAPIFIE_API_KEY set. */
  as(secret: string): (args: string[], options?: { env?: Record<string, string>; timeoutMs?: number }) => Promise<CliResult>;
  close(): Promise<void>;
};

export async function startCliEnvironment(): Promise<CliEnvironment> {
  const database = await createTestDatabase();
  const [fixture, server] = await Promise.all([startFixtureServer(), startApiServer()]);
  const worker = await startTestWorker(database.url);
  const home = mkdtempSync(path.join(os.tmpdir(), 'scrapifie-cli-home-'));
  const configFile = path.join(home, '.config', 'scrapifie', 'config.json');
  const run: CliEnvironment['run'] = (args, { env = {}, input, timeoutMs = 45_000 } = {}) =>
    runCli(args, { env: { HOME: home, SCRAPIFIE_CONFIG: configFile, TZ: 'UTC', ...env }, input, timeoutMs });
  return {
    database,
    fixture,
    server,
    worker,
    home,
    configFile,
    async newAccount(credits = 100) {
      const { secret, account } = await createTestAccount(database.db, { credits });
      return { secret, accountId: account.id };
    },
    run,
    as: (secret) => (args, options = {}) => run(args, { ...options, env: { SCRAPIFIE_API_URL: server.url, SCRAPIFIE_API_KEY: secret, ...options.env } }),
    async close() {
      await worker.stop();
      await Promise.all([server.close(), fixture.close()]);
      await database.close();
      rmSync(home, { recursive: true, force: true });
    },
  };
}

/** Spawns the binary without blocking this process (the API server runs in it). */
export function runCli(args: string[], { env, input, timeoutMs }: { env: Record<string, string>; input?: string; timeoutMs: number }): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    // Only what the CLI needs: no NO_COLOR, FORCE_COLOR or NODE_OPTIONS leaking in from the runner.
    const child = spawn(process.execPath, [bin, ...args], { env: { NODE_ENV: 'test', PATH: process.env.PATH ?? '', ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`scrapifie ${args.join(' ')} did not exit within ${timeoutMs} ms\nstdout: ${stdout}\nstderr: ${stderr}`));
    }, timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    child.stdin.end(input ?? '');
  });
}

export const ansi = /\x1b\[/;
