import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Machine } from './environment';
import type { PickupResult } from './pickup';
import { ms, type Summary } from './stats';
import type { ThroughputResult } from './throughput';

export const targets = { pickupP95Ms: 25, jobsPerSecond: 200 };

export type BenchResults = {
  date: Date;
  machine: Machine;
  worker: { httpConcurrency: number; logFlushMs: number };
  pickup: PickupResult;
  drain: ThroughputResult;
  steady: ThroughputResult & { submitters: number };
};

const pct = (share: number) => `${Math.round(share * 100)}%`;
const rate = (value: number) => value.toFixed(0);

/** CPU milliseconds spent per job by this Node process and by Postgres. */
export function cpuPerJob(t: ThroughputResult) {
  const perJob = (cores: number) => (cores * t.cpu.elapsedMs) / t.jobs;
  return { node: perJob(t.cpu.nodeCores), postgres: perJob(t.cpu.postgresCores) };
}

/**
 * What the CPU cost per job allows on this machine with nothing else running: the Node thread
 * can give at most one core, and Node and Postgres together at most all of them.
 */
function capacity(t: ThroughputResult, cpus: number): number {
  const cost = cpuPerJob(t);
  return Math.min(1000 / cost.node, (cpus * 1000) / (cost.node + cost.postgres));
}

/** The share of the machine that processes other than this benchmark's used during the phase. */
function others(t: ThroughputResult, cpus: number): number {
  return Math.max(0, t.cpu.machineBusy - (t.cpu.nodeCores + t.cpu.postgresCores) / cpus);
}

function latencyRow(name: string, s: Summary): string {
  return `| ${name} | ${ms(s.p50)} | ${ms(s.p95)} | ${ms(s.p99)} | ${ms(s.max)} |`;
}

function throughputRow(name: string, t: ThroughputResult): string {
  const v = t.verification;
  const cost = cpuPerJob(t);
  const checks = `${v.completed}/${v.jobs} completed, ${v.withResult} results, ${v.withCompletedLog} completion logs, ${v.chargeRows} charges, ${v.rerun} rerun`;
  return (
    `| ${name} | ${t.jobs} | ${(t.elapsedMs / 1000).toFixed(2)} s | **${rate(t.jobsPerSecond)}** | ${cost.node.toFixed(2)} + ${cost.postgres.toFixed(2)} ms` +
    ` | ${pct(t.cpu.eventLoop)} | ${pct(t.cpu.machineBusy)} (others ${pct(others(t, 2))}) | ${t.load.toFixed(1)} | ${checks}${t.timedOut ? ' (timed out)' : ''} |`
  );
}

function bottleneck(t: ThroughputResult, cpus: number): string {
  const other = others(t, cpus);
  const crowded = other > 0.15 ? `; other processes took ${pct(other)} of the machine` : '';
  if (t.cpu.eventLoop > 0.9) return `the Node event loop was busy ${pct(t.cpu.eventLoop)} of the time${crowded}`;
  if (t.cpu.machineBusy > 0.9) return `the machine was ${pct(t.cpu.machineBusy)} busy${crowded}`;
  return `neither the event loop (${pct(t.cpu.eventLoop)}) nor the machine (${pct(t.cpu.machineBusy)}) was saturated, so time went to waiting (round trips, row locks)`;
}

export function renderResults(r: BenchResults): string {
  const { pickup, drain, steady, machine } = r;
  const verdict = (met: boolean) => (met ? 'met' : '**missed**');
  const crowded = machine.loadAtStart > machine.cpus / 2;
  return [
    `## Latest run: ${r.date.toISOString().replace('T', ' ').slice(0, 16)} UTC`,
    '',
    `Machine: ${machine.cpus} CPUs (${machine.cpuModel}), ${machine.memoryGb} GB RAM, Node ${machine.node}, ${machine.postgres}` +
      ` (embedded, fsync and synchronous_commit off). Worker: HTTP concurrency ${r.worker.httpConcurrency}, log flush ${r.worker.logFlushMs} ms.` +
      ` Load average before the run: ${machine.loadAtStart.toFixed(1)}.`,
    ...(crowded ? ['', `**The machine was not idle** (load ${machine.loadAtStart.toFixed(1)} on ${machine.cpus} CPUs before the run): treat the throughput figures as a lower bound and compare CPU per job instead.`] : []),
    '',
    `### Queue pickup latency (idle worker, ${pickup.observed.n} samples after warm-up)`,
    '',
    '| measure | p50 ms | p95 ms | p99 ms | max ms |',
    '| --- | ---: | ---: | ---: | ---: |',
    latencyRow('submit commit → `processing` seen by a listener', pickup.observed),
    latencyRow('submit commit → claim (`started_at`)', pickup.commitToClaim),
    latencyRow('`started_at − created_at` (DB clock, ms precision, includes the submit transaction)', pickup.database),
    latencyRow('submitJob call (the submit transaction)', pickup.submit),
    '',
    `Target p95 ≤ ${targets.pickupP95Ms} ms: ${verdict(pickup.observed.p95 <= targets.pickupP95Ms)} (${ms(pickup.observed.p95)} ms).${pickup.timeouts ? ` ${pickup.timeouts} jobs did not finish in time.` : ''}`,
    '',
    '### End-to-end throughput (HTTP jobs to the fixture `/page`)',
    '',
    '| phase | jobs | elapsed | jobs/s | CPU per job (Node + Postgres) | event loop busy | machine busy | load | checks |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |',
    throughputRow('drain (backlog, then worker start)', drain),
    throughputRow(`steady (${steady.submitters} concurrent submitters, same process)`, steady),
    '',
    `Target ≥ ${targets.jobsPerSecond} jobs/s: drain ${verdict(drain.jobsPerSecond >= targets.jobsPerSecond)}, steady ${verdict(steady.jobsPerSecond >= targets.jobsPerSecond)}.` +
      ` Submitting the drain backlog took ${(drain.submitMs / 1000).toFixed(2)} s (${rate(drain.jobs / (drain.submitMs / 1000))} submits/s);` +
      ` in the steady phase the submitters finished after ${(steady.submitMs / 1000).toFixed(2)} s.`,
    '',
    `Drain: ${bottleneck(drain, machine.cpus)}. Steady: ${bottleneck(steady, machine.cpus)}.` +
      ` At the measured CPU per job, ${machine.cpus} otherwise idle cores would allow about ${rate(capacity(drain, machine.cpus))} jobs/s draining` +
      ` and ${rate(capacity(steady, machine.cpus))} jobs/s with the submitters in the same process` +
      ' (the lower of one core for the Node thread and all cores for Node and Postgres together).',
  ].join('\n');
}

const start = '<!-- bench:results:start -->';
const end = '<!-- bench:results:end -->';

const preamble = `# Benchmarks

Run with \`npm run bench\` (one to two minutes; needs nothing but Node). The block below is
replaced on every run; anything written outside it is kept.

`;

/** Replaces the generated block of BENCHMARKS.md, keeping whatever is written around it. */
export function writeBenchmarksFile(results: BenchResults, file = path.join(process.cwd(), 'BENCHMARKS.md')): void {
  const block = `${start}\n${renderResults(results)}\n${end}`;
  const current = existsSync(file) ? readFileSync(file, 'utf8') : `${preamble}${start}\n${end}\n`;
  const from = current.indexOf(start);
  const to = current.indexOf(end);
  const next = from >= 0 && to > from ? current.slice(0, from) + block + current.slice(to + end.length) : `${current.trimEnd()}\n\n${block}\n`;
  writeFileSync(file, next);
}

export function printSummary(r: BenchResults): void {
  const line = (label: string, s: Summary) =>
    `  ${label.padEnd(34)} p50 ${ms(s.p50).padStart(7)}  p95 ${ms(s.p95).padStart(7)}  p99 ${ms(s.p99).padStart(7)}  max ${ms(s.max).padStart(7)} ms`;
  const tp = (label: string, t: ThroughputResult) => {
    const cost = cpuPerJob(t);
    return (
      `  ${label.padEnd(22)} ${String(t.jobs).padStart(5)} jobs in ${(t.elapsedMs / 1000).toFixed(2).padStart(6)} s = ${rate(t.jobsPerSecond).padStart(4)} jobs/s` +
      `  CPU/job node ${cost.node.toFixed(2)} + pg ${cost.postgres.toFixed(2)} ms, loop ${pct(t.cpu.eventLoop)}, machine ${pct(t.cpu.machineBusy)}, load ${t.load.toFixed(1)}` +
      (t.ok ? '' : '  VERIFICATION FAILED')
    );
  };
  console.log(`\nMachine: ${r.machine.cpus} CPUs, load average before the run ${r.machine.loadAtStart.toFixed(1)}`);
  console.log('\nQueue pickup latency (idle worker)');
  console.log(line('commit → processing (listener)', r.pickup.observed));
  console.log(line('commit → claim (started_at)', r.pickup.commitToClaim));
  console.log(line('started_at − created_at (DB)', r.pickup.database));
  console.log(line('submitJob', r.pickup.submit));
  console.log('\nThroughput');
  console.log(tp('drain', r.drain));
  console.log(tp(`steady (${r.steady.submitters} submitters)`, r.steady));
  for (const [name, t] of [['drain', r.drain], ['steady', r.steady]] as const) {
    const v = t.verification;
    console.log(
      `  ${name} checks: ${v.jobs} jobs, ${v.completed} completed, ${v.withResult} with a result, ${v.withCompletedLog} with 'Job completed successfully',` +
        ` ${v.withOneCharge} charged once (${v.chargeRows} charge rows), ${v.rerun} rerun or cancelled` +
        (v.failures.length ? `; not completed: ${v.failures.map((f) => `${f.n} ${f.status}${f.errorType ? ` ${f.errorType}` : ''}`).join(', ')}` : ''),
    );
  }
}
