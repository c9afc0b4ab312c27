import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { findCrawl, insertCrawlJobs } from '@/db/queries/crawls';
import { enqueueCrawlPages } from '@/lib/server/crawls/queue';
import { getProducerBoss } from '@/lib/server/queue';
import { createTestAccount } from '@/tests/helpers/accounts';
import { api } from '@/tests/helpers/api';
import { useJobsEnvironment } from '@/tests/helpers/environment';
import { claimCrawlPage } from '@/workers/crawl/claim-page';

// The claim of a crawl page holds its host to concurrencyPerHost in the database, whatever pg-boss
// handed out: claims of one host take turns, and a page over the limit stays queued, uncounted,
// and goes back to the queue in its group. No worker runs: the claims are made here, at once.

const env = useJobsEnvironment({}, { worker: false });

/** A crawl of the fixture host with `pages` page jobs queued (the start page and free extra pages), as discovery would have queued them. */
async function crawlWithPages(secret: string, { pages, concurrencyPerHost, delayMs = 0 }: { pages: number; concurrencyPerHost: number; delayMs?: number }) {
  const created = await api('POST', '/api/v1/crawls', { key: secret, body: { url: `${env.fixture.url}/site/`, maxPages: 100, concurrencyPerHost, delayMs } });
  expect(created.status).toBe(202);
  const crawl = (await findCrawl(env.database.db, created.body.id))!;
  const extra = Array.from({ length: pages - 1 }, (_, i) => ({ id: randomUUID(), url: `${env.fixture.url}/site/section/${i}`, depth: 1 }));
  const boss = await getProducerBoss();
  await env.database.db.transaction(async (tx) => {
    await insertCrawlJobs(tx, { crawl, jobs: extra, maxAttempts: 3, creditCost: 0, isTest: false });
    await enqueueCrawlPages(tx, { crawl, pages: extra.map((p) => ({ jobId: p.id, url: p.url })), boss });
  });
  const ids = (await env.database.client`SELECT id FROM jobs WHERE crawl_id = ${crawl.id}`).map((row) => row.id as string);
  return { crawl, ids, groupId: `${crawl.id}:${new URL(env.fixture.url).host}` };
}

const claim = async (jobId: string, groupId: string, worker: string) =>
  claimCrawlPage({ db: env.database.db, boss: await getProducerBoss(), workerId: worker, leaseSeconds: 30 }, { jobId, groupId });

describe('claiming crawl pages', () => {
  it('claims exactly concurrencyPerHost of one host at once; the others stay queued, uncounted, and are sent again in their group', async () => {
    const { secret } = await createTestAccount(env.database.db, { credits: 100 });
    const { crawl, ids, groupId } = await crawlWithPages(secret, { pages: 10, concurrencyPerHost: 3 });

    // Ten workers claim ten pages of the host at the same moment.
    const sentAt = Date.now();
    const claimed = (await Promise.all(ids.map((id, i) => claim(id, groupId, `worker-${i}`)))).filter(Boolean);
    expect(claimed).toHaveLength(3);

    const jobs = await env.database.client`
      SELECT j.id, j.status, j.attempts, j.log_seq, (SELECT count(*)::int FROM job_attempts a WHERE a.job_id = j.id) AS tries
      FROM jobs j WHERE j.crawl_id = ${crawl.id}`;
    const waiting = jobs.filter((j) => j.status === 'queued');
    expect(jobs.filter((j) => j.status === 'processing').map((j) => j.tries)).toEqual([1, 1, 1]);
    expect(waiting).toHaveLength(7);
    // No attempt and no log entry for a page put back: it simply waits.
    expect(waiting.filter((j) => j.attempts !== 0 || j.tries !== 0 || j.log_seq !== 2)).toEqual([]);

    const resent = await env.database.client`
      SELECT data->>'jobId' AS job_id, group_id, group_tier, extract(epoch FROM start_after) * 1000 AS start_ms FROM pgboss.job
      WHERE data->>'jobId' IN ${env.database.client(waiting.map((j) => j.id as string))} AND id::text <> data->>'jobId'`;
    expect(resent.map((r) => r.job_id).sort()).toEqual(waiting.map((j) => j.id).sort());
    for (const delivery of resent) {
      expect(delivery).toMatchObject({ group_id: groupId, group_tier: 'c3' });
      expect(Number(delivery.start_ms) - sentAt).toBeGreaterThanOrEqual(250);
      expect(Number(delivery.start_ms) - sentAt).toBeLessThan(5_000);
    }

    // A page that ends frees its slot: the next claim of the host succeeds, the one after does not.
    await env.database.client`UPDATE jobs SET status = 'completed', worker_id = NULL WHERE id = ${claimed[0]!.id}`;
    expect(await claim(waiting[0].id, groupId, 'worker-a')).toMatchObject({ status: 'processing' });
    expect(await claim(waiting[1].id, groupId, 'worker-b')).toBeUndefined();

    await api('POST', `/api/v1/crawls/${crawl.id}/cancel`, { key: secret });
  });

  it("puts a page over the limit back after the crawl's politeness delay when that is longer", async () => {
    const { secret } = await createTestAccount(env.database.db, { credits: 100 });
    const { crawl, ids, groupId } = await crawlWithPages(secret, { pages: 2, concurrencyPerHost: 1, delayMs: 4_000 });
    const sentAt = Date.now();
    expect(await claim(ids[0], groupId, 'worker-a')).toBeDefined();
    expect(await claim(ids[1], groupId, 'worker-b')).toBeUndefined();
    const [resent] = await env.database.client`
      SELECT extract(epoch FROM start_after) * 1000 AS start_ms FROM pgboss.job WHERE data->>'jobId' = ${ids[1]} AND id <> ${ids[1]}::uuid`;
    expect(Number(resent.start_ms) - sentAt).toBeGreaterThanOrEqual(4_000);
    await api('POST', `/api/v1/crawls/${crawl.id}/cancel`, { key: secret });
  });
});
