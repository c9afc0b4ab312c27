import { parseArgs } from 'node:util';
import { eq, sql } from 'drizzle-orm';
import { accounts, crawls } from '@/db/schema';
import { getEnv } from '@/lib/env';
import { createBatchBodySchema } from '@/lib/schemas/batches';
import { createCrawlBodySchema, maxCrawlPages, maxHostConcurrency } from '@/lib/schemas/crawls';
import { createBatch } from '@/lib/server/batches/create';
import { createCrawl } from '@/lib/server/crawls/create';
import { tallyCrawl } from '@/lib/server/crawls/read';
import type { CrawlJson } from '@/lib/server/crawls/serialize';
import { largeCrawlSite } from '@/tests/fixtures/crawl-site';
import { startWorker, type RunningWorker, type WorkerOptions } from '@/workers/worker';
import { startBenchEnvironment, type BenchEnvironment } from './environment';
import { cpuPerJob } from './report';
import { printStatements, statementSettings } from './statements';
import { throughputPhase, type ThroughputResult } from './throughput';
import { runBench } from './entry';

// `npm run bench:crawl`: pages/s of a crawl with the HTTP engine as a ratio of a plain batch's
// jobs/s, in one run, on the same environment and workers, over the same pages of the fixture's
// large site (tests/fixtures/crawl-site.ts, /site/large/<n>/). The batch and the crawl are created
// with createBatch and createCrawl, what POST /api/v1/batches and /crawls call after parsing.

const usage = `Usage: npm run bench:crawl -- [--pages N] [--workers N] [--host-concurrency N] [--statements]
  --pages N             pages of the site, batch jobs and the crawl's maxPages (default 2000)
  --workers N           workers started in this process, each with the HTTP concurrency of lib/env.ts (default 1)
  --host-concurrency N  the crawl's concurrencyPerHost, 1 to ${maxHostConcurrency} (default ${maxHostConcurrency}, the most the API allows)
  --statements          load pg_stat_statements and print each phase's top statements (slows Postgres a little)`;

const warmupJobs = 200;
const overallTimeoutMs = 290_000;

const log = (message: string) => console.log(`[bench:crawl] ${message}`);

function options() {
  const { values } = parseArgs({
    options: { pages: { type: 'string', default: '2000' }, workers: { type: 'string', default: '1' }, 'host-concurrency': { type: 'string', default: String(maxHostConcurrency) },
      statements: { type: 'boolean', default: false },
      help: { type: 'boolean' },
    },
  });
  if (values.help) return null;
  const int = (name: string, value: string, min: number, max: number) => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min || n > max) throw new Error(`--${name} must be a whole number from ${min} to ${max}, not ${value}\n${usage}`);
    return n;
  };
  return {
    pages: int('pages', values.pages, 2, maxCrawlPages),
    workers: int('workers', values.workers, 1, 8),
    hostConcurrency: int('host-concurrency', values['host-concurrency'], 1, maxHostConcurrency),
    statements: values.statements,
  };
}

let env: BenchEnvironment | undefined;
const workers: RunningWorker[] = [];

async function shutdown(): Promise<void> {
  await Promise.all(workers.splice(0).map((w) => w.stop().catch((error) => console.error('[bench:crawl] worker stop:', error))));
  const current = env;
  env = undefined;
  await current?.close();
}

const actorFor = (bench: BenchEnvironment, apiKey: { id: string }) => ({ type: 'api_key' as const, accountId: bench.account.id, apiKeyId: apiKey.id });

async function batchOf(bench: BenchEnvironment, { apiKey, urls }: { apiKey: { id: string; kind: 'live' }; urls: string[] }) {
  const body = createBatchBodySchema.parse({ urls, engine: 'http' });
  return createBatch(bench.db, { account: bench.account, apiKey, actor: actorFor(bench, apiKey), body });
}

/** Waits (after its last page ended) for the crawl row to say completed; the crawl's reply as the API shows it. */
async function settledCrawl(bench: BenchEnvironment, id: string): Promise<CrawlJson> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const [crawl] = await bench.db.select().from(crawls).where(eq(crawls.id, id));
    if (crawl.completedAt || crawl.cancelledAt || Date.now() > deadline) return tallyCrawl(bench.db, crawl);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** The crawl fetched each page of the site exactly once, nothing else, and skipped or failed nothing. */
async function crawlChecks(bench: BenchEnvironment, { crawl, paths }: { crawl: CrawlJson; paths: string[] }) {
  const rows = await bench.db.execute<{ url: string; n: number }>(sql`SELECT url, count(*)::int AS n FROM jobs WHERE crawl_id = ${crawl.id} GROUP BY url`);
  const fetched = new Map(rows.map((row) => [new URL(row.url).pathname, row.n]));
  const expected = new Set(paths);
  const problems = [
    crawl.status !== 'completed' && `status ${crawl.status}${crawl.stopReason ? ` (${crawl.stopReason})` : ''}`,
    crawl.progress.pages !== paths.length && `${crawl.progress.pages} page jobs, not ${paths.length}`,
    crawl.progress.done !== paths.length && `${crawl.progress.done} pages done`,
    crawl.progress.failed > 0 && `${crawl.progress.failed} pages failed`,
    crawl.progress.skipped > 0 && `${crawl.progress.skipped} URLs skipped (${JSON.stringify(crawl.skipReasons)})`,
    [...fetched.values()].some((n) => n > 1) && `${[...fetched.values()].filter((n) => n > 1).length} URLs with more than one job`,
    paths.some((p) => !fetched.has(p)) && `${paths.filter((p) => !fetched.has(p)).length} pages of the site not fetched`,
    [...fetched.keys()].some((p) => !expected.has(p)) && `${[...fetched.keys()].filter((p) => !expected.has(p)).length} URLs fetched that are not pages of the site`,
    crawl.creditsCharged !== paths.length && `${crawl.creditsCharged} credits charged`,
    crawl.creditsReserved !== 0 && `${crawl.creditsReserved} credits still reserved`,
  ].filter((p): p is string => typeof p === 'string');
  return problems;
}

function line(label: string, t: ThroughputResult) {
  const cost = cpuPerJob(t);
  const v = t.verification;
  return (
    `  ${label.padEnd(6)} ${String(t.jobs).padStart(5)} pages in ${(t.elapsedMs / 1000).toFixed(2).padStart(6)} s = ${t.jobsPerSecond.toFixed(0).padStart(4)} pages/s` +
    `  (submit ${(t.submitMs / 1000).toFixed(2)} s; in flight mean ${t.inFlight.mean.toFixed(1)}, max ${t.inFlight.max})` +
    `  CPU/page node ${cost.node.toFixed(2)} + pg ${cost.postgres.toFixed(2)} ms, loop ${Math.round(t.cpu.eventLoop * 100)}%, machine ${Math.round(t.cpu.machineBusy * 100)}%, load ${t.load.toFixed(1)}` +
    `\n         checks: ${v.completed}/${v.jobs} completed, ${v.withResult} results, ${v.withCompletedLog} completion logs, ${v.chargeRows} charges, ${v.rerun} rerun` +
    (v.failures.length ? `; not completed: ${v.failures.map((f) => `${f.n} ${f.status}${f.errorType ? ` ${f.errorType}` : ''}`).join(', ')}` : '') +
    (t.ok ? '' : '  VERIFICATION FAILED')
  );
}

async function main(): Promise<number> {
  const opts = options();
  if (!opts) {
    console.log(usage);
    return 0;
  }
  process.env.LOG_LEVEL ??= 'warn';
  log(`starting embedded Postgres, the fixture server and ${opts.workers} worker(s)`);
  const bench = (env = await startBenchEnvironment({ settings: opts.statements ? statementSettings : undefined }));
  if (opts.statements) await bench.db.execute(sql`CREATE EXTENSION pg_stat_statements`);
  const resetStatements = async () => {
    if (opts.statements) await bench.db.execute(sql`SELECT pg_stat_statements_reset(), pg_stat_reset()`);
  };
  const showStatements = async (phase: string) => {
    if (!opts.statements) return;
    console.log(`\n[bench:crawl] ${phase}: statements by time per page`);
    await printStatements(bench, opts.pages, { width: 160 });
  };
  const workerOptions: WorkerOptions = { ...getEnv(), databaseUrl: bench.databaseUrl, EGRESS_ALLOWLIST: '127.0.0.1/32', log: () => {} };
  for (let i = 0; i < opts.workers; i++) workers.push(await startWorker(workerOptions));
  const site = largeCrawlSite(opts.pages);
  const urls = site.paths.map((p) => `${bench.fixture.url}${p}`);
  const phaseTimeoutMs = Math.max(60_000, opts.pages * 50);

  // Warm-up, not timed: the first jobs of a process pay for JIT compilation and new connections.
  log(`warm-up: a batch of ${warmupJobs} pages`);
  const warmupKey = await bench.newKey('bench crawl warm-up');
  await throughputPhase(bench, {
    name: 'warm-up',
    apiKey: warmupKey,
    jobs: warmupJobs,
    timeoutMs: phaseTimeoutMs,
    run: async () => {
      const startedAtMs = Date.now();
      await batchOf(bench, { apiKey: warmupKey, urls: urls.slice(0, warmupJobs) });
      return { startedAtMs, submitMs: Date.now() - startedAtMs };
    },
  });

  log(`batch: ${opts.pages} HTTP jobs, one per page of the site`);
  const batchKey = await bench.newKey('bench crawl batch');
  await resetStatements();
  const batch = await throughputPhase(bench, {
    name: 'batch',
    apiKey: batchKey,
    jobs: opts.pages,
    timeoutMs: phaseTimeoutMs,
    run: async () => {
      const startedAtMs = Date.now();
      await batchOf(bench, { apiKey: batchKey, urls });
      return { startedAtMs, submitMs: Date.now() - startedAtMs };
    },
  });

  log(`crawl: maxPages ${opts.pages}, HTTP engine, robots.txt honoured, no politeness delay, concurrencyPerHost ${opts.hostConcurrency}`);
  await showStatements('batch');
  const crawlKey = await bench.newKey('bench crawl crawl');
  await resetStatements();
  let crawlId = '';
  const crawled = await throughputPhase(bench, {
    name: 'crawl',
    apiKey: crawlKey,
    jobs: opts.pages,
    timeoutMs: phaseTimeoutMs,
    run: async () => {
      const startedAtMs = Date.now();
      const body = createCrawlBodySchema.parse({
        url: `${bench.fixture.url}${site.start}`,
        engine: 'http',
        maxPages: opts.pages,
        robots: true,
        delayMs: 0,
        concurrencyPerHost: opts.hostConcurrency,
      });
      const crawl = await createCrawl(bench.db, { account: bench.account, apiKey: crawlKey, actor: actorFor(bench, crawlKey), body });
      crawlId = crawl.id;
      return { startedAtMs, submitMs: Date.now() - startedAtMs };
    },
    // A crawl that ends short of the site (stopped, or its last page found nothing more) ends the wait.
    stop: async () => {
      const [row] = await bench.db.select({ completedAt: crawls.completedAt, cancelledAt: crawls.cancelledAt }).from(crawls).where(eq(crawls.id, crawlId));
      return Boolean(row?.completedAt ?? row?.cancelledAt);
    },
  });
  const crawl = await settledCrawl(bench, crawlId);
  await showStatements('crawl');
  const problems = await crawlChecks(bench, { crawl, paths: site.paths });
  await Promise.all(workers.splice(0).map((w) => w.stop()));

  const [account] = await bench.db.select().from(accounts).where(eq(accounts.id, bench.account.id));
  const charged = warmupJobs + 2 * opts.pages;
  const creditsOk = account.reservedCredits === 0 && account.credits === 1_000_000 - charged;
  if (!creditsOk) problems.push(`account has ${account.credits} credits and ${account.reservedCredits} reserved, expected ${1_000_000 - charged} and 0`);

  const machine = await bench.machine();
  const ratio = crawled.jobsPerSecond / batch.jobsPerSecond;
  const slots = workerOptions.WORKER_CONCURRENCY_HTTP * opts.workers;
  console.log(
    `\nMachine: ${machine.cpus} CPUs (${machine.cpuModel}), load average before the run ${machine.loadAtStart.toFixed(1)}.` +
      ` ${opts.workers} worker(s) x HTTP concurrency ${workerOptions.WORKER_CONCURRENCY_HTTP} = ${slots} slots; crawl concurrencyPerHost ${opts.hostConcurrency}.`,
  );
  console.log(`Site: ${opts.pages} pages under ${site.start}\n`);
  console.log(line('batch', batch));
  console.log(line('crawl', crawled));
  console.log(
    `\n  crawl / batch = ${ratio.toFixed(2)}` +
      `  (batch from its commit to the last finish: ${(batch.jobs / ((batch.elapsedMs - batch.submitMs) / 1000)).toFixed(0)} pages/s, ratio ${(ratio * ((batch.elapsedMs - batch.submitMs) / batch.elapsedMs)).toFixed(2)})`,
  );
  console.log(`  crawl checks: ${problems.length === 0 ? `every page of the site fetched exactly once, nothing skipped or failed, ${crawl.creditsCharged} credits charged, none left reserved` : problems.join('; ')}`);
  return batch.ok && crawled.ok && problems.length === 0 ? 0 : 1;
}

runBench('bench:crawl', { main, shutdown, timeoutMs: overallTimeoutMs, describe: (error) => (error instanceof Error && error.message.includes('Usage:') ? error.message : error) });
