import { afterAll, describe, expect, it } from 'vitest';
import { queueNames } from '@/lib/queue';
import { getProducerBoss } from '@/lib/server/queue';
import { createTestAccount } from '@/tests/helpers/accounts';
import { api } from '@/tests/helpers/api';
import { useJobsEnvironment } from '@/tests/helpers/environment';
import { startTestWorker, waitFor } from '@/tests/helpers/worker';
import { spawnWorkerProcess, type WorkerProcess } from '@/tests/helpers/worker-process';
import { recoverLostJobs, recoverOrphanedDeliveries } from '@/workers/sweeper';

// A crawl page sent to the queue again keeps its host's group and tier, whatever sends it: a
// worker shutting down, the recovery of a killed worker's page, an orphaned delivery. Without
// them the page would run outside its host's concurrencyPerHost.

const env = useJobsEnvironment({}, { worker: false });
const spawned: WorkerProcess[] = [];
afterAll(() => {
  for (const { child } of spawned) if (child.exitCode === null) child.kill('SIGKILL');
});

/** A crawl of one slow page (the fixture's /slow never links anywhere): its page job's id and the group its deliveries belong to. */
async function crawlOneSlowPage(secret: string, { ms, concurrencyPerHost }: { ms: number; concurrencyPerHost: number }) {
  const created = await api('POST', '/api/v1/crawls', { key: secret, body: { url: `${env.fixture.url}/slow?ms=${ms}`, maxPages: 5, concurrencyPerHost, timeoutMs: 60_000 } });
  expect(created.status).toBe(202);
  const crawlId = created.body.id as string;
  const [page] = await env.database.client`SELECT id FROM jobs WHERE crawl_id = ${crawlId}`;
  return { crawlId, pageId: page.id as string, group: { group_id: `${crawlId}:${new URL(env.fixture.url).host}`, group_tier: `c${concurrencyPerHost}` } };
}

const deliveries = (jobId: string) =>
  env.database.client`SELECT id::text, state, group_id, group_tier FROM pgboss.job WHERE data->>'jobId' = ${jobId} ORDER BY created_on, id`;

const pageState = async (id: string) => (await env.database.client`SELECT status, attempts FROM jobs WHERE id = ${id}`)[0];

/** The crawl once it has completed, as the API shows it. */
async function completedCrawl(crawlId: string, secret: string) {
  const { body } = await waitFor(async () => {
    const reply = await api('GET', `/api/v1/crawls/${crawlId}`, { key: secret });
    return reply.body.status === 'completed' ? reply : undefined;
  }, { timeoutMs: 30_000, what: 'the crawl to complete' });
  return body;
}

describe('crawl pages sent again', () => {
  it('an orphaned delivery (fetched, never claimed) is sent again in its group', async () => {
    const { secret } = await createTestAccount(env.database.db, { credits: 10 });
    const { crawlId, pageId, group } = await crawlOneSlowPage(secret, { ms: 10, concurrencyPerHost: 4 });
    // A worker fetches the delivery and dies before its claim: the delivery is active, the job queued.
    const boss = await getProducerBoss();
    const [fetched] = await boss.fetch(queueNames.http);
    expect(fetched.data).toEqual({ jobId: pageId });

    expect(await recoverOrphanedDeliveries(env.database.db, boss, { afterSeconds: 0 })).toBe(1);
    const sent = await deliveries(pageId);
    expect(sent).toEqual([
      { id: fetched.id, state: 'failed', ...group },
      { id: expect.any(String), state: 'created', ...group },
    ]);
    expect(await pageState(pageId)).toEqual({ status: 'queued', attempts: 0 });
    await api('POST', `/api/v1/crawls/${crawlId}/cancel`, { key: secret });
  });

  it('a page handed back by a worker shutting down is sent again in its group and tier', async () => {
    const { secret } = await createTestAccount(env.database.db, { credits: 10 });
    const worker = await startTestWorker(env.database.url, { WORKER_SHUTDOWN_GRACE_SECONDS: 0.5 });
    const { crawlId, pageId, group } = await crawlOneSlowPage(secret, { ms: 20_000, concurrencyPerHost: 3 });
    await waitFor(async () => (await pageState(pageId)).status === 'processing', { what: 'the page to be processing' });
    await worker.stop();

    expect(await pageState(pageId)).toEqual({ status: 'queued', attempts: 0 });
    const sent = await deliveries(pageId);
    expect(sent).toEqual([
      { id: pageId, state: 'completed', ...group },
      { id: expect.any(String), state: 'created', ...group },
    ]);
    await api('POST', `/api/v1/crawls/${crawlId}/cancel`, { key: secret });
  });

  it("a killed worker's page is recovered in its group, and its dead delivery no longer holds the host's one slot", async () => {
    const { secret } = await createTestAccount(env.database.db, { credits: 10 });
    const doomed = await spawnWorkerProcess(env.database, { JOB_LEASE_SECONDS: '2' });
    spawned.push(doomed);
    const { crawlId, pageId, group } = await crawlOneSlowPage(secret, { ms: 3000, concurrencyPerHost: 1 });
    await waitFor(async () => (await pageState(pageId)).status === 'processing', { what: 'the page to be processing' });
    doomed.child.kill('SIGKILL');
    await doomed.exited;

    // pg-boss would keep the killed worker's delivery active for an hour, and the host allows one
    // page at a time: the recovered page runs within seconds only because the lost-job recovery
    // fails that delivery as it sends the new one.
    const survivor = await startTestWorker(env.database.url, { JOB_LEASE_SECONDS: 2 });
    try {
      const crawl = await completedCrawl(crawlId, secret);
      expect(crawl.progress).toMatchObject({ pages: 1, done: 1, failed: 0 });
      expect(await pageState(pageId)).toEqual({ status: 'completed', attempts: 2 });
      const sent = await deliveries(pageId);
      expect(sent).toEqual([
        { id: pageId, state: 'failed', ...group },
        { id: expect.any(String), state: 'completed', ...group },
      ]);
    } finally {
      await survivor.stop();
    }
  });

  it("a killed worker's deliveries are failed when its pages are recovered, and the host's pages each complete once", async () => {
    const { secret } = await createTestAccount(env.database.db, { credits: 10 });
    const doomed = await spawnWorkerProcess(env.database, { JOB_LEASE_SECONDS: '2' });
    spawned.push(doomed);
    // A home page and 2 slow pages of one host, both running on the doomed worker.
    const created = await api('POST', '/api/v1/crawls', { key: secret, body: { url: `${env.fixture.url}/site/wide/2/4000/`, maxPages: 5, concurrencyPerHost: 2, timeoutMs: 60_000 } });
    expect(created.status).toBe(202);
    const crawlId = created.body.id as string;
    const slowPages = async () => env.database.client`SELECT id, status FROM jobs WHERE crawl_id = ${crawlId} AND url LIKE '%/page/%' ORDER BY url`;
    await waitFor(async () => (await slowPages()).filter((page) => page.status === 'processing').length === 2, { what: 'both slow pages to be processing' });
    doomed.child.kill('SIGKILL');
    await doomed.exited;
    const pageIds = (await slowPages()).map((page) => page.id as string);
    await waitFor(async () => (await env.database.client`SELECT 1 FROM jobs WHERE id IN ${env.database.client(pageIds)} AND lease_expires_at < now()`).length === 2, {
      what: 'the leases to lapse',
    });

    // The recovery alone, before any orphan sweep: each page's dead delivery is failed at once
    // (pg-boss would keep it active for an hour, holding one of the host's 2 slots), its new one waits.
    const boss = await getProducerBoss();
    expect(await recoverLostJobs(env.database.db, boss)).toBe(2);
    const group = { group_id: `${crawlId}:${new URL(env.fixture.url).host}`, group_tier: 'c2' };
    for (const pageId of pageIds) {
      expect(await deliveries(pageId)).toEqual([
        { id: pageId, state: 'failed', ...group },
        { id: expect.any(String), state: 'created', ...group },
      ]);
    }

    const survivor = await startTestWorker(env.database.url, { JOB_LEASE_SECONDS: 2 });
    try {
      const crawl = await completedCrawl(crawlId, secret);
      expect(crawl.progress).toMatchObject({ pages: 3, done: 3, failed: 0 });
      for (const pageId of pageIds) {
        expect(await pageState(pageId)).toEqual({ status: 'completed', attempts: 2 });
        const attempts = await env.database.client`SELECT outcome FROM job_attempts WHERE job_id = ${pageId} ORDER BY attempt`;
        expect(attempts.map((a) => a.outcome)).toEqual(['lost', 'completed']);
        expect((await deliveries(pageId)).map((d) => d.state)).toEqual(['failed', 'completed']);
      }
    } finally {
      await survivor.stop();
    }
  });
});
