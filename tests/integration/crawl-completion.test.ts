import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { findCrawl, insertCrawlJobs } from '@/db/queries/crawls';
import { claimJob } from '@/db/queries/jobs';
import { getProducerBoss } from '@/lib/server/queue';
import { createTestAccount } from '@/tests/helpers/accounts';
import { api } from '@/tests/helpers/api';
import { useJobsEnvironment } from '@/tests/helpers/environment';
import { finishCrawlPage } from '@/workers/crawl/finish-page';

// The pages of a crawl that find nothing new end without the crawl row's lock, side by side
// (workers/crawl/finish-page.ts). Whichever of them ends last must still complete the crawl, at
// once and once, however they interleave: no worker (so no sweeper to catch a missed completion).

const env = useJobsEnvironment({}, { worker: false });
process.env.EGRESS_ALLOWLIST = '127.0.0.1/32';

describe('crawl completion', () => {
  it('pages ending at the same moment complete their crawl exactly once, with one crawl.completed', async () => {
    const { secret } = await createTestAccount(env.database.db, { credits: 10_000 });
    const boss = await getProducerBoss();
    for (let round = 0; round < 5; round++) {
      const { status, body } = await api('POST', '/api/v1/crawls', { key: secret, body: { url: `${env.fixture.url}/site/`, maxPages: 50 } });
      expect(status).toBe(202);
      const crawl = (await findCrawl(env.database.db, body.id))!;
      // The start page plus 15 more, all running at once under one worker id.
      const extra = Array.from({ length: 15 }, (_, i) => ({ id: randomUUID(), url: `${env.fixture.url}/site/p${round}-${i}`, depth: 1 }));
      const start = (await env.database.client`SELECT id FROM jobs WHERE crawl_id = ${crawl.id}`)[0].id as string;
      // Free pages (a test key's) settle on no account row, so nothing but the completion check's
      // own turn-taking orders their ends.
      await insertCrawlJobs(env.database.db, { crawl, jobs: extra, maxAttempts: 1, creditCost: 0, isTest: true });
      const pages = [];
      for (const id of [start, ...extra.map((p) => p.id)]) pages.push((await claimJob(env.database.db, { id, workerId: 'w', leaseSeconds: 60 }))!);

      const ends = await Promise.all(
        pages.map((job) =>
          finishCrawlPage(env.database.db, {
            job,
            plan: null,
            boss,
            end: { job, workerId: 'w', to: 'completed', attempt: 1, results: [], logs: [] },
          }),
        ),
      );
      expect(ends.map((end) => end?.creditsCharged)).toEqual([1, ...extra.map(() => 0)]);
      const [row] = await env.database.client`SELECT completed_at FROM crawls WHERE id = ${crawl.id}`;
      expect(row.completed_at, `round ${round}: the crawl completed by its last page`).not.toBeNull();
      const events = await env.database.client`SELECT count(*)::int AS n FROM webhook_outbox WHERE crawl_id = ${crawl.id} AND event = 'crawl.completed'`;
      expect(events[0].n).toBe(1);
      const states = await env.database.client`SELECT status, count(*)::int AS n FROM jobs WHERE crawl_id = ${crawl.id} GROUP BY status`;
      expect(states).toEqual([{ status: 'completed', n: pages.length }]);
    }
  });
});
