import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expireStaleJobs } from '@/lib/server/jobs/expire';
import { createTestAccount } from '@/tests/helpers/accounts';
import { waitFor } from '@/tests/helpers/worker';
import { call, startFaultWorld, type FaultWorld } from './environment';

// Issue 13, point 6: the workers' side of the fault suite, on its own Postgres with three
// `npm run worker` processes. Workers SIGKILLed while they hold jobs; cancels racing completions
// (both outcomes must happen); queue expiry racing the workers' claims.

let world: FaultWorld;

beforeAll(async () => {
  world = await startFaultWorld();
});
afterAll(async () => {
  await world?.close();
});

/** Every job of the account in a terminal state, with what the ledger and the attempts say of it. */
async function settle(accountId: string, count: number) {
  await waitFor(async () => {
    const [row] = await world.sql<{ n: number }[]>`
      SELECT count(*)::int AS n FROM jobs WHERE account_id = ${accountId} AND status IN ('completed', 'failed', 'cancelled', 'expired')`;
    return row.n === count || undefined;
  }, { what: `${count} jobs to finish`, timeoutMs: 150_000, intervalMs: 250 });
  return world.sql<{ id: string; status: string; credits_charged: number; charges: number; attempts: number; overlapping: number; results: number }[]>`
    SELECT j.id, j.status, j.credits_charged,
      (SELECT count(*)::int FROM credit_ledger l WHERE l.job_id = j.id AND l.reason = 'job_charge') AS charges,
      (SELECT count(*)::int FROM job_attempts a WHERE a.job_id = j.id) AS attempts,
      (SELECT count(*)::int FROM job_attempts a JOIN job_attempts b ON a.job_id = b.job_id AND a.attempt < b.attempt
         WHERE a.job_id = j.id AND a.outcome <> 'lost' AND b.started_at < coalesce(a.finished_at, 'infinity')) AS overlapping,
      (SELECT count(*)::int FROM job_results r WHERE r.job_id = j.id AND r.kind = 'content') AS results
    FROM jobs j WHERE j.account_id = ${accountId}`;
}

async function expectLedgerMatches(accountId: string, initial: number) {
  const [balance] = await world.sql<{ credits: number; reserved_credits: number; charged: number }[]>`
    SELECT credits, reserved_credits, (SELECT coalesce(sum(credits_charged), 0)::int FROM jobs WHERE account_id = ${accountId}) AS charged
    FROM accounts WHERE id = ${accountId}`;
  expect(balance.reserved_credits).toBe(0);
  expect(balance.credits).toBe(initial - balance.charged);
}

describe('the fault suite: workers', () => {
  it('loses nothing when workers are SIGKILLed under load: no job runs twice at once, one charge each', async () => {
    const initial = 10_000;
    const { secret, account } = await createTestAccount(world.db, { credits: initial });
    const count = 300;
    const urls = Array.from({ length: count }, (_, n) => `${world.fixture.url}/slow?ms=${n % 3 === 0 ? 3000 : 1000}&n=${n}`);
    const batch = await call(world, 'POST', '/api/v1/batches', { key: secret, body: { urls } });
    expect(batch.status).toBe(202);

    // Two of the three die with jobs in hand, one right after the other; then replacements start.
    let kills = 0;
    for (const victim of world.workers.slice(0, 2)) {
      await waitFor(async () => {
        const [row] = await world.sql<{ n: number }[]>`SELECT count(*)::int AS n FROM jobs WHERE worker_id = ${victim.id} AND status = 'processing'`;
        return row.n > 0 || undefined;
      }, { what: 'the worker to hold jobs', timeoutMs: 60_000 });
      victim.child.kill('SIGKILL');
      await victim.exited;
      kills += 1;
    }
    await world.spawnWorker();
    await world.spawnWorker();

    const jobs = await settle(account.id, count);
    const lostAttempts = (await world.sql<{ n: number }[]>`
      SELECT count(*)::int AS n FROM job_attempts a JOIN jobs j ON j.id = a.job_id WHERE j.account_id = ${account.id} AND a.outcome = 'lost'`)[0].n;
    console.log(`SIGKILL: ${kills} workers killed during ${count} jobs; ${lostAttempts} attempts lost with them and run again; ` +
      `${jobs.filter((j) => j.status === 'completed').length} completed`);
    expect(kills).toBe(2);
    expect(lostAttempts).toBeGreaterThan(0); // the kills did take jobs down with them
    for (const job of jobs) {
      expect(job.status).toBe('completed');
      expect(job.overlapping).toBe(0);
      expect(job.charges).toBe(1);
      expect(job.results).toBe(1);
    }
    await expectLedgerMatches(account.id, initial);
  });

  it('settles cancels racing completions with one winner each, and both winners happen', async () => {
    const initial = 1000;
    const { secret, account } = await createTestAccount(world.db, { credits: initial });
    const count = 80;
    // Pages of 0-3.5 s, each cancelled 0-1 s after its job started processing: the short ones
    // finish first, the long ones are cancelled, and those in between race.
    const ids = await Promise.all(
      Array.from({ length: count }, async (_, n) => {
        const reply = await call(world, 'POST', '/api/v1/jobs', { key: secret, body: { url: `${world.fixture.url}/slow?ms=${(n % 8) * 500}&n=${n}` } });
        const id: string = reply.body.id;
        await waitFor(async () => (await world.sql`SELECT 1 FROM jobs WHERE id = ${id} AND status <> 'queued'`).length > 0, {
          what: `job ${id} to start`,
          intervalMs: 20,
        });
        await new Promise((resolve) => setTimeout(resolve, ((n * 3) % 8) * 150));
        const cancel = await call(world, 'POST', `/api/v1/jobs/${id}/cancel`, { key: secret });
        expect([200, 409]).toContain(cancel.status);
        return id;
      }),
    );
    const jobs = await settle(account.id, count);
    const cancelled = jobs.filter((job) => job.status === 'cancelled');
    const completed = jobs.filter((job) => job.status === 'completed');
    console.log(`cancel race: ${count} jobs, ${cancelled.length} cancels won, ${completed.length} completions won`);
    expect(ids).toHaveLength(count);
    expect(cancelled.length).toBeGreaterThan(0);
    expect(completed.length).toBeGreaterThan(0);
    expect(cancelled.length + completed.length).toBe(count);
    for (const job of cancelled) expect([job.charges, job.credits_charged, job.results]).toEqual([0, 0, 0]);
    for (const job of completed) expect([job.charges, job.credits_charged, job.results]).toEqual([1, 1, 1]);
    await expectLedgerMatches(account.id, initial);
  });

  it('settles queue expiry racing the claims: each job expired untouched or run, never both', async () => {
    const initial = 1000;
    const { secret, account } = await createTestAccount(world.db, { credits: initial });
    const count = 300;
    const urls = Array.from({ length: count }, (_, n) => `${world.fixture.url}/page?expiry=${n}`);
    const batch = await call(world, 'POST', '/api/v1/batches', { key: secret, body: { urls } });
    expect(batch.status).toBe(202);
    // The whole batch waited too long the moment it was accepted, while the workers claim it.
    await world.sql`UPDATE jobs SET created_at = now() - interval '1 hour' WHERE batch_id = ${batch.body.id}`;
    const expiredNow = await expireStaleJobs(world.db, { maxWaitSeconds: 300, accountId: account.id });

    const jobs = await settle(account.id, count);
    const expired = jobs.filter((job) => job.status === 'expired');
    const ran = jobs.filter((job) => job.status === 'completed');
    console.log(`expiry race: ${count} jobs, ${expired.length} expired (${expiredNow} by this sweep), ${ran.length} run by the workers`);
    expect(expired.length + ran.length).toBe(count);
    for (const job of expired) expect([job.attempts, job.charges, job.results]).toEqual([0, 0, 0]);
    for (const job of ran) expect([job.charges, job.results]).toEqual([1, 1]);
    await expectLedgerMatches(account.id, initial);
  });
});
