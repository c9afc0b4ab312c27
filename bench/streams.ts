import { setTimeout as sleep } from 'node:timers/promises';
import { sql } from 'drizzle-orm';
import * as batchStreamRoute from '@/app/api/v1/batches/[id]/stream/route';
import * as jobStreamRoute from '@/app/api/v1/jobs/[id]/stream/route';
import * as accountStreamRoute from '@/app/api/v1/jobs/stream/route';
import * as jobsRoute from '@/app/api/v1/jobs/route';
import * as jobRoute from '@/app/api/v1/jobs/[id]/route';
import * as logsRoute from '@/app/api/v1/jobs/[id]/logs/route';
import * as batchesRoute from '@/app/api/v1/batches/route';
import { appendLogs } from '@/db/queries/logs';
import { resetEnvCache } from '@/lib/env';
import { createApiKey } from '@/lib/server/accounts';
import { closeNotifications } from '@/lib/server/streams/notifications';
import { startBenchEnvironment } from './environment';

// `npm run bench:streams`: what open live streams cost the server while nothing happens. Opens
// STREAMS (200) concurrent streams on the real route handlers (70% job streams on queued jobs,
// 15% batch streams, 15% account streams), waits until each has its first event, then stays
// idle for IDLE_SECONDS (45) and reports: heap and RSS per stream, the Postgres statements and
// transactions per second meanwhile (pg_stat_statements and pg_stat_database, the bench's own
// reads subtracted), the heartbeats received, and for comparison what the same clients would
// cost polling GET /api/v1/jobs/{id} and its logs every 5 s (the dashboard's detail interval).
// Then one log entry is appended to one job, to show it reaches its stream and what it costs.
// No worker runs, so the jobs stay queued. Prints only; BENCHMARKS.md is written by hand.

const streams = Number(process.env.STREAMS ?? 200);
const idleSeconds = Number(process.env.IDLE_SECONDS ?? 45);

type Handler = (req: Request, ctx: { params: Promise<Record<string, string>> }) => Promise<Response>;
type Open = { events: number; pings: number; lastEvent: string; first: Promise<void>; close(): void };

const gc = () => (globalThis as { gc?: () => void }).gc?.();

async function memory() {
  for (let i = 0; i < 3; i++) {
    gc();
    await sleep(50);
  }
  const { heapUsed, rss } = process.memoryUsage();
  return { heapUsed, rss };
}

function open(handler: Handler, path: string, key: string, params: Record<string, string> = {}): Promise<Open> {
  const controller = new AbortController();
  const req = new Request(new URL(path, 'http://localhost:3000'), { headers: { authorization: `Bearer ${key}` }, signal: controller.signal });
  return handler(req, { params: Promise.resolve(params) }).then((res) => {
    if (res.status !== 200) throw new Error(`${path}: ${res.status}`);
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    let firstSeen!: () => void;
    const state: Open = {
      events: 0,
      pings: 0,
      lastEvent: '',
      first: new Promise<void>((resolve) => (firstSeen = resolve)),
      close: () => {
        void reader.cancel().catch(() => {});
        controller.abort();
      },
    };
    // Account streams send nothing until something changes: open is enough.
    if (path.startsWith('/api/v1/jobs/stream')) firstSeen();
    void (async () => {
      let buffer = '';
      for (;;) {
        const { value, done } = await reader.read().catch(() => ({ value: undefined, done: true }));
        if (done) return;
        buffer += decoder.decode(value, { stream: true });
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          if (block.startsWith(': ping')) state.pings += 1;
          const event = /^event: (.+)$/m.exec(block)?.[1];
          if (event) {
            state.events += 1;
            state.lastEvent = event;
            firstSeen();
          }
        }
      }
    })();
    return state;
  });
}

async function call(handler: Handler, path: string, key: string, init: { method?: string; body?: unknown; params?: Record<string, string> } = {}) {
  const res = await handler(
    new Request(new URL(path, 'http://localhost:3000'), {
      method: init.method ?? 'GET',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    }),
    { params: Promise.resolve(init.params ?? {}) },
  );
  return res.json();
}

async function main() {
  process.env.LOG_LEVEL ??= 'warn';
  const bench = await startBenchEnvironment({ settings: ['shared_preload_libraries=pg_stat_statements'] });
  try {
    await bench.db.execute(sql`CREATE EXTENSION pg_stat_statements`);
    process.env.MAX_QUEUE_WAIT_SECONDS = '3600';
    process.env.STREAM_MAX_SECONDS = String(idleSeconds + 120);
    resetEnvCache();
    const { secret } = await createApiKey(bench.db, { accountId: bench.account.id, name: 'streams', kind: 'live' });
    const jobCount = Math.round(streams * 0.7);
    const batchCount = Math.round(streams * 0.15);
    const accountCount = streams - jobCount - batchCount;

    const jobIds: string[] = [];
    for (let i = 0; i < jobCount; i++) jobIds.push((await call(jobsRoute.POST as Handler, '/api/v1/jobs', secret, { method: 'POST', body: { url: `${bench.fixture.url}/page?i=${i}` } })).id);
    const batchIds: string[] = [];
    for (let i = 0; i < batchCount; i++) {
      batchIds.push((await call(batchesRoute.POST as Handler, '/api/v1/batches', secret, { method: 'POST', body: { urls: [`${bench.fixture.url}/page?b=${i}`] } })).id);
    }

    // Idle with no stream open, for comparison: what Postgres does by itself (autovacuum, the
    // statistics collector's own transactions) is not the streams' doing.
    const xacts = async () => Number((await bench.db.execute<{ n: string }>(sql`SELECT xact_commit + xact_rollback AS n FROM pg_stat_database WHERE datname = current_database()`))[0].n);
    const controlSeconds = Math.max(10, Math.round(idleSeconds / 3));
    await sleep(1500);
    const controlStart = await xacts();
    await sleep(controlSeconds * 1000);
    await sleep(1500);
    const controlXacts = Math.max(0, (await xacts()) - controlStart - 1);

    // Warm up (modules, the LISTEN connection, prepared statements), then the baseline.
    const warm = await open(jobStreamRoute.GET as Handler, `/api/v1/jobs/${jobIds[0]}/stream`, secret, { id: jobIds[0] });
    await warm.first;
    warm.close();
    await sleep(200);
    const before = await memory();

    const started = performance.now();
    const opened = await Promise.all([
      ...jobIds.map((id) => open(jobStreamRoute.GET as Handler, `/api/v1/jobs/${id}/stream`, secret, { id })),
      ...batchIds.map((id) => open(batchStreamRoute.GET as Handler, `/api/v1/batches/${id}/stream`, secret, { id })),
      ...Array.from({ length: accountCount }, (_, i) => open(accountStreamRoute.GET as Handler, `/api/v1/jobs/stream${i % 2 ? '?status=completed' : ''}`, secret)),
    ]);
    await Promise.all(opened.map((stream) => stream.first));
    const openMs = performance.now() - started;
    await sleep(1000);
    const after = await memory();

    // Idle: every statement and transaction from here on, minus the bench's own two reads.
    await bench.db.execute(sql`SELECT pg_stat_statements_reset()`);
    await sleep(1500); // pg_stat_database lags by up to a second
    const autovacuums = async () =>
      Number((await bench.db.execute<{ n: string }>(sql`SELECT coalesce(sum(autovacuum_count + autoanalyze_count), 0) AS n FROM pg_stat_all_tables`))[0].n);
    const autoStart = await autovacuums();
    const xactStart = await xacts();
    const idleStart = performance.now();
    await sleep(idleSeconds * 1000);
    const elapsed = (performance.now() - idleStart) / 1000;
    await sleep(1500);
    const xactEnd = await xacts();
    const autoRuns = (await autovacuums()) - autoStart;
    const statements = await bench.db.execute<{ calls: string; query: string }>(sql`
      SELECT calls::bigint AS calls, query FROM pg_stat_statements
      WHERE query NOT LIKE '%pg_stat_statements%' AND query NOT LIKE '%pg_stat_database%' AND query NOT LIKE '%pg_stat_all_tables%' ORDER BY calls DESC`);
    const idleCalls = statements.reduce((sum, row) => sum + Number(row.calls), 0);
    // The bench's own: one xact read at the start (counted in the end read), none other.
    const idleXacts = Math.max(0, xactEnd - xactStart - 2);
    const pings = opened.reduce((sum, stream) => sum + stream.pings, 0);

    // One change: a log entry on one job reaches its stream, at the cost of the reads it triggers.
    await bench.db.execute(sql`SELECT pg_stat_statements_reset()`);
    const target = opened[0];
    const eventsBefore = target.events;
    await appendLogs(bench.db, jobIds[0], [{ timestamp: new Date(), level: 'INFO', message: 'bench: one more line' }]);
    const deadline = Date.now() + 10_000;
    while (target.events === eventsBefore && Date.now() < deadline) await sleep(10);
    await sleep(500);
    const changeCalls = (await bench.db.execute<{ calls: string }>(sql`SELECT coalesce(sum(calls), 0)::bigint AS calls FROM pg_stat_statements WHERE query NOT LIKE '%pg_stat_statements%'`))[0].calls;

    // What polling would cost instead: one detail poll (the job and its new logs) of one job.
    await bench.db.execute(sql`SELECT pg_stat_statements_reset()`);
    await call(jobRoute.GET as Handler, `/api/v1/jobs/${jobIds[1]}`, secret, { params: { id: jobIds[1] } });
    await call(logsRoute.GET as Handler, `/api/v1/jobs/${jobIds[1]}/logs?after=2`, secret, { params: { id: jobIds[1] } });
    const pollCalls = Number((await bench.db.execute<{ calls: string }>(sql`SELECT coalesce(sum(calls), 0)::bigint AS calls FROM pg_stat_statements WHERE query NOT LIKE '%pg_stat_statements%'`))[0].calls);

    opened.forEach((stream) => stream.close());
    const machine = await bench.machine();
    const mb = (bytes: number) => (bytes / 2 ** 20).toFixed(1);
    const kb = (bytes: number) => (bytes / 1024).toFixed(1);
    console.log(`\nLive streams, idle (${machine.cpus} CPUs, ${machine.cpuModel}, ${machine.node}, ${machine.postgres}, load ${machine.loadAtStart.toFixed(2)} at start)`);
    console.log(`  streams open:            ${opened.length} (${jobCount} job, ${batchCount} batch, ${accountCount} account), opened in ${(openMs / 1000).toFixed(2)} s`);
    console.log(`  memory:                  heap ${mb(before.heapUsed)} -> ${mb(after.heapUsed)} MB, RSS ${mb(before.rss)} -> ${mb(after.rss)} MB`);
    console.log(`  per stream:              heap ${kb((after.heapUsed - before.heapUsed) / opened.length)} KB, RSS ${kb((after.rss - before.rss) / opened.length)} KB${(globalThis as { gc?: unknown }).gc ? '' : ' (no --expose-gc: rough)'}`);
    console.log(`  idle ${elapsed.toFixed(0)} s:                ${idleCalls} statements (${(idleCalls / elapsed).toFixed(2)}/s), ${idleXacts} transactions (${(idleXacts / elapsed).toFixed(2)}/s); autovacuum/autoanalyze runs meanwhile: ${autoRuns}`);
    console.log(`  no stream open, ${controlSeconds} s:    ${controlXacts} transactions (${(controlXacts / controlSeconds).toFixed(2)}/s): Postgres's own background work`);
    for (const row of statements.slice(0, 5)) console.log(`      ${row.calls.toString().padStart(6)}  ${row.query.replace(/\s+/g, ' ').slice(0, 100)}`);
    console.log(`  heartbeats received:     ${pings} (${(pings / opened.length).toFixed(1)} per stream in ${elapsed.toFixed(0)} s, one every 15 s)`);
    console.log(`  one log entry appended:  reached its stream (${target.events - eventsBefore} event), ${changeCalls} statements in all (its append included)`);
    console.log(`  polling instead:         ${pollCalls} statements per detail poll; ${opened.length} clients every 5 s = ${((pollCalls * opened.length) / 5).toFixed(0)} statements/s`);
  } finally {
    await closeNotifications();
    await bench.close();
  }
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
