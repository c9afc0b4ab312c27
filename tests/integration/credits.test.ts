import { afterEach, describe, expect, it } from 'vitest';
import { grantCredits } from '@/db/queries/accounts';
import { localToday } from '@/lib/date-ranges';
import { getEnv, resetEnvCache } from '@/lib/env';
import { createTestAccount } from '@/tests/helpers/accounts';
import { api } from '@/tests/helpers/api';
import { useJobsEnvironment } from '@/tests/helpers/environment';
import { waitFor } from '@/tests/helpers/worker';

const env = useJobsEnvironment();
afterEach(() => {
  delete process.env.PRICE_OVERRIDES;
  resetEnvCache();
});

const terminal = ['completed', 'failed', 'cancelled', 'expired'];

async function settled(ids: string[], secret: string) {
  return Promise.all(
    ids.map((id) =>
      waitFor(async () => {
        const { body } = await api('GET', `/api/v1/jobs/${id}`, { key: secret });
        return terminal.includes(body.status) ? body : undefined;
      }, { what: `job ${id} to finish`, timeoutMs: 30_000 }),
    ),
  );
}

describe('charges under concurrency', () => {
  it('refuses exactly the submissions the balance cannot cover, and charges each finished job exactly once', async () => {
    const grant = 40;
    const { account, secret } = await createTestAccount(env.database.db, { credits: grant });
    // 60 submissions at once against 40 credits: completions and failures (both charged), some
    // slow enough to be cancelled while running.
    const paths = ['/page', '/status/404', '/slow?ms=150', '/slow?ms=40'];
    const submitted = await Promise.all(
      Array.from({ length: 60 }, (_, i) => api('POST', '/api/v1/jobs', { key: secret, body: { url: `${env.fixture.url}${paths[i % 4]}` } })),
    );
    const accepted = submitted.filter((r) => r.status === 202);
    const refused = submitted.filter((r) => r.status === 402);
    expect([accepted.length, refused.length]).toEqual([grant, 60 - grant]);
    expect(refused[0].body.error).toMatchObject({
      code: 'insufficient_credits',
      message: 'Insufficient credits. You need 1 credits but have 0.',
      details: { required: 1, available: 0 },
    });

    // Cancels race the worker's completions, and a grant lands in the middle of it all.
    const ids = accepted.map((r) => r.body.id as string);
    await Promise.all([
      ...ids.filter((_, i) => i % 3 === 0).map((id) => api('POST', `/api/v1/jobs/${id}/cancel`, { key: secret })),
      grantCredits(env.database.db, { accountId: account.id, amount: 7 }),
    ]);
    const finals = await settled(ids, secret);

    const charged = finals.filter((job) => job.status === 'completed' || job.status === 'failed');
    expect(charged.length).toBeGreaterThan(0);
    expect(finals.some((job) => job.status === 'failed')).toBe(true);
    for (const job of finals) expect(job.credits).toBe(charged.includes(job) ? 1 : 0);

    const rows = await env.database.client`
      SELECT job_id, amount, reason, balance_after FROM credit_ledger WHERE account_id = ${account.id} ORDER BY id`;
    const charges = rows.filter((row) => row.reason === 'job_charge');
    expect(charges.map((row) => row.job_id).sort()).toEqual(charged.map((job) => job.id).sort());
    expect(charges.every((row) => row.amount === -1)).toBe(true);
    const [balance] = await env.database.client`SELECT credits, reserved_credits FROM accounts WHERE id = ${account.id}`;
    expect(balance).toEqual({ credits: grant + 7 - charged.length, reserved_credits: 0 });
    // The ledger and the balance agree: its rows sum to the balance, and each row's running
    // balance follows from the one before it.
    expect(rows.reduce((sum, row) => sum + row.amount, 0)).toBe(balance.credits);
    rows.reduce((before, row) => {
      expect(row.balance_after).toBe(before + row.amount);
      return row.balance_after;
    }, 0);

    const credits = await api('GET', '/api/v1/credits?size=25&page=2', { key: secret });
    expect(credits.body).toMatchObject({ balance: balance.credits, reserved: 0, available: balance.credits });
    expect(credits.body.ledger).toMatchObject({ page: 2, size: 25, total: rows.length, totalPages: Math.ceil(rows.length / 25) });
    expect(credits.body.ledger.data).toHaveLength(rows.length - 25);
  });
});

describe('the credits page', () => {
  it('lists each charge linked to its job, newest first, and the balance per day for 30 days', async () => {
    const { secret } = await createTestAccount(env.database.db, { credits: 10 });
    const { body: job } = await api('POST', '/api/v1/jobs', { key: secret, body: { url: `${env.fixture.url}/page` } });
    await settled([job.id], secret);
    const tz = -120;
    const { body } = await api('GET', `/api/v1/credits?tz=${tz}`, { key: secret });
    expect(body.prices).toEqual({ http: 1, browser: 5, stealth: 10 });
    expect(body.ledger.data).toEqual([
      {
        id: expect.any(Number),
        amount: -1,
        reason: 'job_charge',
        jobId: job.id,
        job: { url: `${env.fixture.url}/page`, engine: 'http', status: 'completed', deleted: false },
        balanceAfter: 9,
        createdAt: expect.any(String),
      },
      expect.objectContaining({ amount: 10, reason: 'grant', jobId: null, job: null, balanceAfter: 10 }),
    ]);
    expect(body.history).toHaveLength(30);
    expect(body.history.at(-1)).toEqual({ date: localToday(tz), balance: 9 });
    expect(body.history[0].balance).toBe(0);
  });
});

describe('pricing', () => {
  it("prices a retry at today's price, not the original's, and refuses it when the balance is short", async () => {
    const { account, secret } = await createTestAccount(env.database.db, { credits: 4 });
    const { body: original } = await api('POST', '/api/v1/jobs', { key: secret, body: { url: `${env.fixture.url}/page` } });
    expect(original.credits).toBe(1);
    await settled([original.id], secret);

    process.env.PRICE_OVERRIDES = 'http=2';
    resetEnvCache();
    const detail = await api('GET', `/api/v1/jobs/${original.id}`, { key: secret });
    expect(detail.body).toMatchObject({ credits: 1, retryCost: 2 });
    const retry = await api('POST', `/api/v1/jobs/${original.id}/retry`, { key: secret });
    expect(retry.status).toBe(201);
    expect(retry.body).toMatchObject({ parentJobId: original.id, credits: 2 });
    const [done] = await settled([retry.body.id], secret);
    expect(done).toMatchObject({ status: 'completed', credits: 2 });

    // 4 - 1 - 2 = 1 credit left; a retry now costs 2.
    const short = await api('POST', `/api/v1/jobs/${original.id}/retry`, { key: secret });
    expect(short.status).toBe(402);
    expect(short.body.error).toMatchObject({
      code: 'insufficient_credits',
      message: 'Insufficient credits. You need 2 credits but have 1.',
      details: { required: 2, available: 1, balance: 1 },
    });
    const ledger = await env.database.client`
      SELECT job_id, amount FROM credit_ledger WHERE account_id = ${account.id} AND reason = 'job_charge' ORDER BY id`;
    expect(ledger).toEqual([
      { job_id: original.id, amount: -1 },
      { job_id: retry.body.id, amount: -2 },
    ]);
    expect((await api('GET', `/api/v1/jobs/${original.id}`, { key: secret })).body.credits).toBe(1);
  });

  it('refuses a malformed PRICE_OVERRIDES at start, naming it', () => {
    process.env.PRICE_OVERRIDES = 'http=cheap';
    resetEnvCache();
    expect(() => getEnv()).toThrow(/PRICE_OVERRIDES: "http=cheap" is not <engine>=<whole number of credits>/);
  });
});
