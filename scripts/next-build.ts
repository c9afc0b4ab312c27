import { spawn, spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream, existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from './free-port';

// The production build the e2e suite and `npm run bench:scale` serve with `next start`: built
// only when the sources it reads changed since the last build in the same directory.

const root = process.cwd();
/** Where the build goes: `.next`, or SCRAPIFIE_DIST_DIR (next.config.mjs reads it too). */
export const distDir = path.join(root, process.env.SCRAPIFIE_DIST_DIR || '.next');
const buildInputs = ['app', 'components', 'lib', 'db', 'proxy.ts', 'next.config.mjs', 'postcss.config.mjs', 'package-lock.json', 'tsconfig.json'];

/** A hash of everything the build reads, so an unchanged tree reuses the last build. */
function sourceFingerprint(): string {
  const hash = createHash('sha256');
  const visit = (relative: string) => {
    const full = path.join(root, relative);
    if (!existsSync(full)) return;
    if (statSync(full).isDirectory()) {
      for (const name of readdirSync(full).sort()) visit(path.join(relative, name));
      return;
    }
    hash.update(relative).update(readFileSync(full));
  };
  buildInputs.forEach(visit);
  return hash.digest('hex');
}

/** Builds the app unless the build in distDir is of these sources (or `force`). Returns the build's milliseconds, 0 when reused. */
export function ensureProductionBuild({ log, force = false }: { log: (message: string) => void; force?: boolean }): number {
  const stamp = path.join(distDir, 'e2e-source-fingerprint');
  const fingerprint = sourceFingerprint();
  if (!force && existsSync(path.join(distDir, 'BUILD_ID')) && existsSync(stamp) && readFileSync(stamp, 'utf8') === fingerprint) {
    log(`reusing the production build in ${path.relative(root, distDir)} (sources unchanged)`);
    return 0;
  }
  log('building the app (next build)…');
  const started = performance.now();
  const result = spawnSync(path.join(root, 'node_modules/.bin/next'), ['build'], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, NODE_ENV: 'production', NEXT_TELEMETRY_DISABLED: '1', SCRAPIFIE_BUILD_SKIP_TYPECHECK: '1' },
  });
  if (result.status !== 0) throw new Error('next build failed');
  writeFileSync(stamp, fingerprint);
  const ms = performance.now() - started;
  log(`built in ${Math.round(ms / 1000)}s`);
  return ms;
}

export type NextServer = { url: string; logFile: string; stop(): Promise<void> };

/**
 * `next start` of that build on a free loopback port, with `env` on top of this process's, its
 * output in a log file in the temp dir; resolves once the sign-in page answers.
 */
export async function startNextServer({ env, logName }: { env: Record<string, string | undefined>; logName: string }): Promise<NextServer> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const logFile = path.join(os.tmpdir(), logName);
  const out = createWriteStream(logFile);
  const child = spawn(path.join(root, 'node_modules/.bin/next'), ['start', '-p', String(port), '-H', '127.0.0.1'], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, NODE_ENV: 'production', NEXT_TELEMETRY_DISABLED: '1', AUTH_SECRET: randomBytes(32).toString('base64url'), ...env },
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
    if (child.exitCode !== null) throw new Error(`next start exited (${child.exitCode}) before it was ready; see ${logFile}`);
    const ready = await fetch(`${url}/sign-in`, { redirect: 'manual' }).then((r) => r.status < 500, () => false);
    if (ready) return { url, logFile, stop };
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  await stop();
  throw new Error(`next start did not answer within 60 s; see ${logFile}`);
}
