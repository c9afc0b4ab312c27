import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jobs as jobsTable } from '@/db/schema/jobs';
import type { BatchResponse } from '@/lib/schemas/batches';
import type { JobResponse, JobSummaryResponse } from '@/lib/schemas/responses';
import { ansi, startCliEnvironment, type CliEnvironment, type CliResult } from './support';

// The job commands end to end: the real binary, the real API over HTTP, a real worker and the
// fixture site. Polling is sped up with --interval so waits take test time.

let env: CliEnvironment;
let cli: (args: string[], options?: { env?: Record<string, string> }) => Promise<CliResult>;
let completed: { id: string };
let failed: { id: string };
let flaky: { id: string };

const fast = ['--interval', '0.2'];

beforeAll(async () => {
  env = await startCliEnvironment();
  const { secret } = await env.newAccount(100);
  cli = env.as(secret);
});

afterAll(async () => {
  await env?.close();
});

function json<T>(result: CliResult): T {
  expect(result.stderr).toBe('');
  return JSON.parse(result.stdout) as T;
}

describe('submit', () => {
  it('--wait on a page that loads: exit 0 and the completed job', async () => {
    const result = await cli(['submit', `${env.fixture.url}/page`, '--format', 'markdown', '--wait', ...fast]);
    completed = { id: result.stdout.match(/^Job:\s+(\S+)/)?.[1] ?? '' };
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^Job:\s+[0-9a-f-]{36}\nStatus:\s+completed\nURL:\s+http:\/\/127\.0\.0\.1:\d+\/page\n/);
    expect(result.stdout).toMatch(/Result:\s+markdown, [\d.]+ \w?B \(text\/markdown/);
    // One progress line per change on stderr, the last one the outcome.
    expect(result.stderr).toMatch(/^(\d\d:\d\d:\d\d {2}[0-9a-f]{8} {2}(queued|processing \(attempt 1 of 3\)|completed)\n)*\d\d:\d\d:\d\d {2}[0-9a-f]{8} {2}completed\n$/);
    expect(json<JobResponse>(await cli(['status', completed.id, '-o', 'json'])).status).toBe('completed');
  });

  it('--wait on a page that fails: exit 1 with the error and its suggestions', async () => {
    const result = await cli(['submit', '--url', `${env.fixture.url}/status/404`, '--wait', ...fast]);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/Status:\s+failed/);
    expect(result.stdout).toMatch(/Error:\s+INVALID_URL: /);
    expect(result.stdout).toContain('Suggestions:\n  - Verify the URL format');
    [failed] = json<JobSummaryResponse[]>(await cli(['list', '--status', 'failed', '-o', 'json']));
  });

  it('several URLs with -o json: an array of jobs; -q: only ids', async () => {
    const result = await cli(['submit', '-u', `${env.fixture.url}/flaky?key=cli&fail=1`, '-u', `${env.fixture.url}/json`, '-o', 'json', '--wait', ...fast]);
    expect(result.code).toBe(0);
    const jobs = json<JobResponse[]>(result);
    expect(jobs.map((job) => [job.status, job.attempts])).toEqual([
      ['completed', 2],
      ['completed', 1],
    ]);
    flaky = jobs[0];

    const quiet = await cli(['submit', `${env.fixture.url}/text`, '-q']);
    expect(quiet.code).toBe(0);
    expect(quiet.stdout).toMatch(/^[0-9a-f-]{36}\n$/);
  });
});

describe('list and status', () => {
  it('list -o json is the jobs as JSON; the table has no colour codes in a pipe', async () => {
    const [asJson, asTable, filtered] = await Promise.all([
      cli(['list', '-o', 'json']),
      cli(['list', '--limit', '3']),
      cli(['list', '--status', 'failed', '--engine', 'http', '-o', 'json']),
    ]);
    const jobs = json<JobSummaryResponse[]>(asJson);
    expect(jobs.map((job) => job.id)).toEqual(expect.arrayContaining([completed.id, failed.id, flaky.id]));
    expect(json<JobSummaryResponse[]>(filtered).map((job) => job.id)).toEqual([failed.id]);

    expect(asTable.code).toBe(0);
    expect(asTable.stdout).not.toMatch(ansi);
    const lines = asTable.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^ID +NAME +STATUS +PRIORITY +PROGRESS +ENGINE +CREDITS +DURATION +CREATED +URL$/);
    expect(lines).toHaveLength(4);
    expect(lines[1]).toMatch(/^[0-9a-f]{8} {2}- +\w+ +normal +[01]\/1 \((0|100)%\) +HTTP +\d+ +[\d.]+ m?s +\d{4}-\d\d-\d\d \d\d:\d\d:\d\d {2}http:\/\/127\.0\.0\.1/);
    expect(asTable.stderr).toMatch(/^Showing 3 of \d+ jobs/);
  });

  it('status accepts the 8-character id the table shows', async () => {
    const result = await cli(['status', completed.id.slice(0, 8)]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(new RegExp(`^Job:\\s+${completed.id}\n`));
    expect(result.stdout).toMatch(/Attempts:\s+1 of 3/);
  });

  it('status --watch follows a job to its end and exits by its outcome', async () => {
    const id = (await cli(['submit', `${env.fixture.url}/slow?ms=8000`, '-q'])).stdout.trim();
    const watched = await cli(['status', id, '--watch', ...fast]);
    expect(watched.code).toBe(0);
    expect(watched.stderr).toMatch(/processing \(attempt 1 of 3\)\n.*completed\n$/);
    expect(watched.stdout).toMatch(/Status:\s+completed/);

    const [failedWatch, exitStatus] = await Promise.all([
      cli(['status', failed.id, '--watch', ...fast]),
      cli(['status', failed.id, '--exit-status']),
    ]);
    expect(failedWatch.code).toBe(1);
    expect(exitStatus.code).toBe(1);
    expect((await cli(['status', failed.id])).code).toBe(0);
  });
});

describe('list and export filters', () => {
  it('--tag, --priority, --name and --batch list only the matching jobs; export takes them too', async () => {
    const owner = await env.newAccount(20);
    const as = env.as(owner.secret);
    // Labelled jobs and a batch straight through the API; the filters do not need them finished.
    const post = async <T>(path: string, body: object): Promise<T> => {
      const response = await fetch(`${env.server.url}${path}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${owner.secret}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      expect(response.status).toBe(202);
      return (await response.json()) as T;
    };
    const prices = await post<JobResponse>('/api/v1/jobs', { url: `${env.fixture.url}/page`, name: 'Nightly prices', tags: ['prices', 'nightly'], priority: 'high' });
    const news = await post<JobResponse>('/api/v1/jobs', { url: `${env.fixture.url}/text`, name: 'Weekly news', tags: ['news'], priority: 'low' });
    await post<JobResponse>('/api/v1/jobs', { url: `${env.fixture.url}/json` });
    const batch = await post<BatchResponse>('/api/v1/batches', { urls: [`${env.fixture.url}/page`, `${env.fixture.url}/text`] });

    const [byTag, anyTag, repeatedTag, byPriority, byName, byBatch, none, exported] = await Promise.all([
      as(['list', '--tag', 'prices', '-o', 'json']),
      as(['list', '--tag', 'news,prices', '-o', 'json']),
      as(['list', '--tag', 'news', '--tag', 'nightly', '-o', 'json']),
      as(['list', '--priority', 'low', '-o', 'json']),
      as(['list', '--name', 'NIGHTLY', '-o', 'json']),
      as(['list', '--batch', batch.id, '-o', 'json']),
      as(['list', '--tag', 'news', '--priority', 'high']),
      as(['export', '--format', 'json', '--tag', 'news']),
    ]);
    const ids = (result: CliResult) => json<{ id?: string; jobId?: string }[]>(result).map((job) => job.id ?? job.jobId);
    expect(ids(byTag)).toEqual([prices.id]);
    expect(ids(anyTag)).toEqual([news.id, prices.id]);
    expect(ids(repeatedTag)).toEqual([news.id, prices.id]);
    expect(ids(byPriority)).toEqual([news.id]);
    expect(ids(byName)).toEqual([prices.id]);
    const batchJobs = json<JobSummaryResponse[]>(byBatch);
    expect(batchJobs.map((job) => [job.batchId, job.url]).sort()).toEqual([
      [batch.id, `${env.fixture.url}/page`],
      [batch.id, `${env.fixture.url}/text`],
    ]);
    expect(none).toMatchObject({ code: 0, stdout: '', stderr: 'No jobs found.\n' });
    expect(ids(exported)).toEqual([news.id]);
  });

  it('a bad --priority, --tag or --batch is a usage error', async () => {
    const [priority, tag, batch] = await Promise.all([
      cli(['list', '--priority', 'asap']),
      cli(['export', '--tag', 'Not A Tag']),
      cli(['list', '--batch', '3f0c1c8e']),
    ]);
    expect(priority).toMatchObject({ code: 2, stderr: expect.stringContaining('Allowed choices are low, medium, normal, high, critical, urgent') });
    expect(tag).toMatchObject({ code: 2, stderr: expect.stringContaining('a tag is lowercase letters, digits and - _ : . only') });
    expect(batch).toMatchObject({ code: 2, stderr: expect.stringContaining('expected a batch id (a UUID)') });
  });
});

describe('logs', () => {
  it('--level, --grep and --lines filter the entries', async () => {
    const [all, warnings, grep, last, asJson] = await Promise.all([
      cli(['logs', flaky.id, '--lines', '0']),
      cli(['logs', flaky.id, '--level', 'warn']),
      cli(['logs', flaky.id, '--grep', '^(job|credits) ', '-i']),
      cli(['logs', flaky.id, '--lines', '2']),
      cli(['logs', flaky.id, '-o', 'json', '--level', 'WARN']),
    ]);
    const messages = (result: CliResult) => result.stdout.trimEnd().split('\n').map((line) => line.slice(26));
    expect(all.code).toBe(0);
    expect(all.stdout).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d INFO {2}Job queued\n/);
    expect(messages(all)).toEqual(expect.arrayContaining(['Job queued', 'Worker picked up job', 'Job completed successfully', 'Credits charged: 1']));
    expect(messages(warnings)).toEqual([expect.stringMatching(/^Request failed: TARGET_UNAVAILABLE - .*503/), expect.stringMatching(/^Retry 1 of 2: .*503/)]);
    expect(warnings.stdout).toContain(' WARN  Retry 1 of 2');
    expect(messages(grep)).toEqual(['Job queued', 'Job completed successfully', 'Credits charged: 1']);
    expect(messages(last)).toEqual(messages(all).slice(-2));
    const entries = asJson.stdout.trimEnd().split('\n').map((line) => JSON.parse(line));
    expect(entries).toHaveLength(2);
    expect(entries[1]).toEqual(expect.objectContaining({ level: 'WARN', message: expect.stringMatching(/^Retry 1 of 2/), seq: expect.any(Number) }));
  });

  it('--follow prints entries as they come and ends when the job finishes', async () => {
    const id = (await cli(['submit', `${env.fixture.url}/slow?ms=1500`, '-q'])).stdout.trim();
    const result = await cli(['logs', id, '--follow', ...fast]);
    expect(result.code).toBe(0);
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines[0]).toContain('Job queued');
    expect(lines.at(-1)).toContain('Credits charged: 1');
    expect(new Set(lines).size).toBe(lines.length);
  });

  it('a bad --grep pattern or level is a usage error', async () => {
    const [pattern, level] = await Promise.all([cli(['logs', flaky.id, '--grep', '(']), cli(['logs', flaky.id, '--level', 'loud'])]);
    expect(pattern).toMatchObject({ code: 2, stderr: expect.stringContaining('Invalid --grep pattern') });
    expect(level).toMatchObject({ code: 2, stderr: expect.stringContaining('expected one of debug, info, warn, error') });
  });
});

describe('cancel, retry, results, delete', () => {
  it('cancel stops an active job; cancelling it again exits 1', async () => {
    const id = (await cli(['submit', `${env.fixture.url}/slow?ms=20000`, '-q'])).stdout.trim();
    const cancelled = await cli(['cancel', id]);
    expect(cancelled).toMatchObject({ code: 0, stdout: `Cancelled ${id.slice(0, 8)}  ${env.fixture.url}/slow?ms=20000\n` });
    const again = await cli(['cancel', id]);
    expect(again).toMatchObject({ code: 1, stderr: expect.stringContaining('Job is already cancelled and cannot be cancelled') });
    expect((await cli(['status', id, '-o', 'json'])).stdout).toContain('"status": "cancelled"');
  });

  it('retry --wait runs a new job linked to the old one', async () => {
    const result = await cli(['retry', completed.id, '--wait', ...fast]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(new RegExp(`^Retrying ${completed.id.slice(0, 8)} as [0-9a-f-]{36}\\n`));
    expect(result.stdout).toMatch(new RegExp(`Retry of:\\s+${completed.id}`));
    expect(result.stdout).toMatch(/Status:\s+completed/);
  });

  it('results --output writes the file, into a directory under the server’s name, or to stdout', async () => {
    const dir = path.join(env.home, 'downloads');
    mkdirSync(dir);
    const file = path.join(env.home, 'page.md');
    const [toFile, toDir, toStdout, none] = await Promise.all([
      cli(['results', completed.id, '--output', file]),
      cli(['results', completed.id, '--output', `${dir}/`]),
      cli(['results', completed.id]),
      cli(['results', failed.id]),
    ]);
    expect(toFile).toMatchObject({ code: 0, stdout: expect.stringMatching(/^Saved [\d.]+ \w?B \(text\/markdown; charset=utf-8\) to .*page\.md\n$/) });
    expect(readFileSync(file, 'utf8')).toContain('# Fixture Heading');
    expect(toDir.code).toBe(0);
    expect(existsSync(path.join(dir, `scrapifie-${completed.id.slice(0, 8)}-markdown.md`))).toBe(true);
    expect(toStdout.stdout).toBe(readFileSync(file, 'utf8'));
    expect(none).toMatchObject({ code: 4, stderr: expect.stringContaining('Job is failed; it has no result') });
  });

  it('delete removes a job: it is then gone (exit 4)', async () => {
    const id = (await cli(['submit', `${env.fixture.url}/page`, '-q', '--wait', ...fast])).stdout.trim();
    expect(await cli(['delete', id])).toMatchObject({ code: 0, stdout: `Deleted ${id.slice(0, 8)} (completed)\n` });
    expect(await cli(['status', id])).toMatchObject({ code: 4, stderr: expect.stringContaining('This job was deleted.') });
  });
});

describe('account-wide commands', () => {
  it('stats, storage and export', async () => {
    const csv = path.join(env.home, 'jobs.csv');
    const [stats, statsJson, storage, exported, exportedJson] = await Promise.all([
      cli(['stats']),
      cli(['stats', '-o', 'json']),
      cli(['storage']),
      cli(['export', '--status', 'completed', '--output', csv]),
      cli(['export', '--format', 'json', '--status', 'failed']),
    ]);
    expect(stats.code).toBe(0);
    expect(stats.stdout).toMatch(/^Job statistics\n\nTotal jobs: +\d+\n/);
    expect(stats.stdout).toMatch(/STATUS +COUNT\nqueued +\d+\nprocessing +\d+\ncompleted +\d+\nfailed +1\n/);
    expect(stats.stdout).toMatch(/By priority, all jobs\nPRIORITY +COUNT\nurgent +0\nhigh +0\nnormal +\d+\nlow +0\n$/);
    expect(json<{ byPriority: Record<string, number> }>(statsJson).byPriority).toMatchObject({ urgent: 0, high: 0, low: 0 });
    expect(json<{ totalJobs: number }>(statsJson).totalJobs).toBeGreaterThan(5);
    expect(storage.stdout).toMatch(/Total jobs: +\d+\nResults: +[\d.]+ k?B\nScreenshots: +0 B\nLogs: +[\d.]+ k?B\nTotal: +[\d.]+ k?B/);
    expect(exported).toMatchObject({ code: 0, stdout: expect.stringMatching(/^Exported \d+ jobs to .*jobs\.csv\n$/) });
    expect(readFileSync(csv, 'utf8')).toMatch(/^\uFEFFJob ID,Status,Target URL/);
    expect(json<{ jobId: string }[]>(exportedJson).map((row) => row.jobId)).toEqual([failed.id]);
  });

  it('cleanup --days: completed jobs by default, asks first (in a pipe too) unless --yes; a dry run counts; --tag and --status narrow it', async () => {
    const owner = await env.newAccount(10);
    const as = env.as(owner.secret);
    await Promise.all([
      as(['submit', `${env.fixture.url}/page`, '--tags', 'smoke', '--wait', ...fast]),
      as(['submit', `${env.fixture.url}/text`, '--wait', ...fast]),
      as(['submit', `${env.fixture.url}/status/404`, '--wait', ...fast]),
    ]);
    const [today, negative] = await Promise.all([as(['cleanup', '--days', '1', '--dry-run']), as(['cleanup', '--days', '-3'])]);
    expect(today).toMatchObject({ code: 0, stdout: expect.stringMatching(/^Would delete 0 completed jobs created on or before \d{4}-\d\d-\d\d\.\n$/) });
    expect(negative.code).toBe(2);
    // --days 0 reaches today: every completed job, the failed one stays.
    expect((await as(['cleanup', '--days', '0', '--dry-run'])).stdout).toMatch(/^Would delete 2 completed jobs created on or before/);

    // Two days old: within reach of --days 1.
    await env.database.db
      .update(jobsTable)
      .set({ createdAt: sql`${jobsTable.createdAt} - interval '2 days'` })
      .where(eq(jobsTable.accountId, owner.accountId));
    // In a pipe without --yes it asks on stderr and reads the answer: none, or not "y", deletes nothing.
    const unanswered = await as(['cleanup', '--days', '1']);
    expect(unanswered).toMatchObject({ code: 1, stdout: '', stderr: expect.stringMatching(/^Delete 2 completed jobs created on or before \d{4}-\d\d-\d\d\? \[y\/N\] \nNothing deleted\.\n$/) });
    expect((await env.run(['cleanup', '--days', '1'], { input: 'n\n', env: { SCRAPIFIE_API_URL: env.server.url, SCRAPIFIE_API_KEY: owner.secret } })).code).toBe(1);
    expect(json<unknown[]>(await as(['list', '-o', 'json']))).toHaveLength(3);

    const tagged = await env.run(['cleanup', '--days', '1', '--tag', 'smoke'], { input: 'y\n', env: { SCRAPIFIE_API_URL: env.server.url, SCRAPIFIE_API_KEY: owner.secret } });
    expect(tagged).toMatchObject({ code: 0, stdout: expect.stringMatching(/^Deleted 1 completed job created on or before \d{4}-\d\d-\d\d tagged smoke\.\n$/) });
    const listed = () => as(['list', '-o', 'json']).then((result) => json<JobSummaryResponse[]>(result).map((job) => job.url).sort());
    expect(await listed()).toEqual([`${env.fixture.url}/status/404`, `${env.fixture.url}/text`]);

    const cleaned = await as(['cleanup', '--days', '1', '--yes']);
    expect(cleaned).toMatchObject({ code: 0, stdout: expect.stringMatching(/^Deleted 1 completed job created on or before/) });
    expect(await listed()).toEqual([`${env.fixture.url}/status/404`]);
    const failedToo = await as(['cleanup', '--days', '1', '--status', 'failed', '--yes']);
    expect(failedToo).toMatchObject({ code: 0, stdout: expect.stringMatching(/^Deleted 1 failed job created on or before/) });
    expect(await listed()).toEqual([]);
  });
});
