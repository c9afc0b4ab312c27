import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';

// `npm run build:worker`: the worker and the migration command as one ESM bundle each in
// dist/worker, plus a package.json and a package-lock.json listing only the packages left outside
// the bundle. dist/worker is the whole artifact: `npm ci --omit=dev` inside it, then
// `node index.mjs` (the worker) or `node migrate.mjs` (migrations; reads ./db/migrations).

const root = process.cwd();
const outDir = path.join(root, 'dist/worker');

/**
 * Packages that cannot be inlined: they read data files next to their own sources at run time
 * (header and fingerprint generators, the injector's page script), carry a Chromium binary
 * (@sparticuz/chromium), or load optional native or runtime-specific modules (puppeteer-core).
 */
export const workerExternals = [
  '@sparticuz/chromium',
  'puppeteer-core',
  'got-scraping',
  'header-generator',
  'fingerprint-generator',
  'fingerprint-injector',
] as const;

/** Optional modules that bundled code may name but never loads on Node. */
const neverLoaded = ['pg-native', 'cloudflare:sockets'];

type LockEntry = { version?: string; dependencies?: Record<string, string>; optionalDependencies?: Record<string, string>; peerDependencies?: Record<string, string>; dev?: boolean; [key: string]: unknown };
type Lock = { name: string; version: string; lockfileVersion: number; packages: Record<string, LockEntry> };

/** Where Node finds `name` from the lock entry at `from` (nested node_modules first, then upwards). */
function resolveInLock(packages: Lock['packages'], from: string, name: string): string | undefined {
  let base = from;
  for (;;) {
    const candidate = base ? `${base}/node_modules/${name}` : `node_modules/${name}`;
    if (packages[candidate]) return candidate;
    if (!base) return undefined;
    const cut = base.lastIndexOf('/node_modules/');
    base = cut === -1 ? '' : base.slice(0, cut);
  }
}

/**
 * The subset of the root lock that the externals need, at the same paths and versions, so
 * `npm ci` in dist/worker installs exactly what the tests ran against.
 */
function lockSubset(lock: Lock, roots: readonly string[], name: string) {
  const picked: Lock['packages'] = {};
  const visit = (from: string, dependency: string, optional: boolean) => {
    const at = resolveInLock(lock.packages, from, dependency);
    if (!at) {
      if (optional) return;
      throw new Error(`${dependency} (needed by ${from || 'the worker'}) is not in package-lock.json`);
    }
    if (picked[at]) return;
    const { dev: _dev, devOptional: _devOptional, ...entry } = lock.packages[at];
    picked[at] = entry;
    for (const dep of Object.keys(entry.dependencies ?? {})) visit(at, dep, false);
    for (const dep of Object.keys(entry.optionalDependencies ?? {})) visit(at, dep, true);
    for (const dep of Object.keys(entry.peerDependencies ?? {})) visit(at, dep, true);
  };
  for (const dependency of roots) visit('', dependency, false);
  const dependencies = Object.fromEntries(roots.map((dep) => [dep, lock.packages[`node_modules/${dep}`].version!]));
  const sorted = Object.fromEntries(Object.entries(picked).sort(([a], [b]) => a.localeCompare(b)));
  return {
    dependencies,
    lock: { name, version: lock.version, lockfileVersion: 3, requires: true, packages: { '': { name, version: lock.version, dependencies }, ...sorted } },
  };
}

export async function buildWorker({ quiet = false } = {}): Promise<string> {
  const started = Date.now();
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  await build({
    entryPoints: { index: 'workers/index.ts', migrate: 'scripts/migrate.ts' },
    outdir: outDir,
    outExtension: { '.js': '.mjs' },
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    // Bundled CommonJS calls require() for Node built-ins; ESM has none, so give it one.
    banner: { js: "import { createRequire as __scrapifieCreateRequire } from 'node:module'; const require = __scrapifieCreateRequire(import.meta.url);" },
    external: [...workerExternals, ...neverLoaded],
    alias: { '@': root },
    sourcemap: 'linked',
    legalComments: 'linked',
    logLevel: quiet ? 'error' : 'warning',
    define: { 'process.env.NODE_ENV': '"production"' },
  });
  cpSync(path.join(root, 'db/migrations'), path.join(outDir, 'db/migrations'), { recursive: true });

  const rootPackage = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string; engines?: Record<string, string> };
  const rootLock = JSON.parse(readFileSync(path.join(root, 'package-lock.json'), 'utf8')) as Lock;
  const name = 'scrapifie-worker';
  const { dependencies, lock } = lockSubset(rootLock, workerExternals, name);
  const manifest = {
    name,
    version: rootPackage.version,
    private: true,
    type: 'module',
    engines: rootPackage.engines,
    scripts: { start: 'node index.mjs', migrate: 'node migrate.mjs' },
    dependencies,
  };
  writeFileSync(path.join(outDir, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  writeFileSync(path.join(outDir, 'package-lock.json'), `${JSON.stringify(lock, null, 2)}\n`);
  if (!quiet) console.log(`[build:worker] dist/worker (index.mjs, migrate.mjs, db/migrations, package.json) in ${Date.now() - started} ms`);
  return outDir;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  buildWorker().catch((error) => {
    console.error('[build:worker] failed:', error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
