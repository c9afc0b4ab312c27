import { describe, expect, it } from 'vitest';
import { advanceQueueWarnings } from '@/db/queries/jobs';
import { expireStaleJobs } from '@/lib/server/jobs/expire';
import { createTestAccount } from '@/tests/helpers/accounts';
import { api } from '@/tests/helpers/api';
import { useJobsEnvironment } from '@/tests/helpers/environment';
import { startTestWorker, waitFor } from '@/tests/helpers/worker';

// A crawl page spaced by the politeness delay is scheduled, not late: its queue wait (expiry after
// the maximum wait, the 30-second wait warnings, the queue's oldest wait) counts from its
// scheduled start, stored on the job as notBefore. And the delay is a gap between the real starts
// of a host's pages, however late the pages' deliveries are fetched.

const env = useJobsEnvironment({}, { worker: false });
const maxWaitSeconds = 300;

describe('crawl pages spaced by the politeness delay', () => {
  it('wait from their scheduled start: not expired before it however old, expired once the maximum wait has passed after it', async () => {
    const { secret } = await createTestAccount(env.database.db, { credits: 100 });
    const worker = await env.startWorker();
    // A home page with 6 links, 10 s apart: the last starts a minute after it was discovered.
    const created = await api('POST', '/api/v1/crawls', { key: secret, body: { url: `${env.fixture.url}/site/wide/6/5/`, maxPages: 10, delayMs: 10_000 } });
    expect(created.status).toBe(202);
    const crawlId = created.body.id as string;
    await waitFor(async () => (await env.database.client`SELECT 1 FROM jobs WHERE crawl_id = ${crawlId} AND not_before IS NOT NULL`).length === 6, {
      what: 'the home page to discover its 6 pages',
    });
    await worker.stop();

    // Each page's start is its delivery's startAfter, 10 s after the previous one.
    const pages = (
      await env.database.client`
        SELECT j.id, j.not_before, q.start_after FROM jobs j JOIN pgboss.job q ON q.id = j.id
        WHERE j.crawl_id = ${crawlId} AND j.not_before IS NOT NULL ORDER BY j.not_before`
    ).map((row) => ({ id: row.id as string, notBefore: new Date(row.not_before), startAfter: new Date(row.start_after) }));
    expect(pages).toHaveLength(6);
    for (const [i, page] of pages.entries()) {
      expect(page.notBefore.getTime()).toBe(page.startAfter.getTime());
      if (i > 0) expect(page.notBefore.getTime() - pages[i - 1].notBefore.getTime()).toBe(10_000);
    }
    const later = pages.filter((p) => p.notBefore.getTime() > Date.now() + 5_000);
    expect(later.length).toBeGreaterThanOrEqual(4);
    const ids = later.map((p) => p.id);

    // Created an hour ago, due later: none of them has waited, so none expires or warns.
    await env.database.client`UPDATE jobs SET created_at = created_at - interval '1 hour' WHERE id IN ${env.database.client(ids)}`;
    await expireStaleJobs(env.database.db, { maxWaitSeconds });
    expect((await advanceQueueWarnings(env.database.db)).filter((row) => ids.includes(row.id))).toEqual([]);
    for (const id of ids) {
      const { body: job } = await api('GET', `/api/v1/jobs/${id}`, { key: secret });
      expect(job).toMatchObject({ status: 'queued', notBefore: later.find((p) => p.id === id)!.notBefore.toISOString() });
    }
    const { body: queue } = await api('GET', '/api/v1/stats/queue', { key: secret });
    expect(queue.engines.find((e: { engine: string }) => e.engine === 'http').oldestQueuedAgeSeconds).toBeLessThan(60);

    // The stale scan is a range scan of the queued jobs' index on the wait's start.
    const plan = await env.database.client.begin(async (tx) => {
      await tx`SET LOCAL enable_seqscan = off`;
      return tx.unsafe(`EXPLAIN SELECT id FROM jobs WHERE status = 'queued' AND started_at IS NULL
        AND coalesce(not_before, created_at) < now() - make_interval(secs => 300) LIMIT 500`);
    });
    const planText = plan.map((row) => row['QUERY PLAN']).join('\n');
    expect(planText).toMatch(/Index (Only )?Scan using jobs_queued_idx/);
    expect(planText).toMatch(/Index Cond: \(COALESCE\(not_before, created_at\) </);

    // One page whose start passed more than the maximum wait ago has waited too long: it expires,
    // with the wait counted from its start.
    const [late, ...onTime] = ids;
    await env.database.client`UPDATE jobs SET not_before = now() - interval '301 seconds' WHERE id = ${late}`;
    expect(await expireStaleJobs(env.database.db, { maxWaitSeconds })).toBe(1);
    const states = await env.database.client`SELECT id, status FROM jobs WHERE id IN ${env.database.client(ids)}`;
    expect(Object.fromEntries(states.map((s) => [s.id, s.status]))).toEqual(Object.fromEntries([[late, 'expired'], ...onTime.map((id) => [id, 'queued'])]));
    const logs = (await api('GET', `/api/v1/jobs/${late}/logs`, { key: secret })).body.data;
    expect(logs.at(-1)).toMatchObject({ level: 'WARN', message: expect.stringMatching(/^Job expired after waiting 5m [12]s in queue \(maximum 5m\)$/) });

    await api('POST', `/api/v1/crawls/${crawlId}/cancel`, { key: secret });
  });

  // A home page and its 6 pages on one host, 400 ms apart: pages due together (a busy worker, one
  // poll fetching several) must still start 400 ms after the previous one. Lower bounds only.
  const delayMs = 400;
  const clockToleranceMs = 2;

  async function crawlStarts({ concurrencyPerHost, workers, delay = delayMs }: { concurrencyPerHost: number; workers: number; delay?: number }) {
    const { secret } = await createTestAccount(env.database.db, { credits: 100 });
    const running = await Promise.all(Array.from({ length: workers }, () => startTestWorker(env.database.url)));
    try {
      const created = await api('POST', '/api/v1/crawls', { key: secret, body: { url: `${env.fixture.url}/site/wide/6/5/`, maxPages: 10, delayMs: delay, concurrencyPerHost } });
      expect(created.status).toBe(202);
      const crawlId = created.body.id as string;
      const { body: crawl } = await waitFor(async () => {
        const reply = await api('GET', `/api/v1/crawls/${crawlId}`, { key: secret });
        return reply.body.status === 'completed' ? reply : undefined;
      }, { timeoutMs: 45_000, what: 'the crawl to complete' });
      expect(crawl.progress).toMatchObject({ pages: 7, done: 7, failed: 0 });
      const rows = await env.database.client`SELECT started_at FROM jobs WHERE crawl_id = ${crawlId} ORDER BY started_at`;
      return rows.map((row) => new Date(row.started_at).getTime());
    } finally {
      await Promise.all(running.map((worker) => worker.stop()));
    }
  }

  /** The gaps between consecutive starts shorter than the delay (none expected). */
  const shortGaps = (starts: number[], least = delayMs) => starts.slice(1).map((start, i) => start - starts[i]).filter((gap) => gap < least - clockToleranceMs);

  it('start a host\'s pages at least the delay apart, one page at a time', async () => {
    const starts = await crawlStarts({ concurrencyPerHost: 1, workers: 1 });
    expect(starts).toHaveLength(7);
    expect(shortGaps(starts)).toEqual([]);
  });

  it('start a host\'s pages at least the delay apart with two workers and two pages at a time', async () => {
    const starts = await crawlStarts({ concurrencyPerHost: 2, workers: 2 });
    expect(starts).toHaveLength(7);
    expect(shortGaps(starts)).toEqual([]);
  });

  it("start a host's pages at least its robots.txt Crawl-delay apart without a delay of the crawl's own, from the start page on", async () => {
    env.fixture.setRobotsCrawlDelay(1);
    try {
      const starts = await crawlStarts({ concurrencyPerHost: 1, workers: 1, delay: 0 });
      expect(starts).toHaveLength(7);
      expect(shortGaps(starts, 1_000)).toEqual([]);
    } finally {
      env.fixture.setRobotsCrawlDelay(null);
    }
  });
});
