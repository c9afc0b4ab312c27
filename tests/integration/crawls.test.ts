import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { crawlPageListSchema, crawlSchema } from '@/lib/schemas/crawls';
import { crawlSitePages, crawlSiteMaxInFlight, resetCrawlSite } from '@/tests/fixtures/crawl-site';
import { createTestAccount } from '@/tests/helpers/accounts';
import { api } from '@/tests/helpers/api';
import { useWebhookReceiver } from '@/tests/helpers/webhook-receiver';
import { useJobsEnvironment } from '@/tests/helpers/environment';
import { startTestWorker, waitFor } from '@/tests/helpers/worker';
import type { RunningWorker } from '@/workers/worker';

// Crawls on the local fixture site (tests/fixtures/crawl-site.ts: 199 pages with cycles, robots
// rules, a sitemap, an off-host link and slow pages), run by three real workers sharing the queue.

vi.mock('@/lib/server/session', () => import('@/tests/helpers/session'));
process.env.EGRESS_ALLOWLIST = '127.0.0.1/32';

const workerOptions = { WEBHOOK_RETRY_DELAY_SECONDS: 0, WEBHOOK_RETRY_LIMIT: 1, webhookPollIntervalMs: 300 };
const env = useJobsEnvironment(workerOptions, { worker: false });
const extraWorkers: RunningWorker[] = [];
const hooks = useWebhookReceiver();
const received = hooks.received;

beforeAll(async () => {
  await env.startWorker();
  for (let i = 0; i < 2; i++) extraWorkers.push(await startTestWorker(env.database.url, workerOptions));
});
afterAll(async () => {
  await Promise.all(extraWorkers.map((worker) => worker.stop()));
});

async function addEndpoint(key: string) {
  const path = `/hook-${randomUUID()}`;
  const { status } = await api('POST', '/api/v1/webhooks', { key, body: { url: `${hooks.url}${path}`, events: ['crawl.completed', 'crawl.cancelled', 'job.cancelled'] } });
  expect(status).toBe(201);
  return path;
}

const startUrl = () => `${env.fixture.url}/site/`;

async function waitForCrawl(id: string, key: string, statuses: string[], timeoutMs = 60_000) {
  return waitFor(
    async () => {
      const { body } = await api('GET', `/api/v1/crawls/${id}`, { key });
      return statuses.includes(body.status) ? body : undefined;
    },
    { timeoutMs, intervalMs: 100, what: `crawl ${id} to be ${statuses.join('/')}` },
  );
}

async function ledger(id: string, key: string, query = '') {
  const { status, body } = await api('GET', `/api/v1/crawls/${id}/pages?size=1000${query}`, { key });
  expect(status).toBe(200);
  expect(crawlPageListSchema.safeParse(body).error).toBeUndefined();
  return body.data as { url: string; depth: number; outcome: string; skipReason: string | null; jobId: string | null; errorType: string | null }[];
}

describe('crawls', () => {
  it('with three workers, finds each page of the site exactly once, honours robots, hosts and per-host concurrency, and completes with one event', async () => {
    const { secret, account } = await createTestAccount(env.database.db, { credits: 1000 });
    const hook = await addEndpoint(secret);
    env.fixture.reset();
    resetCrawlSite();
    const created = await api('POST', '/api/v1/crawls', {
      key: secret,
      body: { url: startUrl(), maxPages: 500, maxDepth: 10, sitemap: true, concurrencyPerHost: 3, format: 'text', name: 'Site crawl' },
    });
    expect(created.status).toBe(202);
    expect(crawlSchema.safeParse(created.body).error).toBeUndefined();
    const id = created.body.id as string;
    expect(created.headers.get('location')).toBe(`/api/v1/crawls/${id}`);

    const done = await waitForCrawl(id, secret, ['completed']);
    expect(done.progress).toMatchObject({ pages: crawlSitePages, done: crawlSitePages, failed: 0, queued: 0, processing: 0 });
    expect(done.skipReasons).toMatchObject({ robots: 2, other_host: 1 });
    expect(done.creditsCharged).toBe(crawlSitePages);
    expect(done.creditsReserved).toBe(0);

    // Each page once: one job per URL, one request per page at the site, whatever the links' spelling.
    const jobs = await env.database.client`SELECT url, status FROM jobs WHERE crawl_id = ${id}`;
    expect(jobs).toHaveLength(crawlSitePages);
    expect(new Set(jobs.map((job) => job.url)).size).toBe(crawlSitePages);
    for (const path of ['/site', '/site/section/1', '/site/section/4/item/17', '/site/slow/2', '/site/orphan/3']) expect(env.fixture.hits(path)).toBe(1);
    expect(env.fixture.hits('/site/private/secret')).toBe(0);
    // The three workers shared the pages, and the host's limit (3) held across them.
    const workers = await env.database.client`SELECT count(DISTINCT l.metadata->>'workerId')::int AS n FROM job_logs l JOIN jobs j ON j.id = l.job_id WHERE j.crawl_id = ${id} AND l.message = 'Worker picked up job'`;
    expect(workers[0].n).toBeGreaterThan(1);
    expect(crawlSiteMaxInFlight()).toBeGreaterThan(1);
    expect(crawlSiteMaxInFlight()).toBeLessThanOrEqual(3);

    // The ledger: every URL with its depth and outcome, filterable, exportable.
    const pages = await ledger(id, secret);
    expect(pages.find((p) => p.url.endsWith('/site'))).toMatchObject({ depth: 0, outcome: 'completed' });
    expect(pages.find((p) => p.url.endsWith('/site/orphan/0'))).toMatchObject({ depth: 1, outcome: 'completed' });
    expect(pages.find((p) => p.url.endsWith('/site/section/3/item/5'))).toMatchObject({ depth: 2, outcome: 'completed' });
    expect(pages.find((p) => p.url === 'http://external.invalid/page')).toMatchObject({ outcome: 'skipped', skipReason: 'other_host', jobId: null });
    const robots = await ledger(id, secret, '&outcome=skipped&reason=robots');
    expect(robots.map((p) => new URL(p.url).pathname).sort()).toEqual(['/site/private/other', '/site/private/secret']);
    const csv = await api('GET', `/api/v1/crawls/${id}/pages?format=csv`, { key: secret });
    expect(csv.headers.get('content-type')).toContain('text/csv');
    expect((csv.body as string).trim().split('\r\n')).toHaveLength(1 + crawlSitePages + 3);

    // Its pages are ordinary jobs: listed by crawl and charged one by one.
    const listed = await api('GET', `/api/v1/jobs?crawl=${id}&size=25`, { key: secret });
    expect(listed.body.total).toBe(crawlSitePages);
    const [balance] = await env.database.client`SELECT credits, reserved_credits FROM accounts WHERE id = ${account.id}`;
    expect(balance).toEqual({ credits: 1000 - crawlSitePages, reserved_credits: 0 });

    await waitFor(async () => received.some((r) => r.path === hook), { what: 'crawl.completed' });
    await new Promise((resolve) => setTimeout(resolve, 500));
    const events = received.filter((r) => r.path === hook).map((r) => r.body);
    expect(events.map((e) => e.type)).toEqual(['crawl.completed']);
    expect(events[0].data).toMatchObject({ id, status: 'completed' });
  });

  it('holds a host to its concurrencyPerHost across three workers, each page run once and never bounced into a failure', async () => {
    const { secret } = await createTestAccount(env.database.db, { credits: 1000 });
    resetCrawlSite();
    // 40 pages of 150 ms, all queued at once when the home page ends: every page that ends frees
    // a slot and wakes every worker's fetch at the same moment. pg-boss's group limit alone let
    // two of them take the same slot (3 in flight); the claim holds the host to 2.
    const wide = 40;
    const home = `/site/wide/${wide}/150`;
    const created = await api('POST', '/api/v1/crawls', { key: secret, body: { url: `${env.fixture.url}${home}/`, maxPages: 100, concurrencyPerHost: 2 } });
    expect(created.status).toBe(202);
    const id = created.body.id as string;

    const done = await waitForCrawl(id, secret, ['completed']);
    expect(done.progress).toMatchObject({ pages: wide + 1, done: wide + 1, failed: 0 });
    // What the site saw: two requests at a time at most, and two reached.
    expect(crawlSiteMaxInFlight()).toBe(2);
    for (let i = 0; i < wide; i++) expect(env.fixture.hits(`${home}/page/${i}`)).toBe(1);
    const runs = await env.database.client`
      SELECT j.status, j.attempts, count(a.*)::int AS tries,
        count(DISTINCT l.metadata->>'workerId') FILTER (WHERE l.message = 'Worker picked up job')::int AS pickups,
        count(l.*) FILTER (WHERE l.level IN ('WARN', 'ERROR'))::int AS warnings
      FROM jobs j LEFT JOIN job_attempts a ON a.job_id = j.id LEFT JOIN job_logs l ON l.job_id = j.id
      WHERE j.crawl_id = ${id} GROUP BY j.id`;
    expect(runs).toHaveLength(wide + 1);
    expect(runs.filter((r) => r.status !== 'completed' || r.attempts !== 1 || r.pickups !== 1 || r.warnings !== 0)).toEqual([]);
    const [workers] = await env.database.client`SELECT count(DISTINCT l.metadata->>'workerId')::int AS n FROM job_logs l JOIN jobs j ON j.id = l.job_id WHERE j.crawl_id = ${id} AND l.message = 'Worker picked up job'`;
    expect(workers.n).toBeGreaterThan(1);
  });

  it('respects maxPages, maxDepth and the include and exclude patterns, each skipped URL with its reason', async () => {
    const { secret } = await createTestAccount(env.database.db, { credits: 1000 });
    const created = await api('POST', '/api/v1/crawls', {
      key: secret,
      body: { url: startUrl(), maxPages: 12, maxDepth: 2, include: ['/site', '/site/section/*', '/site/section/*/item/*'], exclude: ['/site/section/9'] },
    });
    const id = created.body.id as string;
    const done = await waitForCrawl(id, secret, ['completed']);
    expect(done.progress.pages).toBe(12);
    expect(done.progress.done).toBe(12);
    expect(done.skipReasons).toMatchObject({ pattern: expect.any(Number), limit: expect.any(Number) });
    const pages = await ledger(id, secret);
    const fetched = pages.filter((p) => p.jobId);
    expect(fetched).toHaveLength(12);
    expect(Math.max(...fetched.map((p) => p.depth))).toBeLessThanOrEqual(2);
    expect(pages.find((p) => p.url.endsWith('/site/section/9'))).toMatchObject({ skipReason: 'pattern' });
    expect(pages.find((p) => p.url.endsWith('/site/slow/0'))).toMatchObject({ skipReason: 'pattern' });
    const [{ n }] = await env.database.client`SELECT count(*)::int AS n FROM jobs WHERE crawl_id = ${id}`;
    expect(n).toBe(12);

    const shallow = await api('POST', '/api/v1/crawls', { key: secret, body: { url: startUrl(), maxPages: 500, maxDepth: 0 } });
    const finished = await waitForCrawl(shallow.body.id, secret, ['completed']);
    expect(finished.progress.pages).toBe(1);
    expect(finished.skipReasons.depth).toBeGreaterThan(10);
  });

  it('cancel mid-crawl cancels every unfinished page at once and sends one crawl.cancelled event', async () => {
    const { secret, account } = await createTestAccount(env.database.db, { credits: 1000 });
    const hook = await addEndpoint(secret);
    // Spaced pages (politeness delay), so most are still queued when the cancel comes.
    const created = await api('POST', '/api/v1/crawls', { key: secret, body: { url: startUrl(), maxPages: 300, delayMs: 150 } });
    const id = created.body.id as string;
    await waitFor(async () => {
      const { body } = await api('GET', `/api/v1/crawls/${id}`, { key: secret });
      return body.progress.done >= 3 && body.progress.queued > 10 ? body : undefined;
    }, { timeoutMs: 30_000, what: 'the crawl to be under way' });

    const cancelled = await api('POST', `/api/v1/crawls/${id}/cancel`, { key: secret });
    expect(cancelled.status).toBe(200);
    expect(cancelled.body).toMatchObject({ status: 'cancelled', progress: { queued: 0, processing: 0 } });
    const [active] = await env.database.client`SELECT count(*)::int AS n FROM jobs WHERE crawl_id = ${id} AND status IN ('queued', 'processing')`;
    expect(active.n).toBe(0);
    // Nothing more is discovered or run afterwards.
    const before = (await env.database.client`SELECT count(*)::int AS n FROM jobs WHERE crawl_id = ${id}`)[0].n;
    await new Promise((resolve) => setTimeout(resolve, 800));
    const after = await env.database.client`SELECT count(*)::int AS n, count(*) FILTER (WHERE status IN ('queued', 'processing'))::int AS active FROM jobs WHERE crawl_id = ${id}`;
    expect(after[0]).toEqual({ n: before, active: 0 });
    const [queue] = await env.database.client`SELECT count(*)::int AS n FROM pgboss.job WHERE data->>'jobId' IN (SELECT id::text FROM jobs WHERE crawl_id = ${id}) AND state IN ('created', 'active', 'retry')`;
    expect(queue.n).toBe(0);
    const [balance] = await env.database.client`SELECT reserved_credits FROM accounts WHERE id = ${account.id}`;
    expect(balance.reserved_credits).toBe(0);

    await waitFor(async () => received.some((r) => r.path === hook), { what: 'crawl.cancelled' });
    await new Promise((resolve) => setTimeout(resolve, 800));
    const events = received.filter((r) => r.path === hook).map((r) => r.body.type);
    expect(events).toEqual(['crawl.cancelled']);
    expect((await api('POST', `/api/v1/crawls/${id}/cancel`, { key: secret })).status).toBe(409);
  });

  it('map mode lists the URLs found, fetching with the HTTP engine at one credit a page and storing no content', async () => {
    const { secret } = await createTestAccount(env.database.db, { credits: 1000 });
    const created = await api('POST', '/api/v1/crawls', { key: secret, body: { url: startUrl(), maxPages: 30, mode: 'map', engine: 'browser' } });
    expect(created.body).toMatchObject({ mode: 'map', engine: 'http' });
    const id = created.body.id as string;
    const done = await waitForCrawl(id, secret, ['completed']);
    expect(done.progress.pages).toBe(30);
    expect(done.creditsCharged).toBe(30);
    const pages = await ledger(id, secret);
    expect(pages.length).toBeGreaterThan(30);
    expect(pages.filter((p) => p.outcome === 'completed')).toHaveLength(30);
    const [stored] = await env.database.client`SELECT count(*)::int AS n FROM job_results r JOIN jobs j ON j.id = r.job_id WHERE j.crawl_id = ${id}`;
    expect(stored.n).toBe(0);
  });

  it('stops with a clear reason when the balance runs out, never reserving beyond it', async () => {
    const { secret, account } = await createTestAccount(env.database.db, { credits: 8 });
    const created = await api('POST', '/api/v1/crawls', { key: secret, body: { url: startUrl(), maxPages: 100 } });
    const id = created.body.id as string;
    const done = await waitForCrawl(id, secret, ['completed']);
    expect(done.stopReason).toMatch(/Credits ran out/);
    expect(done.progress.pages).toBe(8);
    expect(done.skipReasons.credits).toBeGreaterThan(0);
    const [balance] = await env.database.client`SELECT credits, reserved_credits FROM accounts WHERE id = ${account.id}`;
    expect(balance).toEqual({ credits: 0, reserved_credits: 0 });
    const pages = await ledger(id, secret, '&reason=credits');
    expect(pages.length).toBe(done.skipReasons.credits);
  });

  it('refuses invalid requests with 400s naming the field, and a balance short of the first page with 402', async () => {
    const { secret } = await createTestAccount(env.database.db, { credits: 0 });
    const cases: [Record<string, unknown>, string][] = [
      [{ url: startUrl() }, 'maxPages'],
      [{ url: startUrl(), maxPages: 10_001 }, 'maxPages'],
      [{ url: 'ftp://example.com/', maxPages: 10 }, 'url'],
      [{ url: startUrl(), maxPages: 10, concurrencyPerHost: 0 }, 'concurrencyPerHost'],
      [{ url: startUrl(), maxPages: 10, mode: 'spider' }, 'mode'],
      [{ url: startUrl(), maxPages: 10, include: [''] }, 'include.0'],
      [{ url: startUrl(), maxPages: 10, delayMs: -1 }, 'delayMs'],
    ];
    for (const [body, field] of cases) {
      const reply = await api('POST', '/api/v1/crawls', { key: secret, body });
      expect(reply.status, JSON.stringify(body)).toBe(400);
      expect(reply.body.error.details.fields.map((f: { field: string }) => f.field)).toContain(field);
    }
    const broke = await api('POST', '/api/v1/crawls', { key: secret, body: { url: startUrl(), maxPages: 10 } });
    expect(broke.status).toBe(402);
    expect((await api('GET', '/api/v1/crawls', { key: secret })).body.total).toBe(0);
  });
});
