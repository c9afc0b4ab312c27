import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BatchResponse } from '@/lib/schemas/batches';
import type { JobSummaryResponse } from '@/lib/schemas/responses';
import { startCliEnvironment, type CliEnvironment, type CliResult } from './support';

// The commands and options of the RipTide CLI (spec 004) on Scrapifie: several --url as one
// batch followed with --stream, --strategy, its priority names, --status running, --id,
// status --detailed, results -o json, the batch and webhook commands; and a CLI that never
// shows a stack trace or says a thing twice.

let env: CliEnvironment;
let cli: (args: string[], options?: { env?: Record<string, string> }) => Promise<CliResult>;
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

describe('submit as the RipTide CLI does', () => {
  it('several --url make one batch; --stream follows its N/M progress; --strategy, --priority critical, --name and --tags apply to every job', async () => {
    const urls = [`${env.fixture.url}/page`, `${env.fixture.url}/text`, `${env.fixture.url}/json`];
    const result = await cli([
      'job-local', 'submit', ...urls.flatMap((url) => ['--url', url]),
      '--strategy', 'http', '--name', 'my-extraction', '--priority', 'critical', '--tags', 'production,important', '--stream', ...fast,
    ]);
    expect(result.code).toBe(0);
    const batchId = result.stderr.match(/^Batch ([0-9a-f-]{36}): 3 jobs\n/)?.[1];
    expect(batchId).toBeDefined();
    expect(result.stderr).toMatch(/batch [0-9a-f]{8} {2}3\/3 \(100%\) {2}3 completed\n$/);
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^ID +NAME +STATUS +PRIORITY +PROGRESS/);
    expect(lines.slice(1).map((line) => line.split(/ {2,}/).slice(1, 5))).toEqual(urls.map(() => ['my-extraction', 'completed', 'urgent', '1/1 (100%)']));

    const jobs = json<JobSummaryResponse[]>(await cli(['list', '--batch', batchId!, '-o', 'json']));
    expect(jobs.map((job) => job.url).sort()).toEqual([...urls].sort());
    for (const job of jobs) expect(job).toMatchObject({ name: 'my-extraction', priority: 'urgent', tags: ['production', 'important'], engine: 'http', batchId });

    const [list, status, asJson] = await Promise.all([cli(['batch', 'list']), cli(['batch', 'status', batchId!.slice(0, 8)]), cli(['batch', 'status', batchId!, '-o', 'json'])]);
    expect(list.stdout).toMatch(new RegExp(`^ID +NAME +STATUS +PRIORITY +PROGRESS +CREDITS +CREATED\\n${batchId!.slice(0, 8)} {2}my-extraction {2}completed +urgent +3/3 \\(100%\\)`));
    expect(status.stdout).toMatch(/Progress:\s+3\/3 \(100%\)\nJobs:\s+0 queued, 0 processing, 3 completed, 0 failed, 0 cancelled, 0 expired/);
    expect(json<BatchResponse>(asJson)).toMatchObject({ id: batchId, status: 'completed', finished: 3 });
  });

  it('one URL with --stream shows its log as it is written, then the job', async () => {
    const result = await cli(['submit', '--url', `${env.fixture.url}/slow?ms=800`, '--strategy', 'auto', '--priority', 'medium', '--stream', ...fast]);
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d INFO {2}Job queued\n/);
    expect(result.stderr).toMatch(/Credits charged: 1\n$/);
    expect(result.stdout).toMatch(/^Job:\s+[0-9a-f-]{36}\nStatus:\s+completed\n/);
  });

  it('--status running lists processing jobs; --id works where the RipTide CLI uses it', async () => {
    const slow = (await cli(['submit', `${env.fixture.url}/slow?ms=8000`, '-q'])).stdout.trim();
    let running: JobSummaryResponse[] = [];
    for (let i = 0; i < 50 && !running.some((job) => job.id === slow); i += 1) {
      running = json<JobSummaryResponse[]>(await cli(['list', '--status', 'running', '-o', 'json']));
      if (!running.some((job) => job.id === slow)) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(running.map((job) => job.status)).toEqual(running.map(() => 'processing'));
    expect(running.map((job) => job.id)).toContain(slow);
    expect(await cli(['cancel', '--id', slow])).toMatchObject({ code: 0, stdout: expect.stringContaining(`Cancelled ${slow.slice(0, 8)}`) });
  });

  it('status --detailed shows name, tags, priority, every attempt and the error; results -o json the content in JSON', async () => {
    const failed = (await cli(['submit', `${env.fixture.url}/status/404`, '--name', 'broken', '--tags', 'qa', '--priority', 'low', '-q', '--wait', ...fast])).stdout.trim();
    const detailed = await cli(['status', '--id', failed, '--detailed']);
    expect(detailed.code).toBe(0);
    expect(detailed.stdout).toMatch(/Name:\s+broken\nStatus:\s+failed\nPriority:\s+low\nTags:\s+qa\n/);
    expect(detailed.stdout).toMatch(/Error:\s+INVALID_URL: /);
    expect(detailed.stdout).toMatch(/Attempts:\n {2}1 {2}\d{4}-\d\d-\d\d \d\d:\d\d:\d\d {2}failed +[\d.]+ m?s {2}INVALID_URL: /);

    const done = (await cli(['submit', `${env.fixture.url}/page`, '--format', 'markdown', '-q', '--wait', ...fast])).stdout.trim();
    const result = json<{ jobId: string; status: string; format: string; contentType: string; encoding: string; content: string }>(await cli(['results', '--id', done, '-o', 'json']));
    expect(result).toMatchObject({ jobId: done, status: 'completed', format: 'markdown', encoding: 'utf8', contentType: expect.stringContaining('text/markdown') });
    expect(result.content).toContain('# Fixture Heading');
  });
});

describe('webhook commands', () => {
  it('add, list, disable, secret, remove', async () => {
    const added = await cli(['webhook', 'add', 'https://hooks.example.com/scrapifie', '--events', 'job.completed,batch.completed', '-o', 'json']);
    const endpoint = json<{ id: string; secret: string; events: string[] }>(added);
    expect(endpoint.secret).toMatch(/^whsec_/);
    expect(endpoint.events).toEqual(['job.completed', 'batch.completed']);
    expect((await cli(['webhook', 'list'])).stdout).toMatch(new RegExp(`${endpoint.id} {2}yes +job.completed,batch.completed`));
    expect((await cli(['webhook', 'disable', endpoint.id])).stdout).toBe(`Disabled ${endpoint.id}  https://hooks.example.com/scrapifie\n`);
    expect((await cli(['webhook', 'secret', endpoint.id])).stdout.trim()).toBe(endpoint.secret);
    expect((await cli(['webhook', 'secret'])).stdout).toMatch(/^whsec_\S+\n$/);
    expect((await cli(['webhook', 'remove', endpoint.id])).code).toBe(0);
    expect((await cli(['webhook', 'list', '-o', 'json'])).stdout.trim()).toBe('[]');
  });
});

describe('messages', () => {
  let other: http.Server;
  let otherUrl: string;

  beforeAll(async () => {
    other = http.createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>Not an API</title>'));
    await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
    otherUrl = `http://127.0.0.1:${(other.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    other.closeAllConnections();
    await new Promise((resolve) => other.close(resolve));
  });

  it('a server that is not Scrapifie: said once, plainly, no stack trace (exit 5)', async () => {
    const commands: [string[], string][] = [
      [['list'], 'GET'],
      [['status', 'deadbeef'], 'GET'],
      [['submit', 'https://example.com'], 'POST'],
    ];
    const results = await Promise.all(commands.map(([args]) => env.run(args, { env: { SCRAPIFIE_API_URL: otherUrl, SCRAPIFIE_API_KEY: 'sk_live_x' } })));
    results.forEach((result, i) => {
      expect(result.code).toBe(5);
      expect(result.stdout).toBe('');
      expect(result.stderr).toBe(
        `Error: The server at ${otherUrl} did not answer like a Scrapifie server: ${commands[i][1]} /api/v1/jobs answered 200 with text/html.\n` +
          '  - Check the API URL (--api-url, SCRAPIFIE_API_URL or `scrapifie login`).\n',
      );
    });
  });

  it('an invalid request: the summary once, each field once', async () => {
    const result = await cli(['submit', 'ftp://example.com/file', '--job-timeout', '0.5']);
    expect(result.code).toBe(2);
    const lines = result.stderr.trimEnd().split('\n');
    expect(lines[0]).toBe('Error: Invalid body');
    expect(lines.slice(1).sort()).toEqual(['  - timeoutMs: Too small: expected number to be >=1000', '  - url: url must be an absolute http:// or https:// URL'].sort());
  });
});
