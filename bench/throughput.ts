import { readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { sql } from 'drizzle-orm';
import { createJobBodySchema } from '@/lib/schemas/jobs';
import { submitJob } from '@/lib/server/jobs/submit';
import type { BenchEnvironment } from './environment';

// End-to-end throughput: jobs submitted through submitJob (the API's own path), run by the real
// worker against the fixture server, counted done when their terminal state is committed.

type ApiKeyRef = { id: string; kind: 'live' };

/** Submits `count` jobs from `concurrency` closed-loop submitters; returns when all are committed. */
export async function submitMany(
  env: BenchEnvironment,
  { apiKey, count, concurrency, label }: { apiKey: ApiKeyRef; count: number; concurrency: number; label: string },
) {
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) {
        const i = next++;
        const body = createJobBodySchema.parse({ url: `${env.fixture.url}/page?${label}=${i}`, engine: 'http' });
        await submitJob(env.db, { account: env.account, apiKey, body });
      }
    }),
  );
  return { elapsedMs: performance.now() - started };
}

type Progress = { completed: number; ended: number; processing: number; lastFinishedMs: number | null };

async function progress(env: BenchEnvironment, apiKeyId: string): Promise<Progress> {
  const [row] = await env.db.execute<{ completed: number; ended: number; processing: number; last: string | null }>(sql`
    SELECT count(*) FILTER (WHERE status = 'completed')::int AS completed,
           count(*) FILTER (WHERE status IN ('completed', 'failed', 'cancelled', 'expired'))::int AS ended,
           count(*) FILTER (WHERE status = 'processing')::int AS processing,
           extract(epoch FROM max(finished_at)) * 1000 AS last
    FROM jobs WHERE api_key_id = ${apiKeyId}`);
  return { completed: row.completed, ended: row.ended, processing: row.processing, lastFinishedMs: row.last === null ? null : Number(row.last) };
}

/** Jobs seen `processing` at the 100 ms samples taken while a phase ran: how much of the worker's concurrency it used. */
export type InFlight = { mean: number; max: number };

/**
 * Polls every 100 ms until `count` jobs of the key have ended, `stop` says no more will come, or
 * the timeout passes. The end time is the last job's finished_at (Postgres wall clock, the same
 * system clock as Date.now()), so the polling interval does not round the figure.
 */
export async function waitForJobs(
  env: BenchEnvironment,
  { apiKeyId, count, timeoutMs, stop }: { apiKeyId: string; count: number; timeoutMs: number; stop?: () => Promise<boolean> },
) {
  const deadline = Date.now() + timeoutMs;
  const samples: number[] = [];
  const inFlight = (): InFlight => ({ mean: samples.reduce((a, b) => a + b, 0) / (samples.length || 1), max: Math.max(0, ...samples) });
  for (;;) {
    // Asked before the count is read, so a stop that comes with the last job's end sees it counted.
    const stopped = (await stop?.()) ?? false;
    const state = await progress(env, apiKeyId);
    if (state.ended >= count || stopped) return { ...state, inFlight: inFlight(), timedOut: false };
    samples.push(state.processing);
    if (Date.now() > deadline) return { ...state, inFlight: inFlight(), timedOut: true };
    await sleep(100);
  }
}

export type ThroughputResult = {
  jobs: number;
  elapsedMs: number;
  jobsPerSecond: number;
  submitMs: number;
  timedOut: boolean;
  cpu: CpuUse;
  /** 1-minute load average when the phase ended (other processes on the machine count too). */
  load: number;
  inFlight: InFlight;
  verification: Verification;
  ok: boolean;
};

/**
 * One timed phase: `run` submits (or starts the worker) and says when the clock started; the
 * phase ends when `jobs` jobs of the key have ended (or `stop` says no more will), at the last
 * one's finished_at. CPU is metered over the whole phase, and every job of the key is verified
 * afterwards.
 */
export async function throughputPhase(
  env: BenchEnvironment,
  {
    name,
    apiKey,
    jobs,
    timeoutMs,
    run,
    stop,
  }: {
    name: string;
    apiKey: { id: string };
    jobs: number;
    timeoutMs: number;
    run: () => Promise<{ startedAtMs: number; submitMs: number }>;
    stop?: () => Promise<boolean>;
  },
): Promise<ThroughputResult> {
  const meter = cpuMeter();
  const { startedAtMs, submitMs } = await run();
  const done = await waitForJobs(env, { apiKeyId: apiKey.id, count: jobs, timeoutMs, stop });
  const cpu = meter();
  const elapsedMs = done.timedOut || done.lastFinishedMs === null ? Date.now() - startedAtMs : done.lastFinishedMs - startedAtMs;
  const verification = await verifyJobs(env, apiKey.id);
  const ok = !done.timedOut && verified(verification, jobs);
  console.log(`[bench] ${name}: ${done.completed}/${jobs} completed in ${(elapsedMs / 1000).toFixed(2)} s`);
  const load = os.loadavg()[0];
  return { jobs, elapsedMs, jobsPerSecond: done.completed / (elapsedMs / 1000), submitMs, timedOut: done.timedOut, cpu, load, inFlight: done.inFlight, verification, ok };
}

export type Verification = {
  jobs: number;
  completed: number;
  withResult: number;
  withCompletedLog: number;
  withOneCharge: number;
  chargeRows: number;
  /** Jobs that needed more than one attempt or logged a cancel: neither should happen here. */
  rerun: number;
  failures: { status: string; errorType: string | null; n: number }[];
};

/** Every job of the key completed, with its result, its logs and exactly one charge. */
export async function verifyJobs(env: BenchEnvironment, apiKeyId: string): Promise<Verification> {
  const [row] = await env.db.execute<Omit<Verification, 'failures'>>(sql`
    SELECT count(*)::int AS "jobs",
      count(*) FILTER (WHERE j.status = 'completed')::int AS "completed",
      count(*) FILTER (WHERE EXISTS (SELECT 1 FROM job_results r WHERE r.job_id = j.id AND r.kind = 'content' AND r.size > 0))::int AS "withResult",
      count(*) FILTER (WHERE EXISTS (SELECT 1 FROM job_logs l WHERE l.job_id = j.id AND l.message = 'Job completed successfully'))::int AS "withCompletedLog",
      count(*) FILTER (WHERE (SELECT count(*) FROM credit_ledger c WHERE c.job_id = j.id AND c.reason = 'job_charge') = 1)::int AS "withOneCharge",
      (SELECT count(*) FROM credit_ledger c JOIN jobs k ON k.id = c.job_id WHERE k.api_key_id = ${apiKeyId} AND c.reason = 'job_charge')::int AS "chargeRows",
      count(*) FILTER (WHERE j.attempts <> 1 OR EXISTS (SELECT 1 FROM job_logs l WHERE l.job_id = j.id AND l.message LIKE 'Job cancelled%'))::int AS "rerun"
    FROM jobs j WHERE j.api_key_id = ${apiKeyId}`);
  const failures = await env.db.execute<{ status: string; errorType: string | null; n: number }>(sql`
    SELECT status, error_type AS "errorType", count(*)::int AS n FROM jobs
    WHERE api_key_id = ${apiKeyId} AND status <> 'completed' GROUP BY 1, 2`);
  return { ...row, failures: [...failures] };
}

export function verified(v: Verification, expected: number): boolean {
  return [v.jobs, v.completed, v.withResult, v.withCompletedLog, v.withOneCharge, v.chargeRows].every((n) => n === expected) && v.rerun === 0;
}

/** CPU seconds used so far by this process's Postgres: the server it spawned and the server's backends. */
function postgresCpuSeconds(): number {
  const ticksPerSecond = 100; // USER_HZ on Linux
  const procs = new Map<number, { parent: number; name: string; ticks: number }>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const close = stat.lastIndexOf(')');
      const fields = stat.slice(close + 2).split(' ');
      procs.set(Number(entry), {
        name: stat.slice(stat.indexOf('(') + 1, close),
        parent: Number(fields[1]),
        ticks: Number(fields[11]) + Number(fields[12]), // utime, stime
      });
    } catch {
      // the process ended while we looked
    }
  }
  const ours = (pid: number) => {
    for (let at = procs.get(pid)?.parent, hops = 0; at && hops < 4; at = procs.get(at)?.parent, hops++) {
      if (at === process.pid) return true;
    }
    return false;
  };
  let ticks = 0;
  for (const [pid, proc] of procs) if (proc.name === 'postgres' && ours(pid)) ticks += proc.ticks;
  return ticks / ticksPerSecond;
}

/**
 * CPU use over a phase: this Node process and all Postgres processes (in cores), the Node event
 * loop's busy share, and the whole machine's busy share (which includes anything else running).
 * Postgres backends that exit during the phase are missed; the pools keep theirs open.
 */
export function cpuMeter() {
  const readSystem = () => {
    const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
    const idle = fields[3] + (fields[4] ?? 0);
    return { idle, total: fields.reduce((a, b) => a + b, 0) };
  };
  const process0 = process.cpuUsage();
  const postgres0 = postgresCpuSeconds();
  const system0 = readSystem();
  const elu0 = performance.eventLoopUtilization();
  const started = performance.now();
  return () => {
    const elapsedUs = (performance.now() - started) * 1000;
    const used = process.cpuUsage(process0);
    const system1 = readSystem();
    const total = system1.total - system0.total;
    return {
      elapsedMs: elapsedUs / 1000,
      nodeCores: (used.user + used.system) / elapsedUs,
      postgresCores: ((postgresCpuSeconds() - postgres0) * 1e6) / elapsedUs,
      machineBusy: total > 0 ? 1 - (system1.idle - system0.idle) / total : Number.NaN,
      eventLoop: performance.eventLoopUtilization(elu0).utilization,
    };
  };
}
export type CpuUse = ReturnType<ReturnType<typeof cpuMeter>>;
