import { ms } from '../stats';
import { targets, type Measured, type Target } from './measure';

// What `npm run bench:scale` prints: a row per request, a verdict per target of issue 12, the
// phases' durations, and the overall verdict as the last line.

/** `measured` is false for a target none of whose requests ran (a run with --only). */
export type TargetVerdict = { target: Target; worst: Measured | undefined; met: boolean; measured: boolean };

const pad = (text: string, width: number) => (text.length >= width ? text : text + ' '.repeat(width - text.length));
const padLeft = (text: string, width: number) => (text.length >= width ? text : ' '.repeat(width - text.length) + text);

export function verdicts(results: (Measured & { load: number })[]): TargetVerdict[] {
  return targets.map((target) => {
    const own = results.filter((r) => r.probe.target === target.id);
    const worst = [...own].sort((a, b) => (a.met === b.met ? b.summary[target.stat] - a.summary[target.stat] : a.met ? 1 : -1))[0];
    return { target, worst, met: own.length > 0 && own.every((r) => r.met), measured: own.length > 0 };
  });
}

function note(result: Measured): string {
  if (result.error) return `error: ${result.error.slice(0, 120)}`;
  const parts = [];
  if (result.stopped === 'missed') parts.push(`stopped after ${result.summary.n}: target already missed`);
  if (result.stopped === 'time') parts.push(`stopped after ${result.summary.n}: 90 s of samples`);
  if (result.notModified) parts.push(`${result.notModified} × 304`);
  return parts.join('; ');
}

export function printResults(results: (Measured & { load: number })[]): void {
  const byId = new Map(targets.map((t) => [t.id, t]));
  console.log('');
  console.log(`${pad('target', 9)} ${pad('request', 52)} ${padLeft('n', 3)} ${padLeft('p50 ms', 9)} ${padLeft('p95 ms', 9)} ${padLeft('load', 5)}  verdict`);
  for (const result of results) {
    const target = byId.get(result.probe.target)!;
    const verdict = result.met ? 'PASS' : 'FAIL';
    console.log(
      `${pad(target.id, 9)} ${pad(result.probe.name, 52)} ${padLeft(String(result.summary.n), 3)} ${padLeft(ms(result.summary.p50), 9)} ` +
        `${padLeft(ms(result.summary.p95), 9)} ${padLeft(result.load.toFixed(1), 5)}  ${verdict} (${target.stat} ≤ ${target.limitMs} ms)${note(result) ? `  ${note(result)}` : ''}`,
    );
  }
}

export function printVerdicts(list: TargetVerdict[]): void {
  console.log('');
  console.log('Targets of issue 12 (worst request of each):');
  for (const { target, worst, met, measured } of list) {
    const figure = worst ? `${target.stat} ${ms(worst.summary[target.stat])} ms (${worst.probe.name})` : 'not measured';
    console.log(`  ${measured ? (met ? 'PASS' : 'FAIL') : '----'}  ${pad(target.label, 72)} ${target.stat} ≤ ${target.limitMs} ms: ${figure}`);
  }
}

/** The rows of the results as a Markdown table, for BENCHMARKS.md. */
export function markdownTable(results: (Measured & { load: number })[]): string {
  const byId = new Map(targets.map((t) => [t.id, t]));
  const lines = ['| target | request | n | p50 ms | p95 ms | load | verdict |', '| --- | --- | ---: | ---: | ---: | ---: | --- |'];
  for (const r of results) {
    const target = byId.get(r.probe.target)!;
    lines.push(`| ${target.id} (${target.stat} ≤ ${target.limitMs}) | ${r.probe.name.replace(/\|/g, '\\|')} | ${r.summary.n} | ${ms(r.summary.p50)} | ${ms(r.summary.p95)} | ${r.load.toFixed(1)} | ${r.met ? 'PASS' : `**FAIL**${note(r) ? ` (${note(r)})` : ''}`} |`);
  }
  return lines.join('\n');
}

export function printPhases(phases: [string, number][]): void {
  console.log('');
  console.log('Phases:');
  for (const [name, elapsed] of phases) console.log(`  ${pad(name, 40)} ${padLeft((elapsed / 1000).toFixed(1), 7)} s`);
}
