import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CrawlPageResponse, CrawlResponse } from '@/lib/schemas/crawls';
import type { JobResponse } from '@/lib/schemas/responses';
import type { ScheduleResponse } from '@/lib/schemas/schedules';
import { triggerDueSchedules } from '@/lib/server/schedules/trigger';
import { startCliEnvironment, type CliEnvironment, type CliResult } from './support';

// Extraction rules, change tracking and crawls from the command line: the real binary over HTTP
// against the real routes, a real worker and the fixture site.

let env: CliEnvironment;
let cli: (args: string[]) => Promise<CliResult>;
let dir: string;
const fast = ['--interval', '0.2'];

beforeAll(async () => {
  env = await startCliEnvironment();
  const { secret } = await env.newAccount(500);
  cli = env.as(secret);
  dir = mkdtempSync(path.join(os.tmpdir(), 'scrapifie-cli-rules-'));
});

afterAll(async () => {
  await env?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function json<T>(result: CliResult): T {
  expect(result.code, result.stderr).toBe(0);
  return JSON.parse(result.stdout) as T;
}

/** Three editable pages linking to each other, the first the start URL. */
function editableSite() {
  const ids = [randomUUID(), randomUUID(), randomUUID()];
  const links = ids.map((id) => `<a href="/editable?id=${id}">${id}</a>`).join(' ');
  ids.forEach((id, i) => env.fixture.setEditable(id, { body: `<html><body><h1>Page ${i}</h1><nav>${links}</nav></body></html>` }));
  return ids.map((id) => `${env.fixture.url}/editable?id=${id}`);
}

describe('submit --extract and --track-changes', () => {
  it('--extract (inline or @file) fills `extracted`; a missing field fails naming it', async () => {
    const inline = json<JobResponse[]>(await cli(['submit', `${env.fixture.url}/products`, '--extract', '{"title":"h1.title","skus":{"selector":".product","attr":"data-sku","multiple":true}}', '--wait', '-o', 'json', ...fast]));
    expect(inline[0]).toMatchObject({ status: 'completed', extracted: { title: 'Fixture Products', skus: ['A-1', 'B-2', 'C-3'] } });

    const rules = path.join(dir, 'rules.json');
    writeFileSync(rules, JSON.stringify({ title: 'h1.title', author: '.author' }));
    const missing = await cli(['submit', `${env.fixture.url}/products`, '--extract', `@${rules}`, '--wait', ...fast]);
    expect(missing.code).toBe(1);
    expect(missing.stdout).toMatch(/Error:\s+EXTRACTION_FAILED: .*"author"/);

    const shown = await cli(['submit', `${env.fixture.url}/products`, '--extract', '{"title":"h1.title"}', '--wait', ...fast]);
    expect(shown.stdout).toMatch(/Extracted:\s+\{"title":"Fixture Products"\}/);

    const bad = await cli(['submit', `${env.fixture.url}/products`, '--extract', '[1,2]']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('expected a JSON object');
    const absent = await cli(['submit', `${env.fixture.url}/products`, '--extract', `@${path.join(dir, 'nope.json')}`]);
    expect(absent.code).toBe(2);
    expect(absent.stderr).toContain('ENOENT');
  });

  it('--track-changes: new, then same, then changed once the page is edited', async () => {
    const id = randomUUID();
    const url = `${env.fixture.url}/editable?id=${id}`;
    const submit = async () => json<JobResponse[]>(await cli(['submit', url, '--track-changes', '-f', 'markdown', '--wait', '-o', 'json', ...fast]))[0];
    env.fixture.setEditable(id, { body: '<html><body><p>Price: $10</p></body></html>' });
    const first = await submit();
    expect(first.change).toMatchObject({ status: 'new' });
    expect((await submit()).change).toMatchObject({ status: 'same', previousJobId: first.id });
    env.fixture.setEditable(id, { body: '<html><body><p>Price: $12</p></body></html>' });
    const changed = await cli(['submit', url, '--track-changes', '-f', 'markdown', '--wait', ...fast]);
    expect(changed.stdout).toMatch(/Change:\s+changed \(since job [0-9a-f]{8}\)/);
  });
});

describe('crawls', () => {
  it('create --wait, list, show, pages with filters; cancel', async () => {
    const [start, ...rest] = editableSite();
    const created = await cli(['crawls', 'create', start, '--max-pages', '10', '--max-depth', '1', '--name', 'Three pages', '--wait', ...fast]);
    expect(created.code, created.stderr).toBe(0);
    expect(created.stdout).toMatch(/Status:\s+completed/);
    expect(created.stdout).toMatch(/Progress:\s+3\/3 \(100%\)/);
    expect(created.stdout).toMatch(/Limits:\s+10 pages, depth 1/);
    expect(created.stderr).toMatch(/\d\d:\d\d:\d\d {2}[0-9a-f]{8} {2}\d+\/\d+/);
    const id = created.stdout.match(/^Crawl:\s+(\S+)/)?.[1] ?? '';
    const short = id.slice(0, 8);

    expect((await cli(['crawls', 'list'])).stdout).toMatch(new RegExp(`${short}\\s+Three pages\\s+completed\\s+3/3 \\(100%\\)`));
    expect(json<CrawlResponse>(await cli(['crawls', 'show', short, '-o', 'json']))).toMatchObject({ id, status: 'completed', progress: { done: 3 } });
    const pages = json<CrawlPageResponse[]>(await cli(['crawls', 'pages', short, '--outcome', 'completed', '-o', 'json']));
    expect(pages.map((page) => page.url).sort()).toEqual([start, ...rest].sort());
    expect((await cli(['crawls', 'pages', short, '--depth', '0'])).stdout).toMatch(new RegExp(`0\\s+completed\\s+[0-9a-f]{8}\\s+${start.replace(/[?]/g, '\\?')}`));
    expect((await cli(['crawls', 'pages', short, '--outcome', 'failed'])).stderr).toContain('No URLs match.');

    // A site too big to finish at once: cancelled, its queued pages with it.
    const big = json<CrawlResponse>(await cli(['crawls', 'create', `${env.fixture.url}/site/`, '--max-pages', '150', '--concurrency', '1', '--delay', '0.2', '-o', 'json']));
    const cancelled = await cli(['crawls', 'cancel', big.id.slice(0, 8)]);
    expect(cancelled.stdout).toMatch(new RegExp(`^Cancelled crawl ${big.id.slice(0, 8)}: \\d+ of \\d+ pages done\\.\\n$`));
    expect(json<CrawlResponse>(await cli(['crawls', 'show', big.id, '-o', 'json'])).status).toBe('cancelled');

    const usage = await cli(['crawls', 'create', start]);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('--max-pages is required');
    expect((await cli(['crawls', 'show', randomUUID()])).code).toBe(4);
  });

  it('schedules create --crawl makes a crawl each run, shown in the run history', async () => {
    const [start] = editableSite();
    const created = json<ScheduleResponse>(
      await cli(['schedules', 'create', start, '--crawl', '--max-pages', '5', '--max-depth', '1', '--include', '/editable', '--track-changes', '--name', 'Nightly crawl', '--cron', '0 3 * * *', '-o', 'json']),
    );
    expect(created.target).toMatchObject({ type: 'crawl', url: start, maxPages: 5, maxDepth: 1, include: ['/editable'], trackChanges: true });
    const shown = await cli(['schedules', 'show', created.id.slice(0, 8)]);
    expect(shown.stdout).toMatch(/Target:\s+crawl from \S+ \(up to 5 pages, depth 1\), http engine/);

    await triggerDueSchedules(env.database.db, { now: new Date(new Date(created.nextRunAt!).getTime() + 1000) });
    const runs = await cli(['schedules', 'runs', created.id.slice(0, 8)]);
    const crawlId = runs.stdout.match(/created\s+crawl ([0-9a-f-]{36})/)?.[1];
    expect(crawlId, runs.stdout).toBeDefined();
    const crawl = json<CrawlResponse>(await cli(['crawls', 'show', crawlId!, '-o', 'json']));
    expect(crawl).toMatchObject({ scheduleId: created.id, url: start });

    const noCrawl = await cli(['schedules', 'create', start, '--max-pages', '5', '--name', 'x', '--cron', '0 3 * * *']);
    expect(noCrawl.code).toBe(2);
    expect(noCrawl.stderr).toContain('need --crawl');
    const noLimit = await cli(['schedules', 'create', start, '--crawl', '--name', 'x', '--cron', '0 3 * * *']);
    expect(noLimit.code).toBe(2);
    expect(noLimit.stderr).toContain('--crawl needs --max-pages');
  });
});
