import { spawn, spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseToml } from 'smol-toml';
import { planDeploy, type DeployPlan, type Step, type Tools } from './deploy-plan';

// `npm run deploy`: checks the environment, applies migrations to the production database,
// deploys the web app to Vercel and the worker to Fly.io, and prints both URLs.
// `npm run deploy -- --dry-run` prints the checks and every command (secrets redacted) and runs
// none of them. Deploy-time variables (VERCEL_TOKEN, FLY_API_TOKEN, FLY_APP) belong to the
// operator's shell, not to the app, so they are read here rather than in lib/env.ts.

const usage = `Usage: npm run deploy [-- --dry-run]

Reads the deploying shell's environment:
  DATABASE_URL          required; the pooled connection string for the web app
  DATABASE_URL_DIRECT   a direct/session connection (migrations, the worker, LISTEN)
  AUTH_SECRET           required; 32+ random characters
  VERCEL_TOKEN          or a logged-in vercel CLI
  FLY_API_TOKEN         or a logged-in flyctl
  FLY_APP               the Fly.io app of the worker (default: app in fly.toml)
Every other variable of .env.example that is set is forwarded to the web app, the worker, or both.`;

function onPath(...names: string[]): string | null {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter).filter(Boolean)) {
    for (const name of names) {
      const candidate = path.join(dir, name);
      try {
        accessSync(candidate, constants.X_OK);
        return candidate;
      } catch {
        // not here
      }
    }
  }
  return null;
}

function detectTools(): Tools {
  let flyTomlApp: string | null = null;
  if (existsSync('fly.toml')) {
    const app = (parseToml(readFileSync('fly.toml', 'utf8')) as { app?: unknown }).app;
    flyTomlApp = typeof app === 'string' && app ? app : null;
  }
  return { vercel: onPath('vercel'), fly: onPath('fly', 'flyctl'), vercelLinked: existsSync('.vercel/project.json'), flyTomlApp };
}

const marks = { ok: '✓', warning: '!', missing: '✗' } as const;

function printPlan(plan: DeployPlan, dryRun: boolean) {
  console.log(`Scrapifie deploy${dryRun ? ' (dry run: nothing is executed)' : ''}\n`);
  console.log('Checks');
  const width = Math.max(...plan.checks.map((check) => check.name.length));
  for (const check of plan.checks) console.log(`  ${marks[check.level]} ${check.name.padEnd(width)}  ${check.message}`);
  console.log('\nSteps');
  plan.steps.forEach((step, index) => console.log(`  ${index + 1}. ${step.title}\n     $ ${step.display}`));
  console.log(`  ${plan.steps.length + 1}. Check the web app's GET /api/health and print the web and worker URLs\n`);
}

/** Runs a step; resolves with its stdout (also echoed) when it exits 0. */
function run(step: Step): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(step.command, step.args, {
      env: { ...process.env, ...step.env },
      stdio: [step.stdin === undefined ? 'inherit' : 'pipe', 'pipe', 'inherit'],
    });
    let stdout = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      stdout += chunk;
      process.stdout.write(chunk);
    });
    if (step.stdin !== undefined) child.stdin!.end(step.stdin);
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve(stdout) : reject(new Error(`${step.display.split(' ')[0]} exited with ${code}`))));
  });
}

/** A logged-in CLI stands in for a token; asked only on a real run. */
function loggedIn(command: string, args: string[]): boolean {
  return spawnSync(command, args, { stdio: 'ignore', timeout: 60_000 }).status === 0;
}

async function main() {
  const args = process.argv.slice(2);
  if (args.includes('--help') || args.includes('-h')) {
    console.log(usage);
    return;
  }
  const unknown = args.filter((arg) => arg !== '--dry-run');
  if (unknown.length) {
    console.error(`Unknown option ${unknown[0]}\n\n${usage}`);
    process.exit(2);
  }
  const dryRun = args.includes('--dry-run');

  const tools = detectTools();
  const plan = planDeploy(process.env, tools);
  printPlan(plan, dryRun);

  if (dryRun) {
    console.log(plan.missing.length ? `Missing for a real deploy: ${plan.missing.join(', ')}` : 'Ready to deploy: run `npm run deploy`.');
    return;
  }
  if (plan.missing.length) {
    console.error(`Not deploying: missing ${plan.missing.join(', ')} (see the checks above).`);
    process.exit(1);
  }
  const vercelStep = plan.steps.find((step) => step.id === 'vercel-deploy')!;
  if (!process.env.VERCEL_TOKEN && !loggedIn(vercelStep.command, [...vercelStep.args.slice(0, vercelStep.args.indexOf('deploy')), 'whoami'])) {
    console.error('Not deploying: VERCEL_TOKEN is not set and the vercel CLI is not logged in (`vercel login`).');
    process.exit(1);
  }
  if (!process.env.FLY_API_TOKEN && !loggedIn(tools.fly!, ['auth', 'whoami'])) {
    console.error('Not deploying: FLY_API_TOKEN is not set and flyctl is not logged in (`fly auth login`).');
    process.exit(1);
  }

  let webUrl: string | undefined;
  for (const [index, step] of plan.steps.entries()) {
    console.log(`\n[deploy] ${index + 1}/${plan.steps.length} ${step.title}`);
    const stdout = await run(step);
    // `vercel deploy` prints the deployment URL, alone, on stdout (progress goes to stderr).
    if (step.id === 'vercel-deploy') webUrl = stdout.match(/https?:\/\/\S+/g)?.at(-1);
  }

  let health = 'not checked (no URL in the vercel output)';
  if (webUrl) {
    try {
      const response = await fetch(new URL('/api/health', webUrl), { signal: AbortSignal.timeout(20_000) });
      health = `${response.status} ${((await response.json()) as { status?: string }).status ?? ''}`.trim();
    } catch (error) {
      health = `no answer (${error instanceof Error ? error.message : String(error)})`;
    }
  }
  console.log(`\nDeployed.
  Web:    ${webUrl ?? '(see the vercel output above)'}   GET /api/health: ${health}
  Worker: https://fly.io/apps/${plan.flyApp}/monitoring   (checks: fly checks list --app ${plan.flyApp})`);
}

main().catch((error) => {
  console.error(`[deploy] failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
