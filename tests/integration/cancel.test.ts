import { describe, expect, it } from 'vitest';
import { createTestAccount } from '@/tests/helpers/accounts';
import { api } from '@/tests/helpers/api';
import { useJobsEnvironment } from '@/tests/helpers/environment';
import { waitFor } from '@/tests/helpers/worker';

const env = useJobsEnvironment({}, { worker: false });

const messagesOf = async (id: string, key: string) =>
  (await api('GET', `/api/v1/jobs/${id}/logs`, { key })).body.data.map((e: { message: string }) => e.message) as string[];

describe('cancelling', () => {
  it('cancels a queued job at once, uncharged, and removes it from the queue', async () => {
    const { secret, account } = await createTestAccount(env.database.db, { credits: 5 });
    const { body } = await api('POST', '/api/v1/jobs', { key: secret, body: { url: `${env.fixture.url}/page` } });
    const reply = await api('POST', `/api/v1/jobs/${body.id}/cancel`, { key: secret });
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({ status: 'cancelled', credits: 0, startedAt: null, durationMs: null });
    expect(await messagesOf(body.id, secret)).toEqual(['Job queued', expect.any(String), 'Cancellation requested by user', 'Job cancelled successfully']);
    const [queued] = await env.database.client`SELECT state FROM pgboss.job WHERE id = ${body.id}`;
    expect(queued.state).toBe('cancelled');
    const [balance] = await env.database.client`SELECT credits, reserved_credits FROM accounts WHERE id = ${account.id}`;
    expect(balance).toEqual({ credits: 5, reserved_credits: 0 });
  });

  it('stops a processing job promptly and releases its resources', async () => {
    await env.startWorker();
    const { secret, account } = await createTestAccount(env.database.db, { credits: 5 });
    const { body } = await api('POST', '/api/v1/jobs', { key: secret, body: { url: `${env.fixture.url}/slow?ms=15000`, timeoutMs: 60000 } });
    await waitFor(async () => (await api('GET', `/api/v1/jobs/${body.id}`, { key: secret })).body.status === 'processing', { what: 'processing' });
    await waitFor(async () => env.fixture.hits('/slow') > 0, { what: 'the request to reach the fixture' });
    const reply = await api('POST', `/api/v1/jobs/${body.id}/cancel`, { key: secret });
    expect(reply.body).toMatchObject({ status: 'cancelled', credits: 0 });
    // The worker aborts the request and says so; well before the page's 15 s would be up.
    await waitFor(async () => (await messagesOf(body.id, secret)).includes('Job cancelled during processing, resources released'), {
      timeoutMs: 5000,
      what: 'the worker to release the job',
    });
    const detail = await api('GET', `/api/v1/jobs/${body.id}`, { key: secret });
    expect(detail.body.status).toBe('cancelled');
    expect(detail.body.attemptHistory.at(-1).outcome).toBe('cancelled');
    expect(detail.body.result).toBeNull();
    const [balance] = await env.database.client`SELECT credits, reserved_credits FROM accounts WHERE id = ${account.id}`;
    expect(balance).toEqual({ credits: 5, reserved_credits: 0 });
  });

  it('resolves cancel against completion with exactly one winner, charging only completed jobs', async () => {
    await env.startWorker();
    const { secret, account } = await createTestAccount(env.database.db, { credits: 100 });
    const ids: string[] = [];
    // Each job's page takes 0-1000 ms and its cancel is sent 0-1000 ms after the job started
    // processing, so some cancels land mid-run and some after the page answered: a real race.
    const replies = await Promise.all(
      Array.from({ length: 30 }, async (_, i) => {
        const { body } = await api('POST', '/api/v1/jobs', { key: secret, body: { url: `${env.fixture.url}/slow?ms=${(i % 6) * 200}` } });
        ids.push(body.id);
        await waitFor(async () => (await api('GET', `/api/v1/jobs/${body.id}`, { key: secret })).body.status !== 'queued', {
          what: `job ${body.id} to start`,
          intervalMs: 5,
        });
        await new Promise((r) => setTimeout(r, ((i * 5) % 6) * 200));
        return api('POST', `/api/v1/jobs/${body.id}/cancel`, { key: secret });
      }),
    );
    const finals = await Promise.all(
      ids.map((id) =>
        waitFor(async () => {
          const { body } = await api('GET', `/api/v1/jobs/${id}`, { key: secret });
          return ['completed', 'cancelled'].includes(body.status) ? body : undefined;
        }, { what: `job ${id} to settle` }),
      ),
    );
    for (const reply of replies) {
      if (reply.status === 409) continue; // it had already completed when the cancel arrived
      const final = finals.find((f) => f.id === reply.body.id)!;
      expect(reply.body.status).toBe(final.status); // the reply carries the actual final state
    }
    const completed = finals.filter((f) => f.status === 'completed');
    const cancelled = finals.filter((f) => f.status === 'cancelled');
    // The race happened: cancels won against running jobs, and completions won against cancels.
    expect(cancelled.length).toBeGreaterThan(0);
    expect(completed.length).toBeGreaterThan(0);
    for (const job of cancelled) expect(await messagesOf(job.id, secret)).toContain('Job cancelled during processing, resources released');
    for (const f of finals) expect(f.credits).toBe(f.status === 'completed' ? 1 : 0);
    const [ledger] = await env.database.client`SELECT count(*)::int AS n FROM credit_ledger WHERE account_id = ${account.id} AND reason = 'job_charge'`;
    expect(ledger.n).toBe(completed.length);
    const [balance] = await env.database.client`SELECT credits, reserved_credits FROM accounts WHERE id = ${account.id}`;
    expect(balance).toEqual({ credits: 100 - completed.length, reserved_credits: 0 });
    const [results] = await env.database.client`SELECT count(*)::int AS n FROM job_results WHERE job_id = ANY(${ids})`;
    expect(results.n).toBe(completed.length); // a cancelled job keeps no result
  });
});
