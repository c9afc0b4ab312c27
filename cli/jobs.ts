import { engineLabels, isTerminal, uuidPattern } from '@/lib/jobs';
import type { Engine, Job, JobStatus, JobSummary, Scrapifie } from '@/packages/sdk/src/index';
import { CliError, UsageError, exitCodes } from './errors';
import { colorStatus, formatBytes, formatDuration, formatTime, keyValues, note, paint } from './output';

// Jobs as the commands see them: finding one by a short id, waiting for it, showing it.

/** A full job id, or the unique job whose id starts with `value` (at least 4 hex characters, as `list` shows 8). */
export async function resolveJobId(client: Scrapifie, value: string): Promise<string> {
  const id = value.trim().toLowerCase();
  if (uuidPattern.test(id)) return id;
  if (!/^[0-9a-f-]{4,35}$/.test(id)) throw new UsageError(`"${value}" is not a job id (a UUID, or its first 8 characters as \`list\` shows)`);
  const { data } = await client.jobs.list({ q: id, size: 100 });
  const matches = data.filter((job) => job.id.startsWith(id));
  if (matches.length === 0) throw new CliError(`No job with an id starting with ${id}`, exitCodes.notFound);
  if (matches.length > 1) {
    throw new UsageError(`"${id}" matches ${matches.length} jobs; give more of the id`, matches.map((job) => `${job.id}  ${job.url}`));
  }
  return matches[0].id;
}

export function shortId(id: string): string {
  return id.slice(0, 8);
}

export function terminal(job: { status: JobStatus }): boolean {
  return isTerminal(job.status);
}

export type WaitOptions = { timeoutMs?: number; onChange?: (job: Job) => void };

/** Follows the job (its live stream, or polling every --interval) until it reaches a terminal state. */
export function waitForJob(client: Scrapifie, id: string, { timeoutMs, onChange }: WaitOptions = {}): Promise<Job> {
  return client.jobs.wait(id, { timeoutMs, onUpdate: onChange });
}

/** One progress line on stderr per change while waiting: `3f0c1c8e processing (attempt 1 of 3)`. */
export function progressLine(job: Job): void {
  const attempt = job.status === 'processing' && job.attempts > 0 ? ` (attempt ${job.attempts} of ${job.maxAttempts})` : '';
  note(`${formatTime(new Date().toISOString()).slice(11)}  ${shortId(job.id)}  ${job.status}${attempt}`);
}

export function engineLabel(engine: Engine): string {
  return engineLabels[engine] ?? engine;
}

/** A job is one URL: `0/1 (0%)` until it has ended, `1/1 (100%)` after. */
export function jobProgress(job: { status: JobStatus }): string {
  return terminal(job) ? '1/1 (100%)' : '0/1 (0%)';
}

export const jobColumns = [
  { header: 'ID' },
  { header: 'Name' },
  { header: 'Status' },
  { header: 'Priority' },
  { header: 'Progress', align: 'right' as const },
  { header: 'Engine' },
  { header: 'Credits', align: 'right' as const },
  { header: 'Duration', align: 'right' as const },
  { header: 'Created' },
  { header: 'URL', shrink: true },
];

export function jobRow(job: JobSummary): string[] {
  return [
    shortId(job.id),
    job.name ?? '-',
    colorStatus(job.status),
    job.priority,
    jobProgress(job),
    engineLabel(job.engine),
    job.apiKey.test ? `${job.credits} (test)` : String(job.credits),
    formatDuration(job.durationMs),
    formatTime(job.createdAt),
    job.url,
  ];
}

/** The `status` block: everything a person checks about one job; `detailed` adds labels and every attempt. */
export function jobDetail(job: Job, { detailed = false }: { detailed?: boolean } = {}): string {
  const c = paint();
  const lines = [
    keyValues([
      ['Job', job.id],
      ['Name', detailed || job.name ? (job.name ?? '-') : undefined],
      ['Status', colorStatus(job.status)],
      ['Priority', detailed ? job.priority : undefined],
      ['Tags', detailed ? job.tags.join(', ') || '-' : undefined],
      ['URL', job.url],
      ['Engine', engineLabel(job.engine)],
      ['Format', job.config.format],
      ['Progress', jobProgress(job)],
      ['Batch', job.batchId ?? undefined],
      ['API key', `${job.apiKey.name}${job.apiKey.test ? ' (test)' : ''}${job.apiKey.revoked ? ' (revoked)' : ''}`],
      ['Credits', String(job.credits)],
      ['Attempts', `${job.attempts} of ${job.maxAttempts}`],
      ['Created', formatTime(job.createdAt)],
      ['Started', job.startedAt ? formatTime(job.startedAt) : undefined],
      ['Finished', job.finishedAt ? formatTime(job.finishedAt) : undefined],
      ['Duration', job.durationMs === null ? undefined : formatDuration(job.durationMs)],
      [
        'Result',
        job.result
          ? job.result.purged
            ? 'purged (older than 30 days)'
            : `${job.result.format}, ${formatBytes(job.result.size)} (${job.result.contentType})`
          : undefined,
      ],
      ['Screenshot', job.screenshot ? `${job.screenshot.width}x${job.screenshot.height}, ${formatBytes(job.screenshot.size)}` : undefined],
      ['Retry of', job.parentJobId ?? undefined],
      ['Retried as', job.childJobIds.length ? job.childJobIds.join(', ') : undefined],
      ['Change', job.change ? `${job.change.status}${job.change.previousJobId ? ` (since job ${shortId(job.change.previousJobId)})` : ''}` : undefined],
      ['Extracted', job.extracted ? oneLine(JSON.stringify(job.extracted)) : undefined],
      ['Error', job.error ? c.red(`${job.error.type}: ${job.error.message}`) : undefined],
    ]),
  ];
  if (job.error?.suggestions.length) {
    lines.push('', c.dim('Suggestions:'), ...job.error.suggestions.map((s) => `  - ${s}`));
  }
  if (detailed) {
    lines.push('', c.dim('Attempts:'));
    if (job.attemptHistory.length === 0) lines.push('  none yet');
    for (const attempt of job.attemptHistory) {
      const took = attempt.finishedAt ? formatDuration(Date.parse(attempt.finishedAt) - Date.parse(attempt.startedAt)) : 'running';
      const error = attempt.error ? `  ${attempt.error.type}: ${attempt.error.message}` : '';
      lines.push(`  ${attempt.attempt}  ${formatTime(attempt.startedAt)}  ${attempt.outcome.padEnd(9)}  ${took}${error}`);
    }
  }
  return lines.join('\n');
}

/** At most one terminal line of a long value; `-o json` has all of it. */
function oneLine(text: string, max = 120): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** The exit code a waited-for job ends with: 0 completed, 1 failed, cancelled or expired. */
export function jobExitCode(jobs: { status: JobStatus }[]): number {
  return jobs.every((job) => job.status === 'completed') ? exitCodes.ok : exitCodes.failure;
}
