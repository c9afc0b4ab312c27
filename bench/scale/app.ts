import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '@/scripts/free-port';
import { ensureProductionBuild } from '@/scripts/next-build';

// The app under test: the checkout's production build (the e2e suite's, reused when the sources
// are unchanged: same directory, same fingerprint file) served by `next start`, and a dashboard
// session signed in through next-auth's credentials endpoint as a browser would.

const root = process.cwd();

/** Builds the app unless the e2e suite's build is of these sources. Returns the build's milliseconds (0: reused). */
export function ensureBuild(log: (message: string) => void): number {
  return ensureProductionBuild({ log });
}

export type RunningApp = { url: string; logFile: string; stop(): Promise<void> };

/**
 * `next start` against the seeded database. Queued jobs never expire during the run (the
 * seed's are minutes old and nothing else may change the data under the measurements), and
 * the read rate limit is raised far above the bench's pace, so its bucket is still taken on
 * every request but never refuses one.
 */
export async function startApp({ databaseUrl }: { databaseUrl: string }): Promise<RunningApp> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const logFile = path.join(os.tmpdir(), 'scrapifie-bench-scale-app.log');
  const out = createWriteStream(logFile);
  const child = spawn(path.join(root, 'node_modules/.bin/next'), ['start', '-p', String(port), '-H', '127.0.0.1'], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      NODE_ENV: 'production',
      NEXT_TELEMETRY_DISABLED: '1',
      DATABASE_URL: databaseUrl,
      AUTH_SECRET: randomBytes(32).toString('base64url'),
      MAX_QUEUE_WAIT_SECONDS: String(365 * 86_400),
      RATE_LIMIT_READ_PER_SECOND: '100000',
      RATE_LIMIT_READ_BURST: '1000000',
    },
  });
  child.stdout.pipe(out);
  child.stderr.pipe(out);
  const stop = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`next start exited (${child.exitCode}); see ${logFile}`);
    const ready = await fetch(`${url}/sign-in`, { redirect: 'manual' }).then((r) => r.status < 500, () => false);
    if (ready) return { url, logFile, stop };
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  await stop();
  throw new Error(`next start did not answer within 60 s; see ${logFile}`);
}

/** The cookies of a response's Set-Cookie headers, as `name=value` pairs. */
function cookiesOf(response: Response): string[] {
  return response.headers.getSetCookie().map((line) => line.split(';')[0]);
}

/** Signs in through next-auth's credentials endpoint; returns the Cookie header of the session. */
export async function signIn(baseUrl: string, { email, password }: { email: string; password: string }): Promise<string> {
  const csrf = await fetch(`${baseUrl}/api/auth/csrf`);
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const jar = cookiesOf(csrf);
  const response = await fetch(`${baseUrl}/api/auth/callback/credentials`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Cookie: jar.join('; ') },
    body: new URLSearchParams({ email, password, csrfToken, callbackUrl: '/dashboard/jobs' }),
  });
  const session = cookiesOf(response).filter((cookie) => cookie.includes('session-token'));
  if (response.status !== 302 || session.length === 0 || (response.headers.get('location') ?? '').includes('error')) {
    throw new Error(`dashboard sign-in failed: ${response.status} ${response.headers.get('location')}`);
  }
  return [...jar, ...session].join('; ');
}
