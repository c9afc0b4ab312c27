import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { crawlSchema } from '@/lib/schemas/crawls';
import { scheduleRunListSchema, scheduleSchema } from '@/lib/schemas/schedules';
import { triggerDueSchedules } from '@/lib/server/schedules/trigger';
import { createTestAccount } from '@/tests/helpers/accounts';
import { api, waitForStatus } from '@/tests/helpers/api';
import { useJobsEnvironment } from '@/tests/helpers/environment';
import { startTestWorker, waitFor } from '@/tests/helpers/worker';

// Schedules whose runs start crawls, and the extraction rules and change tracking of scheduled
// runs, against real Postgres, the real queue and real workers on the local fixture site. The
// trigger takes its clock as an argument, so runs happen at simulated minutes; the pages are
// fetched for real. The file's worker never triggers on its own (its loop runs once an hour).

vi.mock('@/lib/server/session', () => import('@/tests/helpers/session'));
process.env.EGRESS_ALLOWLIST = '127.0.0.1/32';

const env = useJobsEnvironment({ scheduler: { intervalMs: 3_600_000 } }, { worker: false });

afterEach(async () => {
  await env.database.client`DELETE FROM schedules`;
});

const minute = 60_000;
const at = (time: string | Date, plusMs = 0) => new Date(new Date(time).getTime() + plusMs);
const trigger = (now: Date) => triggerDueSchedules(env.database.db, { now });

type Run = { scheduledFor: string; outcome: string; reason: string | null; jobId: string | null; batchId: string | null; crawlId: string | null };

async function createSchedule(secret: string, body: Record<string, unknown>) {
  const created = await api('POST', '/api/v1/schedules', { key: secret, body: { name: 'Every minute', cron: '* * * * *', ...body } });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  expect(scheduleSchema.safeParse(created.body).error).toBeUndefined();
  return created.body as { id: string; nextRunAt: string; target: Record<string, unknown> };
}

async function runsOf(id: string, secret: string): Promise<Run[]> {
  const { body } = await api('GET', `/api/v1/schedules/${id}/runs?size=100`, { key: secret });
  expect(scheduleRunListSchema.safeParse(body).error).toBeUndefined();
  return body.data;
}

async function waitForCrawl(id: string, secret: string) {
  return waitFor(
    async () => {
      const { body } = await api('GET', `/api/v1/crawls/${id}`, { key: secret });
      return body.status === 'completed' ? body : undefined;
    },
    { timeoutMs: 60_000, intervalMs: 100, what: `crawl ${id} to complete` },
  );
}

/**
 * Three editable pages that link to each other: a home page and two more. `edit` changes the
 * text of one, as a site changes between scheduled crawls.
 */
function editableSite() {
  const ids = { home: randomUUID(), a: randomUUID(), b: randomUUID() };
  const path = (id: string) => `/editable?id=${id}`;
  const links = Object.values(ids).map((id) => `<a href="${path(id)}">${id}</a>`).join(' ');
  const set = (name: keyof typeof ids, text: string) =>
    env.fixture.setEditable(ids[name], { body: `<html><body><h1>${name}</h1><p>${text}</p><nav>${links}</nav></body></html>` });
  set('home', 'Welcome');
  set('a', 'Price: $10');
  set('b', 'Opening hours: 9 to 5');
  return { start: `${env.fixture.url}${path(ids.home)}`, urlOf: (name: keyof typeof ids) => `${env.fixture.url}${path(ids[name])}`, edit: set };
}

describe('schedules with a crawl target', () => {
  it('validates the crawl target like POST /api/v1/crawls, naming the field', async () => {
    const { secret } = await createTestAccount(env.database.db);
    const fieldsOf = async (target: Record<string, unknown>) => {
      const reply = await api('POST', '/api/v1/schedules', { key: secret, body: { name: 'x', cron: '0 * * * *', target } });
      expect(reply.status).toBe(400);
      return reply.body.error.details.fields.map((f: { field: string }) => f.field);
    };
    expect(await fieldsOf({ type: 'crawl', url: `${env.fixture.url}/page` })).toEqual(['target.maxPages']);
    expect(await fieldsOf({ type: 'crawl', url: `${env.fixture.url}/page`, maxPages: 10_001 })).toEqual(['target.maxPages']);
    expect(await fieldsOf({ type: 'crawl', url: `${env.fixture.url}/page`, maxPages: 5, maxDepth: -1 })).toEqual(['target.maxDepth']);
    const created = await createSchedule(secret, { target: { type: 'crawl', url: `${env.fixture.url}/page`, maxPages: 5 } });
    // The reply shows the crawl's options with their defaults.
    expect(created.target).toMatchObject({ type: 'crawl', maxPages: 5, maxDepth: 10, sameHost: true, robots: true, concurrencyPerHost: 2, engine: 'http' });
  });

  // No worker runs yet: each run's crawl keeps its start page queued until it is cancelled.
  it('overlap skip records a run as skipped while the previous crawl is unfinished; a cancelled crawl lets the next run start', async () => {
    const { secret } = await createTestAccount(env.database.db);
    const site = editableSite();
    const schedule = await createSchedule(secret, { target: { type: 'crawl', url: site.start, maxPages: 3, maxDepth: 1 } });
    await trigger(at(schedule.nextRunAt, 1000));
    await trigger(at(schedule.nextRunAt, minute + 1000));
    const [skipped, first] = await runsOf(schedule.id, secret);
    expect(first).toMatchObject({ outcome: 'created', jobId: null, batchId: null, crawlId: expect.any(String) });
    expect(skipped).toMatchObject({ outcome: 'skipped', crawlId: null, reason: "The previous run's crawl has not finished (overlap: skip)." });

    // The run's crawl is an ordinary crawl of the account, carrying the schedule.
    const crawl = await api('GET', `/api/v1/crawls/${first.crawlId}`, { key: secret });
    expect(crawlSchema.safeParse(crawl.body).error).toBeUndefined();
    expect(crawl.body).toMatchObject({ url: site.start, scheduleId: schedule.id, status: 'active', options: { maxPages: 3, maxDepth: 1 } });
    const [page] = await env.database.client`SELECT schedule_id, change_series FROM jobs WHERE crawl_id = ${first.crawlId}`;
    expect(page).toEqual({ schedule_id: schedule.id, change_series: `schedule:${schedule.id}` });

    expect((await api('POST', `/api/v1/crawls/${first.crawlId}/cancel`, { key: secret })).status).toBe(200);
    await trigger(at(schedule.nextRunAt, 2 * minute + 1000));
    const runs = await runsOf(schedule.id, secret);
    expect(runs.map((run) => run.outcome)).toEqual(['created', 'skipped', 'created']);
    expect(runs[0].crawlId).not.toBe(first.crawlId);
    expect((await api('GET', `/api/v1/schedules/${schedule.id}`, { key: secret })).body.lastRun).toMatchObject({ crawlId: runs[0].crawlId });
    await api('POST', `/api/v1/crawls/${runs[0].crawlId}/cancel`, { key: secret });
  });

  it('records a crawl run refused for credits with the reason, and creates no crawl', async () => {
    const poor = await createTestAccount(env.database.db, { credits: 0 });
    const schedule = await createSchedule(poor.secret, { target: { type: 'crawl', url: `${env.fixture.url}/page`, maxPages: 10 } });
    await trigger(at(schedule.nextRunAt, 1000));
    const [refused] = await runsOf(schedule.id, poor.secret);
    expect(refused).toMatchObject({ outcome: 'refused', crawlId: null, reason: expect.stringContaining('Insufficient credits') });
    const [crawls] = await env.database.client`SELECT count(*)::int AS n FROM crawls WHERE account_id = ${poor.account.id}`;
    expect(crawls.n).toBe(0);
    const [balance] = await env.database.client`SELECT credits, reserved_credits FROM accounts WHERE id = ${poor.account.id}`;
    expect(balance).toEqual({ credits: 0, reserved_credits: 0 });
  });

  it('with 3 racing workers makes exactly one crawl per scheduled time, each fetching every page once', async () => {
    await env.startWorker();
    const { secret } = await createTestAccount(env.database.db, { credits: 100 });
    const site = editableSite();
    const schedule = await createSchedule(secret, { overlap: 'queue', target: { type: 'crawl', url: site.start, maxPages: 10, maxDepth: 2, format: 'text' } });
    let clock = at(schedule.nextRunAt, -30_000);
    const racers = await Promise.all([0, 1, 2].map(() => startTestWorker(env.database.url, { scheduler: { intervalMs: 20, now: () => clock } })));
    try {
      // Through three minutes in 10-second steps; after each, every worker makes a pass that saw it.
      for (let step = 0; step <= 20; step += 1) {
        clock = at(schedule.nextRunAt, -30_000 + step * 10_000);
        for (let pass = 0; pass < 2; pass += 1) await Promise.all(racers.map((worker) => worker.scheduler.tick()));
      }
    } finally {
      // Their clocks stay where the loop left them: stopped, they run no later test's schedules.
      await Promise.all(racers.map((worker) => worker.stop()));
    }
    const runs = await runsOf(schedule.id, secret);
    expect(runs.map((run) => run.scheduledFor).reverse()).toEqual([0, 1, 2].map((n) => at(schedule.nextRunAt, n * minute).toISOString()));
    expect(runs.every((run) => run.outcome === 'created' && run.crawlId)).toBe(true);
    const crawls = await env.database.client`SELECT id FROM crawls WHERE schedule_id = ${schedule.id}`;
    expect(new Set(crawls.map((crawl) => crawl.id))).toEqual(new Set(runs.map((run) => run.crawlId)));

    for (const run of runs) {
      const crawl = await waitForCrawl(run.crawlId!, secret);
      expect(crawl.progress).toMatchObject({ pages: 3, done: 3, failed: 0 });
      const pages = await env.database.client`SELECT url FROM jobs WHERE crawl_id = ${run.crawlId}`;
      expect(pages.map((page) => page.url).sort()).toEqual([site.start, site.urlOf('a'), site.urlOf('b')].sort());
    }
  });

  it('tracks changes per URL across three scheduled crawls: new, then same, then changed for the edited page', async () => {
    await env.startWorker();
    const { secret } = await createTestAccount(env.database.db, { credits: 100 });
    const site = editableSite();
    const schedule = await createSchedule(secret, { target: { type: 'crawl', url: site.start, maxPages: 10, maxDepth: 2, format: 'markdown', trackChanges: true } });
    const changesOfRun = async (n: number) => {
      await trigger(at(schedule.nextRunAt, n * minute + 1000));
      const [run] = await runsOf(schedule.id, secret);
      expect(run).toMatchObject({ outcome: 'created', scheduledFor: at(schedule.nextRunAt, n * minute).toISOString() });
      await waitForCrawl(run.crawlId!, secret);
      const pages = await env.database.client`SELECT id, url FROM jobs WHERE crawl_id = ${run.crawlId}`;
      const changes = new Map<string, { status: string; previousJobId: string | null; series: string; diff: string | null }>();
      for (const page of pages) changes.set(page.url, (await api('GET', `/api/v1/jobs/${page.id}`, { key: secret })).body.change);
      return { changes, jobIds: new Map(pages.map((page) => [page.url as string, page.id as string])) };
    };

    const first = await changesOfRun(0);
    expect([...first.changes.values()].map((change) => change.status)).toEqual(['new', 'new', 'new']);
    expect(first.changes.get(site.start)).toMatchObject({ series: `schedule:${schedule.id}`, previousJobId: null });

    const second = await changesOfRun(1);
    for (const [url, change] of second.changes) expect(change, url).toMatchObject({ status: 'same', previousJobId: first.jobIds.get(url) });

    site.edit('a', 'Price: $12');
    const third = await changesOfRun(2);
    expect(third.changes.get(site.urlOf('a'))).toMatchObject({ status: 'changed', previousJobId: second.jobIds.get(site.urlOf('a')) });
    expect(third.changes.get(site.urlOf('a'))!.diff).toContain('-Price: $10');
    expect(third.changes.get(site.urlOf('a'))!.diff).toContain('+Price: $12');
    expect(third.changes.get(site.start)).toMatchObject({ status: 'same' });
    expect(third.changes.get(site.urlOf('b'))).toMatchObject({ status: 'same' });
  });
});

describe('a job schedule with extraction rules', () => {
  it('yields `extracted` on every run, and EXTRACTION_FAILED naming the field once the page lacks it', async () => {
    await env.startWorker();
    const { secret } = await createTestAccount(env.database.db, { credits: 100 });
    const id = randomUUID();
    const page = (price: string) => `<html><body><h1 class="title">Lamp</h1>${price}<ul><li class="tag">home</li><li class="tag">light</li></ul></body></html>`;
    env.fixture.setEditable(id, { body: page('<span class="price">$10</span>') });
    const schedule = await createSchedule(secret, {
      target: { type: 'job', url: `${env.fixture.url}/editable?id=${id}`, extract: { title: 'h1.title', price: '.price', tags: { selector: '.tag', multiple: true } } },
    });
    const runJob = async (n: number) => {
      await trigger(at(schedule.nextRunAt, n * minute + 1000));
      const [run] = await runsOf(schedule.id, secret);
      expect(run).toMatchObject({ outcome: 'created', jobId: expect.any(String) });
      return waitForStatus(run.jobId!, secret, ['completed', 'failed']);
    };

    const first = await runJob(0);
    expect(first).toMatchObject({ status: 'completed', extracted: { title: 'Lamp', price: '$10', tags: ['home', 'light'] } });
    env.fixture.setEditable(id, { body: page('<span class="price">$11</span>') });
    const second = await runJob(1);
    expect(second).toMatchObject({ status: 'completed', extracted: { title: 'Lamp', price: '$11', tags: ['home', 'light'] } });

    env.fixture.setEditable(id, { body: page('') });
    const third = await runJob(2);
    expect(third.status).toBe('failed');
    expect(third.extracted).toBeNull();
    expect(third.error).toMatchObject({ type: 'EXTRACTION_FAILED', message: expect.stringContaining('"price"') });
    expect((await runsOf(schedule.id, secret)).map((run) => run.outcome)).toEqual(['created', 'created', 'created']);
  });
});
