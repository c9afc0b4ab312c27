import { writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { ensureBuild, signIn, startApp, type RunningApp } from './app';
import { password, startScaleDatabase, type ScaleDatabase } from './database';
import { checkExactness } from './exactness';
import { measure, targets, type Measured } from './measure';
import { markdownTable, printPhases, printResults, printVerdicts, verdicts } from './report';
import { probes, type ProbeContext } from './requests';
import { hostCount, hostName, tenPercentTerm } from './seed';

// `npm run bench:scale`: issue 12's "Prove it". Seeds an account of N jobs (and one of N/10) in a
// throwaway embedded Postgres, serves the checkout's production build with `next start`, and
// measures every row of the issue's "What must hold" table over HTTP. Prints p50/p95 per request,
// a verdict per target and the overall verdict last; exits 1 when a target is missed.

const { values: args } = parseArgs({
  options: {
    jobs: { type: 'string', default: '1000000' },
    samples: { type: 'string', default: '30' },
    keep: { type: 'boolean', default: false },
    'reuse-db': { type: 'string' },
    only: { type: 'string' },
  },
});
const jobs = Number(args.jobs);
const samples = Number(args.samples);
if (!Number.isInteger(jobs) || jobs < 10_000) throw new Error('--jobs must be a whole number of at least 10,000');
if (!Number.isInteger(samples) || samples < 3) throw new Error('--samples must be at least 3');

const overallTimeoutMs = 40 * 60_000;
const log = (message: string) => console.log(`[bench:scale] ${message}`);
const load = () => os.loadavg()[0];
const phases: [string, number][] = [];
async function phase<T>(name: string, run: () => Promise<T> | T): Promise<T> {
  const started = performance.now();
  const result = await run();
  phases.push([name, performance.now() - started]);
  return result;
}

let database: ScaleDatabase | undefined;
let app: RunningApp | undefined;
async function shutdown(): Promise<void> {
  await app?.stop().catch((error) => console.error('[bench:scale] app stop:', error));
  await database?.stop().catch((error) => console.error('[bench:scale] postgres stop:', error));
  app = undefined;
  database = undefined;
}

async function probeContext(db: ScaleDatabase, accountId: string, keys: string[]): Promise<ProbeContext> {
  const { sql } = db;
  const [matching] = await sql<ProbeContext['matching'][]>`
    SELECT count(*)::int AS "all", count(*) FILTER (WHERE status = 'failed')::int AS failed, count(*) FILTER (WHERE status = 'completed')::int AS completed,
      count(*) FILTER (WHERE engine = 'browser' AND url ILIKE ${`%${tenPercentTerm.replace(/\//g, '')}%`})::int AS "tenBrowser"
    FROM jobs WHERE account_id = ${accountId} AND deleted_at IS NULL`;
  const [poll] = await sql<{ id: string; last: number }[]>`
    SELECT j.id, (SELECT max(seq) FROM job_logs l WHERE l.job_id = j.id) AS last FROM jobs j
    WHERE j.account_id = ${accountId} AND j.status = 'completed' AND j.deleted_at IS NULL
      AND EXISTS (SELECT 1 FROM job_results r WHERE r.job_id = j.id) AND EXISTS (SELECT 1 FROM job_logs l WHERE l.job_id = j.id)
    ORDER BY j.created_at DESC LIMIT 1`;
  const [middle] = await sql<{ id: string }[]>`
    SELECT id FROM jobs WHERE account_id = ${accountId} AND deleted_at IS NULL ORDER BY created_at OFFSET ${Math.floor(jobs / 2)} LIMIT 1`;
  const [batch] = await sql<{ id: string }[]>`SELECT id FROM batches WHERE account_id = ${accountId} ORDER BY created_at DESC LIMIT 1`;
  const day = (back: number) => new Date(Date.now() - back * 86_400_000).toISOString().slice(0, 10);
  return {
    keys: { production: keys[0], staging: keys[1], revoked: keys[2] },
    matching,
    rareTerm: hostName(hostCount - 1),
    tenPercentTerm: tenPercentTerm.replace(/\//g, ''),
    idPrefix: middle.id.slice(0, 8),
    batchId: batch.id,
    pollJob: { id: poll.id, lastSeq: poll.last },
    days: { today: day(0), minus6: day(6), minus29: day(29) },
    clearExports: async () => {
      await sql`DELETE FROM export_events WHERE account_id = ${accountId}`;
    },
  };
}

async function main(): Promise<number> {
  const started = performance.now();
  log(`load average at start: ${os.loadavg().map((l) => l.toFixed(2)).join(', ')} (${os.availableParallelism()} CPUs)`);
  phases.push(['next build (0: reused)', ensureBuild(log)]);

  log(`seeding ${jobs.toLocaleString('en-US')} + ${Math.round(jobs / 10).toLocaleString('en-US')} jobs${args['reuse-db'] ? ` (database kept in ${args['reuse-db']})` : ''}`);
  const db = (database = await phase('Postgres, migrations, seed, VACUUM', () => startScaleDatabase({ jobs, reuseDir: args['reuse-db'], log })));
  phases.push(['  of which seeding', db.seedMs], ['  of which VACUUM ANALYZE', db.vacuumMs]);
  const [big] = db.state.accounts;

  const running = (app = await phase('next start', () => startApp({ databaseUrl: db.url })));
  log(`app on ${running.url} (log: ${running.logFile})`);
  const cookie = await phase('dashboard sign-in', () => signIn(running.url, { email: big.email, password }));
  const headers = { key: { Authorization: `Bearer ${big.keys[0].secret}` }, session: { Cookie: cookie } };

  const context = await probeContext(db, big.id, big.keys.map((k) => k.id));
  const [{ rare, ten }] = await db.sql<{ rare: number; ten: number }[]>`
    SELECT count(*) FILTER (WHERE url ILIKE ${`%${context.rareTerm}%`})::int AS rare, count(*) FILTER (WHERE url ILIKE ${`%${context.tenPercentTerm}%`})::int AS ten
    FROM jobs WHERE account_id = ${big.id} AND deleted_at IS NULL`;
  log(`search terms: "${context.rareTerm}" matches ${rare} jobs, "${context.tenPercentTerm}" ${ten} (${((100 * ten) / jobs).toFixed(1)} %), id prefix "${context.idPrefix}"`);

  const selected = probes(context).filter((p) => !args.only || p.target === args.only || p.name.includes(args.only));
  const options = { samples, warmupMs: 1000, budgetMs: 2000, hardCapMs: 90_000 };
  log(`measuring ${selected.length} requests: ${samples} samples each after a warm-up (up to 3 requests or 1 s), one at a time`);
  const results: (Measured & { load: number })[] = [];
  await phase('measurements', async () => {
    for (const probe of selected) {
      const target = targets.find((t) => t.id === probe.target)!;
      const result = await measure(probe, { baseUrl: running.url, headers, target, options });
      results.push({ ...result, load: load() });
      log(`${probe.target} ${probe.name}: n=${result.summary.n} p50 ${result.summary.p50.toFixed(1)} ms, p95 ${result.summary.p95.toFixed(1)} ms${result.error ? ` ERROR ${result.error.slice(0, 200)}` : ''}`);
    }
  });

  const today = context.days.today;
  const exact = await phase('exactness checks', () =>
    checkExactness({
      sql: db.sql,
      baseUrl: running.url,
      headers: headers.key,
      accountId: big.id,
      today,
      listCases: [{}, { status: 'failed', engine: 'browser', tag: 'prices' }, { key: context.keys.revoked }, { from: context.days.minus6, to: today }, { q: context.tenPercentTerm }, { q: context.rareTerm, status: 'completed' }],
      countCases: [{}, { status: 'failed', engine: 'http', from: context.days.minus29, to: today }, { q: context.rareTerm, priority: 'high' }],
    }),
  );

  printResults(results);
  const list = verdicts(results);
  printVerdicts(list);
  console.log('');
  console.log(`Exactness: ${exact.compared} figures compared with count(*), ${exact.problems.length} wrong${exact.problems.length ? ':' : ''}`);
  for (const problem of exact.problems.slice(0, 20)) console.log(`  ${problem}`);
  phases.push(['total', performance.now() - started]);
  printPhases(phases);
  const tableFile = path.join(os.tmpdir(), 'scrapifie-bench-scale-results.md');
  writeFileSync(tableFile, `${markdownTable(results)}\n`);
  console.log(`\nLoad average at the end: ${os.loadavg().map((l) => l.toFixed(2)).join(', ')}. Markdown table: ${tableFile}`);

  if (args.keep) {
    console.log(`\nKept running (Ctrl-C stops everything): ${running.url}/dashboard/jobs`);
    console.log(`  dashboard login: ${big.email} / ${password}`);
    console.log(`  API key (Production): ${big.keys[0].secret}`);
    console.log(`  database: ${db.url}`);
  }
  const measured = list.filter((v) => v.measured);
  const missed = measured.filter((v) => !v.met).map((v) => v.target.id);
  const exactOk = exact.problems.length === 0;
  const partial = measured.length < list.length ? ` (partial run: ${measured.length} of ${list.length} targets measured)` : '';
  const verdict = missed.length === 0 && exactOk
    ? `PASS: ${measured.length === list.length ? 'all ' : ''}${measured.length} targets met, every compared figure exact${partial}`
    : `FAIL: ${missed.length ? `missed ${missed.join(', ')}` : 'all targets met'}${exactOk ? '' : `; ${exact.problems.length} figures not exact`}${partial}`;
  console.log(`bench:scale ${verdict}`);
  if (args.keep) {
    clearTimeout(deadline);
    await new Promise<void>((resolve) => process.once('SIGINT', () => resolve()));
  }
  return missed.length === 0 && exactOk ? 0 : 1;
}

const deadline = setTimeout(() => {
  console.error(`[bench:scale] still running after ${overallTimeoutMs / 60_000} minutes; stopping`);
  void shutdown().finally(() => process.exit(2));
}, overallTimeoutMs);
deadline.unref();

main()
  .catch((error) => {
    console.error('[bench:scale] failed', error);
    return 2;
  })
  .then(async (code) => {
    clearTimeout(deadline);
    await shutdown();
    process.exit(code);
  });
