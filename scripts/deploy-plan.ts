import { envKeys } from '@/lib/env';

// What `npm run deploy` will do, worked out from the operator's environment and the tools on
// this machine, without doing any of it: the checks (what is missing) and the steps (commands
// with their real arguments, and a printable form with every secret redacted). scripts/deploy.ts
// prints the plan and, unless --dry-run, runs it.

/** Pinned so a deploy does not change behaviour when Vercel publishes a new major. */
export const vercelCliPackage = 'vercel@64';

export type Tools = {
  /** Path of `vercel` on PATH, or null (then it runs through npx from the npm registry). */
  vercel: string | null;
  /** Path of `fly` or `flyctl` on PATH, or null (it is not on npm: install it from fly.io). */
  fly: string | null;
  /** `.vercel/project.json` exists (from `vercel link`). */
  vercelLinked: boolean;
  /** `app` in fly.toml. */
  flyTomlApp: string | null;
};

export type Check = { level: 'ok' | 'warning' | 'missing'; name: string; message: string };

export type Step = {
  id: 'migrate' | 'vercel-deploy' | 'fly-secrets' | 'fly-deploy';
  title: string;
  command: string;
  args: string[];
  /** Extra environment for the command (merged over the deploying shell's). */
  env?: Record<string, string>;
  /** Written to the command's stdin (secrets go here rather than on the command line). */
  stdin?: string;
  /** The command as printed: secrets redacted. */
  display: string;
};

export type DeployPlan = { checks: Check[]; steps: Step[]; missing: string[]; flyApp: string | null };

type Environment = Record<string, string | undefined>;

/** Variables whose values never appear in output. */
const secretNames = new Set(['DATABASE_URL', 'DATABASE_URL_DIRECT', 'AUTH_SECRET', 'PROXY_POOL', 'BROWSER_WS_ENDPOINT', 'VERCEL_TOKEN', 'FLY_API_TOKEN', 'METRICS_TOKEN']);
/** Local development only: never shipped. */
const devOnly = new Set(['NODE_ENV', 'PORT', 'EMBEDDED_PG_DIR', 'EMBEDDED_PG_PORT', 'SEED_DEMO']);
/** Read only by the worker. */
const workerOnly = (name: string) =>
  /^(WORKER_|BROWSER_|EGRESS_PROXY_|RETENTION_PURGE_)/.test(name) ||
  ['CHROMIUM_PATH', 'PROXY_POOL', 'RETRY_DELAY_SCALE', 'LOG_FLUSH_MS', 'JOB_LEASE_SECONDS'].includes(name);
/** Read only by the web app (the worker sizes its own pool from its concurrency). */
const webOnly = (name: string) => /^DASHBOARD_/.test(name) || ['AUTH_SECRET', 'DATABASE_POOL_MAX', 'STREAM_MAX_SECONDS', 'METRICS_TOKEN'].includes(name);

/** Serverless functions each hold their own pool: keep it to a couple of connections. */
export const vercelPoolMax = '2';

/** A URL keeps its shape with the password (and any query) hidden; anything else is starred out. */
export function redact(name: string, value: string): string {
  if (!secretNames.has(name)) return value;
  // A pool lists several URLs with credentials (and no password-free part worth showing).
  if (name === 'PROXY_POOL') return '***';
  try {
    const url = new URL(value);
    if (!url.username && !url.password) return `${url.protocol}//${url.host}${url.pathname}${url.search ? '?***' : ''}`;
    return `${url.protocol}//${url.username ? `${url.username}:` : ''}***@${url.host}${url.pathname}${url.search ? '?***' : ''}`;
  } catch {
    return '***';
  }
}

/** Shell quoting for display; the redaction marker (***) is left bare to stay readable. */
const quote = (arg: string) => (/^[\w@%+=:,./?*-]+$/.test(arg) ? arg : `'${arg.replaceAll("'", `'\\''`)}'`);

function isLocalHost(url: string): boolean {
  try {
    return ['localhost', '127.0.0.1', '[::1]', '0.0.0.0'].includes(new URL(url).hostname);
  } catch {
    return false;
  }
}

export function planDeploy(env: Environment, tools: Tools): DeployPlan {
  const checks: Check[] = [];
  const ok = (name: string, message: string) => checks.push({ level: 'ok', name, message });
  const warn = (name: string, message: string) => checks.push({ level: 'warning', name, message });
  const missing = (name: string, message: string) => checks.push({ level: 'missing', name, message });

  const databaseUrl = env.DATABASE_URL;
  const directUrl = env.DATABASE_URL_DIRECT;
  if (!databaseUrl) missing('DATABASE_URL', 'not set: the Postgres connection string for the web app (the pooled one on Vercel)');
  else if (isLocalHost(databaseUrl)) warn('DATABASE_URL', `points at this machine (${redact('DATABASE_URL', databaseUrl)}); Vercel and Fly.io cannot reach it`);
  else ok('DATABASE_URL', redact('DATABASE_URL', databaseUrl));
  if (directUrl) ok('DATABASE_URL_DIRECT', `${redact('DATABASE_URL_DIRECT', directUrl)} (migrations, the worker, the scrape wait's LISTEN)`);
  else if (databaseUrl) warn('DATABASE_URL_DIRECT', 'not set: migrations, the worker and LISTEN use DATABASE_URL, which is right only if it is a direct or session-mode connection (not a transaction pooler)');

  const authSecret = env.AUTH_SECRET;
  if (!authSecret) missing('AUTH_SECRET', 'not set: signs dashboard sessions; generate one with `openssl rand -base64 32`');
  else if (authSecret.length < 32) missing('AUTH_SECRET', `only ${authSecret.length} characters; use 32 or more (openssl rand -base64 32)`);
  else ok('AUTH_SECRET', '***');

  const poolMax = env.DATABASE_POOL_MAX;
  if (poolMax && Number(poolMax) > 3) warn('DATABASE_POOL_MAX', `${poolMax} per function instance; on Vercel keep it at 1-3 (every warm instance holds its own pool)`);

  if (tools.vercel) ok('vercel CLI', tools.vercel);
  else ok('vercel CLI', `not on PATH: runs as \`npx --yes ${vercelCliPackage}\` (from the npm registry)`);
  if (env.VERCEL_TOKEN) ok('VERCEL_TOKEN', '***');
  else warn('VERCEL_TOKEN', 'not set: the vercel CLI must be logged in (`vercel login`); checked before deploying');
  if (!tools.vercelLinked && !(env.VERCEL_ORG_ID && env.VERCEL_PROJECT_ID)) {
    warn('Vercel project', 'not linked (no .vercel/project.json, no VERCEL_ORG_ID/VERCEL_PROJECT_ID): `vercel deploy --yes` creates or links a project named after this directory');
  } else ok('Vercel project', tools.vercelLinked ? '.vercel/project.json' : 'VERCEL_ORG_ID / VERCEL_PROJECT_ID');

  if (tools.fly) ok('flyctl', tools.fly);
  else missing('flyctl', 'not on PATH (it is not an npm package): install it with `curl -L https://fly.io/install.sh | sh`, then `fly auth login`');
  if (env.FLY_API_TOKEN) ok('FLY_API_TOKEN', '***');
  else warn('FLY_API_TOKEN', 'not set: flyctl must be logged in (`fly auth login`); checked before deploying');
  const flyApp = env.FLY_APP || tools.flyTomlApp;
  if (!flyApp) missing('FLY_APP', 'not set and fly.toml names no app: create one with `fly apps create <name>`');
  else ok('FLY_APP', `${flyApp}${env.FLY_APP ? '' : ' (from fly.toml)'}`);

  // --- steps ---
  const set = (name: string) => env[name] !== undefined && env[name] !== '';
  const shipped = envKeys.filter((name) => set(name) && !devOnly.has(name));
  const webEnv: Record<string, string> = Object.fromEntries(shipped.filter((name) => !workerOnly(name)).map((name) => [name, env[name]!]));
  webEnv.DATABASE_POOL_MAX ??= vercelPoolMax;
  const workerEnv: Record<string, string> = Object.fromEntries(shipped.filter((name) => !webOnly(name)).map((name) => [name, env[name]!]));

  const steps: Step[] = [];
  const migrateUrl = directUrl ?? databaseUrl ?? '';
  steps.push({
    id: 'migrate',
    title: `Apply migrations and install the queues (${directUrl ? 'DATABASE_URL_DIRECT' : 'DATABASE_URL'})`,
    command: 'npm',
    args: ['run', 'db:migrate'],
    env: directUrl ? { DATABASE_URL_DIRECT: directUrl } : { DATABASE_URL: migrateUrl },
    display: `${directUrl ? 'DATABASE_URL_DIRECT' : 'DATABASE_URL'}=${(migrateUrl ? redact('DATABASE_URL', migrateUrl) : '<unset>')} npm run db:migrate`,
  });

  const vercel = tools.vercel ? { command: tools.vercel, prefix: [] as string[] } : { command: 'npx', prefix: ['--yes', vercelCliPackage] };
  const vercelArgs = [...vercel.prefix, 'deploy', '--prod', '--yes'];
  const vercelShown = [...vercelArgs];
  if (env.VERCEL_TOKEN) {
    vercelArgs.push('--token', env.VERCEL_TOKEN);
    vercelShown.push('--token', '***');
  }
  for (const [name, value] of Object.entries(webEnv)) {
    vercelArgs.push('--env', `${name}=${value}`);
    vercelShown.push('--env', `${name}=${redact(name, value)}`);
  }
  steps.push({
    id: 'vercel-deploy',
    title: 'Deploy the web app to Vercel (production; Vercel runs `next build`)',
    command: vercel.command,
    args: vercelArgs,
    display: [tools.vercel ? 'vercel' : 'npx', ...vercelShown].map(quote).join(' '),
  });

  const fly = tools.fly ?? 'fly';
  const app = flyApp ?? '<FLY_APP>';
  steps.push({
    id: 'fly-secrets',
    title: "Stage the worker's environment as Fly.io secrets (applied by the deploy below)",
    command: fly,
    args: ['secrets', 'import', '--app', app, '--stage'],
    stdin: Object.entries(workerEnv).map(([name, value]) => `${name}=${value}`).join('\n') + '\n',
    display: `fly secrets import --app ${quote(app)} --stage <<< "${Object.entries(workerEnv).map(([name, value]) => `${name}=${redact(name, value)}`).join(' ')}"`,
  });
  steps.push({
    id: 'fly-deploy',
    title: "Build the worker image on Fly.io's remote builder and deploy it",
    command: fly,
    args: ['deploy', '--app', app, '--config', 'fly.toml', '--remote-only'],
    display: `fly deploy --app ${quote(app)} --config fly.toml --remote-only`,
  });

  return { checks, steps, missing: checks.filter((check) => check.level === 'missing').map((check) => check.name), flyApp };
}
