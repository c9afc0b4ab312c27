import { describe, expect, it } from 'vitest';
import { advanceQueueWarnings } from '@/db/queries/jobs';
import { expireStaleJobs } from '@/lib/server/jobs/expire';
import { createTestAccount } from '@/tests/helpers/accounts';
import { api } from '@/tests/helpers/api';
import { useJobsEnvironment } from '@/tests/helpers/environment';
import { waitFor } from '@/tests/helpers/worker';

// A crawl page spaced by the politeness delay is scheduled, not late: its queue wait (expiry after
// the maximum wait, the 30-second wait warnings, the queue's oldest wait) counts from its
// scheduled start, stored on the job as notBefore.

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
});
