import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium } from '@playwright/test';
import { outageMessage } from '@/components/shell/page-error';
import { createAccount } from '@/lib/server/accounts';
import { resolveChromiumPath, serverChromiumArgs } from '@/workers/browser/chromium';
import { createTestAccount } from '@/tests/helpers/accounts';
import { waitFor } from '@/tests/helpers/worker';
import { call, percentile, startFaultWorld, type FaultWorld } from './environment';

// Issue 13, points 1 and 2: Postgres restarted (immediate shutdown, a few seconds down) while
// programs submit jobs at ~50 a second, each with its own Idempotency-Key and retrying until it
// gets a reply below 500. Every failure while the database is away is a 503 in the error shape
// with Retry-After; the web app and the same three worker processes serve again by themselves;
// N keyed requests make exactly N jobs and N reservations, and every job runs.

let world: FaultWorld;

beforeAll(async () => {
  world = await startFaultWorld();
});
afterAll(async () => {
  await world?.close();
});

/** GET /api/health of the web app. */
async function health() {
  const res = await fetch(`${world.url}/api/health`);
  return { status: res.status, body: await res.json() };
}

type Attempt = { status: number; ms: number; code?: string; retryAfter: string | null; at: number };

describe('a Postgres restart under load', () => {
  it('answers 503 while it is down, recovers by itself, and keyed retries make each job once', async () => {
    const { secret, account } = await createTestAccount(world.db, { credits: 100_000 });
    const pids = world.workers.map((worker) => worker.child.pid);
    const requests = 250;
    const attempts = new Map<string, Attempt[]>();
    const finals = new Map<string, { status: number; id?: string }>();
    let restart: Awaited<ReturnType<FaultWorld['restartPostgres']>> | undefined;

    const submitUntilAnswered = async (key: string, n: number) => {
      const log: Attempt[] = [];
      attempts.set(key, log);
      for (;;) {
        const reply = await call(world, 'POST', '/api/v1/jobs', {
          key: secret,
          body: { url: `${world.fixture.url}/page?n=${n}`, name: key },
          headers: { 'Idempotency-Key': key },
        });
        log.push({ status: reply.status, ms: reply.ms, code: reply.body?.error?.code, retryAfter: reply.headers.get('retry-after'), at: Date.now() });
        if (reply.status >= 200 && reply.status < 500) {
          finals.set(key, { status: reply.status, id: reply.body?.id });
          return;
        }
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
    };

    // 25 a second for 10 s; Postgres goes away 3 s in, for 4 s.
    const submitting = Promise.all(
      Array.from({ length: requests }, async (_, n) => {
        await new Promise((resolve) => setTimeout(resolve, n * 40));
        await submitUntilAnswered(`restart-${n}-${randomUUID()}`, n);
      }),
    );
    await new Promise((resolve) => setTimeout(resolve, 3000));
    // While it is down, the health check names the database.
    restart = await world.restartPostgres(4000, health);
    await submitting;
    expect(restart.duringOutage).toMatchObject({ status: 503, body: { status: 'unavailable', database: { ok: false } } });

    const all = [...attempts.values()].flat();
    const before = all.filter((a) => a.at < restart!.stoppedAt);
    const failed = all.filter((a) => a.status >= 500 || a.status === 0);
    const afterReady = all.filter((a) => a.at - a.ms > restart!.readyAt);
    const lastFailure = Math.max(0, ...failed.map((a) => a.at));
    console.log(
      [
        `restart: ${requests} keyed submits, ${all.length} attempts, ${failed.length} failed (${new Set(failed.map((a) => `${a.status} ${a.code}`)).size} kinds: ${[...new Set(failed.map((a) => `${a.status} ${a.code}`))].join(', ')})`,
        `  replies before the stop: p50 ${percentile(before.map((a) => a.ms), 50).toFixed(0)} ms, p95 ${percentile(before.map((a) => a.ms), 95).toFixed(0)} ms`,
        `  failed replies: p50 ${percentile(failed.map((a) => a.ms), 50).toFixed(0)} ms, max ${Math.max(0, ...failed.map((a) => a.ms)).toFixed(0)} ms`,
        `  slowest failed replies (start relative to the stop, ms): ${[...failed]
          .sort((a, b) => b.ms - a.ms)
          .slice(0, 5)
          .map((a) => `${a.ms.toFixed(0)} ms at ${(a.at - a.ms - restart!.stoppedAt).toFixed(0)}`)
          .join(', ')}; Postgres ready at ${(restart!.readyAt - restart!.stoppedAt).toFixed(0)}`,
        `  last failure ${((lastFailure - restart!.readyAt) / 1000).toFixed(1)} s after Postgres was ready; ${afterReady.length} attempts sent after it`,
      ].join('\n'),
    );
    // Every failure is the database's 503 in the error shape, with Retry-After; every request got a reply.
    for (const attempt of failed) {
      expect(attempt).toMatchObject({ status: 503, code: 'database_unavailable' });
      expect(Number(attempt.retryAfter)).toBeGreaterThan(0);
    }
    expect(failed.length).toBeGreaterThan(0); // the restart did hit requests

    // Exactly one job per key, each the one its final reply names, and one reservation each.
    const rows = await world.sql<{ name: string; id: string }[]>`SELECT name, id FROM jobs WHERE account_id = ${account.id}`;
    expect(rows).toHaveLength(requests);
    const byName = new Map(rows.map((row) => [row.name, row.id]));
    for (const [key, final] of finals) {
      expect(final.status).toBe(202);
      expect(byName.get(key)).toBe(final.id);
    }

    // The same worker processes run every job to the end: none exited, none was replaced.
    const done = await waitFor(async () => {
      const [row] = await world.sql<{ finished: number }[]>`
        SELECT count(*)::int AS finished FROM jobs WHERE account_id = ${account.id} AND status IN ('completed', 'failed')`;
      return row.finished === requests ? row : undefined;
    }, { what: 'every job to finish', timeoutMs: 120_000, intervalMs: 250 });
    expect(done.finished).toBe(requests);
    expect(world.workers.map((worker) => worker.child.exitCode)).toEqual([null, null, null]);
    expect(world.workers.map((worker) => worker.child.pid)).toEqual(pids);
    const [balance] = await world.sql`SELECT credits, reserved_credits FROM accounts WHERE id = ${account.id}`;
    expect(balance).toEqual({ credits: 100_000 - requests, reserved_credits: 0 });
    const [ledger] = await world.sql`SELECT count(*)::int AS n FROM credit_ledger WHERE account_id = ${account.id} AND reason = 'job_charge'`;
    expect(ledger.n).toBe(requests);

    // Heartbeats resumed in every worker after the restart.
    const beating = await waitFor(async () => {
      const beats = await world.sql<{ id: string; after: number }[]>`
        SELECT id, extract(epoch FROM heartbeat_at - ${new Date(restart.readyAt).toISOString()}::timestamptz)::float AS after
        FROM workers WHERE stopped_at IS NULL AND heartbeat_at > ${new Date(restart.readyAt).toISOString()}::timestamptz`;
      return beats.length === world.workers.length ? beats : undefined;
    }, { what: 'every worker to beat again', timeoutMs: 15_000, intervalMs: 200 });
    console.log(`  heartbeats after Postgres was ready: ${beating.map((beat) => `${beat.after.toFixed(1)} s`).join(', ')} (the latest beat of each)`);
    expect(beating.map((beat) => beat.id).sort()).toEqual(world.workers.map((worker) => worker.id).sort());

    expect(await health()).toMatchObject({ status: 200, body: { status: 'ok' } });
  });

  it('re-established its LISTENs: a cancel reaches the running job, and a scrape wait is woken', async () => {
    const { secret } = await createTestAccount(world.db, { credits: 100 });
    const submitted = await call(world, 'POST', '/api/v1/jobs', { key: secret, body: { url: `${world.fixture.url}/slow?ms=60000` } });
    expect(submitted.status).toBe(202);
    await waitFor(async () => (await call(world, 'GET', `/api/v1/jobs/${submitted.body.id}`, { key: secret })).body?.status === 'processing', {
      what: 'the slow job to start',
    });
    const cancelledAt = Date.now();
    const cancel = await call(world, 'POST', `/api/v1/jobs/${submitted.body.id}/cancel`, { key: secret });
    expect(cancel.body.status).toBe('cancelled');
    const logs = await waitFor(async () => {
      const reply = await call(world, 'GET', `/api/v1/jobs/${submitted.body.id}/logs`, { key: secret });
      const messages = (reply.body?.data ?? []).map((entry: { message: string }) => entry.message);
      return messages.includes('Job cancelled during processing, resources released') ? messages : undefined;
    }, { what: 'the worker to abort the cancelled job' });
    expect(logs).toContain('Job cancelled during processing, resources released');
    console.log(`after the restart: a cancel aborted its running job in ${Date.now() - cancelledAt} ms`);

    const scrape = await call(world, 'POST', '/api/v1/scrape', { key: secret, body: { url: `${world.fixture.url}/page`, wait: 20 } });
    expect(scrape.status).toBe(200);
    expect(scrape.body.job.status).toBe('completed');
  });

  it('shows the dashboard its stale-data banner while the database is away, and the page again by itself once it is back', async () => {
    const email = `outage-${randomUUID()}@example.com`;
    const password = 'correct horse battery staple';
    await createAccount(world.db, { email, password, credits: 10 });
    const browser = await chromium.launch({ executablePath: await resolveChromiumPath(process.env.CHROMIUM_PATH), args: serverChromiumArgs });
    try {
      const context = await browser.newContext({ baseURL: world.url });
      const { csrfToken } = await (await context.request.get('/api/auth/csrf')).json();
      const signIn = await context.request.post('/api/auth/callback/credentials', { form: { email, password, csrfToken, callbackUrl: '/dashboard/jobs' }, maxRedirects: 0 });
      expect(signIn.status()).toBe(302);
      const page = await context.newPage();
      await page.goto('/dashboard/jobs');
      await page.getByRole('heading', { name: 'Jobs', exact: true }).waitFor();

      const { duringOutage } = await world.restartPostgres(3000, async () => {
        await page.reload();
        await page.getByText(outageMessage).waitFor({ timeout: 30_000 });
        return { errorPages: await page.getByTestId('page-error').count() };
      });
      expect(duringOutage).toEqual({ errorPages: 0 });
      // Nobody touches the page: it renders again on its own once the health check answers.
      await page.getByRole('heading', { name: 'Jobs', exact: true }).waitFor({ timeout: 30_000 });
      expect(await page.getByText(outageMessage).count()).toBe(0);
    } finally {
      await browser.close();
    }
  });
});
