import { randomUUID } from 'node:crypto';
import { describe, expect, it, vi } from 'vitest';
import { createTestAccount } from '@/tests/helpers/accounts';
import { api, waitForStatus } from '@/tests/helpers/api';
import { useJobsEnvironment } from '@/tests/helpers/environment';

vi.mock('@/lib/server/session', () => import('@/tests/helpers/session'));

const env = useJobsEnvironment();

async function jobCount(accountId: string): Promise<number> {
  const [row] = await env.database.client`SELECT count(*)::int AS n FROM jobs WHERE account_id = ${accountId}`;
  return row.n;
}

describe('Idempotency-Key on POST /api/v1/jobs', () => {
  it('replays the first reply, status and body, and creates one job', async () => {
    const { secret, account } = await createTestAccount(env.database.db, { credits: 10 });
    const headers = { 'Idempotency-Key': randomUUID() };
    const body = { url: `${env.fixture.url}/page`, name: 'Front page' };
    const first = await api('POST', '/api/v1/jobs', { key: secret, body, headers });
    expect(first.status).toBe(202);
    expect(first.headers.get('idempotent-replayed')).toBeNull();

    // The same fields in another order are the same request.
    const again = await api('POST', '/api/v1/jobs', { key: secret, body: { name: 'Front page', url: body.url }, headers });
    expect(again.status).toBe(202);
    expect(again.body).toEqual(first.body);
    expect(again.headers.get('location')).toBe(first.headers.get('location'));
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(await jobCount(account.id)).toBe(1);

    await waitForStatus(first.body.id, secret, ['completed']);
    const [balance] = await env.database.client`SELECT credits FROM accounts WHERE id = ${account.id}`;
    expect(balance.credits).toBe(9);
  });

  it('refuses the same key with a different body with 422, and keys are per account', async () => {
    const { secret, account } = await createTestAccount(env.database.db, { credits: 10 });
    const other = await createTestAccount(env.database.db, { credits: 10 });
    const headers = { 'Idempotency-Key': 'order-1234' };
    expect((await api('POST', '/api/v1/jobs', { key: secret, body: { url: `${env.fixture.url}/page` }, headers })).status).toBe(202);
    const changed = await api('POST', '/api/v1/jobs', { key: secret, body: { url: `${env.fixture.url}/text` }, headers });
    expect(changed.status).toBe(422);
    expect(changed.body.error).toMatchObject({ code: 'idempotency_mismatch', message: expect.stringContaining('order-1234') });
    expect(await jobCount(account.id)).toBe(1);
    // Another account's identical key is its own.
    expect((await api('POST', '/api/v1/jobs', { key: other.secret, body: { url: `${env.fixture.url}/text` }, headers })).status).toBe(202);
  });

  it('lets exactly one of 20 concurrent identical requests create the job; the others get 409 or the replay', async () => {
    const { secret, account } = await createTestAccount(env.database.db, { credits: 10 });
    const headers = { 'Idempotency-Key': randomUUID() };
    const replies = await Promise.all(
      Array.from({ length: 20 }, () => api('POST', '/api/v1/jobs', { key: secret, body: { url: `${env.fixture.url}/page` }, headers })),
    );
    const created = replies.filter((r) => r.status === 202);
    const inFlight = replies.filter((r) => r.status === 409);
    expect(created.length + inFlight.length).toBe(20);
    expect(created.length).toBeGreaterThanOrEqual(1);
    expect(new Set(created.map((r) => r.body.id)).size).toBe(1);
    expect(created.filter((r) => r.headers.get('idempotent-replayed') !== 'true')).toHaveLength(1);
    for (const reply of inFlight) expect(reply.body.error.code).toBe('idempotency_in_flight');
    expect(await jobCount(account.id)).toBe(1);
    const [reserved] = await env.database.client`SELECT reserved_credits + (10 - credits) AS spent FROM accounts WHERE id = ${account.id}`;
    expect(reserved.spent).toBe(1);
  });

  it('treats an expired key as new', async () => {
    const { secret, account } = await createTestAccount(env.database.db, { credits: 10 });
    const headers = { 'Idempotency-Key': randomUUID() };
    const first = await api('POST', '/api/v1/jobs', { key: secret, body: { url: `${env.fixture.url}/page` }, headers });
    await env.database.client`UPDATE idempotency_keys SET created_at = now() - interval '25 hours', expires_at = now() - interval '1 hour' WHERE account_id = ${account.id}`;
    const second = await api('POST', '/api/v1/jobs', { key: secret, body: { url: `${env.fixture.url}/text` }, headers });
    expect(second.status).toBe(202);
    expect(second.headers.get('idempotent-replayed')).toBeNull();
    expect(second.body.id).not.toBe(first.body.id);
    expect(await jobCount(account.id)).toBe(2);
  });

  it('keeps 4xx replies but not 5xx ones, and validates the header', async () => {
    const { secret, account } = await createTestAccount(env.database.db, { credits: 0 });
    const headers = { 'Idempotency-Key': randomUUID() };
    const refused = await api('POST', '/api/v1/jobs', { key: secret, body: { url: `${env.fixture.url}/page` }, headers });
    expect(refused.status).toBe(402);
    const replayed = await api('POST', '/api/v1/jobs', { key: secret, body: { url: `${env.fixture.url}/page` }, headers });
    expect(replayed.status).toBe(402);
    expect(replayed.headers.get('idempotent-replayed')).toBe('true');
    expect(replayed.body).toEqual(refused.body);

    for (const bad of ['', ' ', 'x'.repeat(256), 'caf\u00e9']) {
      const reply = await api('POST', '/api/v1/jobs', { key: secret, body: { url: `${env.fixture.url}/page` }, headers: { 'Idempotency-Key': bad } });
      expect(reply.status, JSON.stringify(bad)).toBe(400);
      expect(reply.body.error.details.fields).toEqual([expect.objectContaining({ field: 'Idempotency-Key' })]);
    }
    expect(await jobCount(account.id)).toBe(0);
  });

  it('works on retry and key creation too', async () => {
    const { secret, account } = await createTestAccount(env.database.db, { credits: 10 });
    const { body: job } = await api('POST', '/api/v1/jobs', { key: secret, body: { url: `${env.fixture.url}/page` } });
    await waitForStatus(job.id, secret, ['completed']);
    const headers = { 'Idempotency-Key': randomUUID() };
    const retried = await api('POST', `/api/v1/jobs/${job.id}/retry`, { key: secret, headers });
    const again = await api('POST', `/api/v1/jobs/${job.id}/retry`, { key: secret, headers });
    expect([retried.status, again.status]).toEqual([201, 201]);
    expect(again.body.id).toBe(retried.body.id);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(await jobCount(account.id)).toBe(2);

    // Creating API keys takes no Idempotency-Key: a replay would need the secret stored in clear.
    const keyHeaders = { 'Idempotency-Key': randomUUID() };
    await api('POST', '/api/v1/keys', { session: account.id, body: { name: 'CI' }, headers: keyHeaders });
    const [stored] = await env.database.client`SELECT count(*)::int AS n FROM idempotency_keys WHERE account_id = ${account.id} AND key = ${keyHeaders['Idempotency-Key']}`;
    expect(stored.n).toBe(0);
  });
});
