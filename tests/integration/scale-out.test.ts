import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFixtureServer, type FixtureServer } from '@/tests/fixtures/server';
import { createTestAccount } from '@/tests/helpers/accounts';
import { api } from '@/tests/helpers/api';
import { createTestDatabase } from '@/tests/helpers/database';
import { waitFor } from '@/tests/helpers/worker';
import { spawnWorkerProcess, stopWorkerProcess, type WorkerProcess } from '@/tests/helpers/worker-process';

// Issue 7, scale-out: three worker processes (as `npm run worker` runs them) share one database
// and drain 1,000 mixed jobs; one of them is killed with SIGKILL halfway. No job runs twice, none
// is charged twice, every job ends in the state its page calls for, and all three did real work.

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let fixture: FixtureServer;
const workers: WorkerProcess[] = [];

/** Requests the fixture site received per full URL (path and query): each job's URL is unique. */
const fetches = new Map<string, number>();

type Kind = {
  name: string;
  count: number;
  url: (n: number) => string;
  engine?: 'http' | 'browser';
  status: 'completed' | 'failed' | 'cancelled';
  /** Attempts (rows in the attempt history) and requests to its URL for a job that no kill touched. */
  attempts: number;
  credits: number;
};

const kinds: Kind[] = [
  { name: 'page', count: 652, url: (n) => `/page?n=${n}`, status: 'completed', attempts: 1, credits: 1 },
  { name: 'slow', count: 150, url: (n) => `/slow?ms=250&n=${n}`, status: 'completed', attempts: 1, credits: 1 },
  { name: 'not found', count: 60, url: (n) => `/status/404?n=${n}`, status: 'failed', attempts: 1, credits: 1 },
  { name: 'blocked', count: 40, url: (n) => `/status/403?n=${n}`, status: 'failed', attempts: 1, credits: 1 },
  { name: 'server error', count: 30, url: (n) => `/status/500?n=${n}`, status: 'failed', attempts: 3, credits: 1 },
  { name: 'flaky', count: 50, url: (n) => `/flaky?fail=1&key=${n}`, status: 'completed', attempts: 2, credits: 1 },
  { name: 'browser', count: 8, url: (n) => `/page?browser=${n}`, engine: 'browser', status: 'completed', attempts: 1, credits: 5 },
  // Cancelled while they run: at most the one request, never charged.
  { name: 'cancelled', count: 10, url: (n) => `/slow?ms=60000&n=${n}`, status: 'cancelled', attempts: 1, credits: 0 },
];
const countedPaths = ['/page', '/slow', '/status/404', '/status/403', '/status/500', '/flaky'];

beforeAll(async () => {
  // One program submitting 1,000 jobs as fast as it can: the per-key rate limit is not under test.
  process.env.RATE_LIMIT_CREATE_PER_SECOND = '0';
  database = await createTestDatabase();
  fixture = await startFixtureServer();
  for (const path of countedPaths) {
    fixture.onRequest(path, (url) => fetches.set(url.pathname + url.search, (fetches.get(url.pathname + url.search) ?? 0) + 1));
  }
});
afterAll(async () => {
  for (const worker of workers) if (worker.child.exitCode === null) worker.child.kill('SIGKILL');
  await fixture?.close();
  await database?.close();
});

/** The same order on every run, with the kinds spread through it. */
function shuffled<T>(items: T[]): T[] {
  let seed = 7;
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    const j = seed % (i + 1);
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

async function inParallel<T>(items: T[], limit: number, run: (item: T) => Promise<void>) {
  let next = 0;
  await Promise.all(Array.from({ length: limit }, async () => {
    while (next < items.length) await run(items[next++]);
  }));
}

describe('three worker processes on one database', () => {
  it('drain 1,000 mixed jobs, one killed with SIGKILL halfway: no job run twice, none charged twice, work spread', async () => {
    const initialCredits = 5000;
    const { account, secret } = await createTestAccount(database.db, { credits: initialCredits });
    const env = { JOB_LEASE_SECONDS: '5', WORKER_CONCURRENCY_HTTP: '8', WORKER_CONCURRENCY_BROWSER: '1', WORKER_CONCURRENCY_STEALTH: '1' };
    workers.push(...(await Promise.all([0, 1, 2].map(() => spawnWorkerProcess(database, env)))));
    const [, , doomed] = workers;

    const terminal = async () => {
      const [row] = await database.client<{ n: number }[]>`
        SELECT count(*)::int AS n FROM jobs WHERE status IN ('completed', 'failed', 'cancelled', 'expired')`;
      return row.n;
    };
    // Halfway, while the doomed worker holds running jobs: SIGKILL, no drain, no goodbye. Watched
    // while the jobs are still being submitted, as the workers keep pace with the submissions.
    // It must hold a job that still has a while to go (a slow page just started, or a server error
    // between its retries): a plain page is done within milliseconds, before the kill lands.
    const killing = (async () => {
      await waitFor(async () => {
        const [row] = await database.client<{ n: number }[]>`
          SELECT count(*)::int AS n FROM jobs WHERE status = 'processing' AND worker_id = ${doomed.id}
            AND ((url LIKE '%/slow?ms=250&%' AND started_at > now() - interval '100 milliseconds') OR url LIKE '%/status/500?%')`;
        return row.n > 0 && (await terminal()) >= 500;
      }, { what: 'half the jobs done, the doomed worker busy', timeoutMs: 90_000, intervalMs: 10 });
      doomed.child.kill('SIGKILL');
      await doomed.exited;
      const doneAtKill = await terminal();
      const stranded = new Set(
        (await database.client<{ id: string }[]>`SELECT id FROM jobs WHERE status = 'processing' AND worker_id = ${doomed.id}`).map((r) => r.id),
      );
      return { doneAtKill, stranded };
    })();
    killing.catch(() => {}); // awaited below; not an unhandled rejection meanwhile

    const jobs = new Map<string, { kind: Kind; url: string }>();
    const submit = async ({ kind, url }: { kind: Kind; url: string }) => {
      const { status, body } = await api('POST', '/api/v1/jobs', { key: secret, body: { url, engine: kind.engine ?? 'http', timeoutMs: 120_000 } });
      expect(status).toBe(202);
      jobs.set(body.id, { kind, url });
      return body.id as string;
    };
    // The ones to cancel first, each cancelled once it runs, while the rest go in in a mixed order.
    const cancelKind = kinds.find((kind) => kind.name === 'cancelled')!;
    const planned = kinds.flatMap((kind) => Array.from({ length: kind.count }, (_, n) => ({ kind, url: `${fixture.url}${kind.url(n)}` })));
    const cancelIds = await Promise.all(planned.filter((p) => p.kind === cancelKind).map(submit));
    const cancelling = Promise.all(
      cancelIds.map(async (id) => {
        await waitFor(async () => (await api('GET', `/api/v1/jobs/${id}`, { key: secret })).body.status === 'processing', {
          what: `job ${id} to run`,
          intervalMs: 200,
        });
        const { body } = await api('POST', `/api/v1/jobs/${id}/cancel`, { key: secret });
        expect(body.status).toBe('cancelled');
      }),
    );
    await inParallel(shuffled(planned.filter((p) => p.kind !== cancelKind)), 8, async (job) => void (await submit(job)));
    await cancelling;
    expect(jobs.size).toBe(1000);
    const { doneAtKill, stranded } = await killing;
    expect(stranded.size).toBeGreaterThan(0);

    await waitFor(async () => (await terminal()) === 1000, {
      what: 'every job to reach a terminal state',
      // Generous: on a shared 2-core machine the other test files compete for the same cores.
      timeoutMs: 150_000,
      intervalMs: 200,
    }).catch(async (error) => {
      const left = await database.client`SELECT id, status, attempts, worker_id, url FROM jobs WHERE status IN ('queued', 'processing') LIMIT 20`;
      throw new Error(`${error.message}; still active: ${JSON.stringify(left)}`);
    });
    for (const worker of workers.slice(0, 2)) expect(await stopWorkerProcess(worker)).toBe(0);

    const rows = await database.client<{ id: string; status: string; attempts: number; credits_charged: number }[]>`
      SELECT id, status, attempts, credits_charged FROM jobs`;
    const attempts = await database.client<{ job_id: string; outcomes: string[] }[]>`
      SELECT job_id, array_agg(outcome ORDER BY attempt) AS outcomes FROM job_attempts GROUP BY job_id`;
    const outcomesOf = new Map(attempts.map((row) => [row.job_id, row.outcomes]));
    const logs = await database.client<{ job_id: string; pickups: string[]; finishes: number }[]>`
      SELECT job_id,
        array_agg(metadata->>'workerId' ORDER BY seq) FILTER (WHERE message = 'Worker picked up job') AS pickups,
        count(*) FILTER (WHERE message = 'Job completed successfully' OR message LIKE 'Job failed:%')::int AS finishes
      FROM job_logs GROUP BY job_id`;
    const logsOf = new Map(logs.map((row) => [row.job_id, row]));
    const charges = await database.client<{ job_id: string; n: number; amount: number }[]>`
      SELECT job_id, count(*)::int AS n, sum(amount)::int AS amount FROM credit_ledger WHERE reason = 'job_charge' GROUP BY job_id`;
    const chargesOf = new Map(charges.map((row) => [row.job_id, row]));

    const ranBy = new Map<string, number>();
    let recovered = 0;
    for (const row of rows) {
      const { kind, url } = jobs.get(row.id)!;
      const what = `${kind.name} job ${row.id}`;
      const outcomes = outcomesOf.get(row.id) ?? [];
      const pickups = logsOf.get(row.id)?.pickups ?? [];
      const requests = fetches.get(url.slice(fixture.url.length)) ?? 0;
      expect(row.status, what).toBe(kind.status);
      expect(row.credits_charged, what).toBe(kind.credits);
      // One terminal state, one charge (or none): the ledger agrees with the job.
      expect(logsOf.get(row.id)?.finishes ?? 0, what).toBe(kind.status === 'cancelled' ? 0 : 1);
      expect(chargesOf.get(row.id) ?? { n: 0, amount: 0 }, what).toMatchObject(
        kind.credits > 0 ? { n: 1, amount: -kind.credits } : { n: 0, amount: 0 },
      );
      for (const worker of pickups) ranBy.set(worker, (ranBy.get(worker) ?? 0) + 1);

      if (stranded.has(row.id)) {
        // Its attempt died with the worker: one attempt is marked lost and another worker picked
        // the job up again (a job on its last attempt is failed by the sweeper instead). The dead
        // worker may or may not have reached the site, and log lines it still held in memory are
        // gone with it.
        if (outcomes.includes('lost')) recovered += 1;
        expect(outcomes.filter((outcome) => outcome === 'lost').length, what).toBeLessThanOrEqual(1);
        expect(pickups.filter((worker) => worker === doomed.id).length, what).toBeLessThanOrEqual(1);
        expect(pickups.filter((worker) => worker !== doomed.id).length, what).toBeLessThanOrEqual(1);
        if (pickups.length === 2) expect(pickups[1], what).not.toBe(doomed.id);
        expect(requests, what).toBeLessThanOrEqual(outcomes.length);
        continue;
      }
      // Untouched by the kill: exactly the expected attempts, each one request to the site, one pickup.
      if (kind.status === 'cancelled') {
        expect(outcomes, what).toEqual(['cancelled']);
        expect(requests, what).toBeLessThanOrEqual(1);
      } else {
        expect(row.attempts, what).toBe(kind.attempts);
        expect(outcomes, what).toEqual([...Array(kind.attempts - 1).fill('retrying'), kind.status]);
        expect(requests, what).toBe(kind.attempts);
      }
      expect(pickups.length, what).toBe(1);
    }
    expect(recovered).toBeGreaterThan(0);

    // The account: charged exactly the sum of its jobs' charges, nothing left reserved.
    const charged = rows.reduce((sum, row) => sum + row.credits_charged, 0);
    expect(charged).toBe(kinds.reduce((sum, kind) => sum + kind.count * kind.credits, 0));
    const [balance] = await database.client<{ credits: number; reserved_credits: number }[]>`
      SELECT credits, reserved_credits FROM accounts WHERE id = ${account.id}`;
    expect(balance).toEqual({ credits: initialCredits - charged, reserved_credits: 0 });

    // Work spread: every worker, the killed one included, ran at least a tenth of the pickups.
    const pickupsTotal = [...ranBy.values()].reduce((a, b) => a + b, 0);
    for (const worker of workers) expect(ranBy.get(worker.id) ?? 0, `pickups by ${worker.id}`).toBeGreaterThanOrEqual(pickupsTotal / 10);
    const [resent] = await database.client<{ n: number }[]>`
      SELECT count(*)::int AS n FROM job_logs WHERE message LIKE 'The worker that took this job from the queue stopped responding%'`;
    console.log(
      `[scale-out] pickups per worker: ${workers.map((w) => ranBy.get(w.id) ?? 0).join(' / ')}; ` +
        `killed with ${doneAtKill} of 1,000 jobs done, ${stranded.size} running on it (recovered: ${recovered}); ` +
        `fetched by it, never claimed, re-sent: ${resent.n}`,
    );
  }, 330_000);
});
