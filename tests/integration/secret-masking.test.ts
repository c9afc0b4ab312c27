import { describe, expect, it, vi } from 'vitest';
import { createTestAccount } from '@/tests/helpers/accounts';
import { api, waitForStatus } from '@/tests/helpers/api';
import { useJobsEnvironment } from '@/tests/helpers/environment';

vi.mock('@/lib/server/session', () => import('@/tests/helpers/session'));

const env = useJobsEnvironment();

const headers = { Authorization: 'Bearer s3cret-token-value', Accept: 'text/html' };
const cookies = { sid: 'abcdefghijkl' };
const finished = ['completed', 'failed', 'cancelled', 'expired'];

/** What a dashboard session must see of the request above: credentials masked, the rest as sent. */
function expectMasked(json: { config: { headers?: Record<string, string>; cookies?: Record<string, string> } }) {
  expect(json.config.headers?.Accept).toBe('text/html');
  expect(json.config.headers?.Authorization).toMatch(/^•+$/);
  expect(json.config.cookies?.sid).toMatch(/^abcd•+$/);
  expect(JSON.stringify(json)).not.toContain('s3cret-token-value');
  expect(JSON.stringify(json)).not.toContain('abcdefghijkl');
}

describe('secrets in a job’s configuration', () => {
  it('reach the owner’s API key as sent and a dashboard session masked, on every reply that carries them', async () => {
    const { account, secret } = await createTestAccount(env.database.db, { credits: 20 });
    const body = { url: `${env.fixture.url}/page`, headers, cookies };

    const submitted = await api('POST', '/api/v1/jobs', { session: account.id, body, headers: { 'Idempotency-Key': 'mask-1' } });
    expect(submitted.status).toBe(202);
    expectMasked(submitted.body);
    expect(submitted.body.maskedSecrets).toEqual({ headers: ['Authorization'], cookies: ['sid'] });
    // The reply kept for the key is the one the session got.
    const replayed = await api('POST', '/api/v1/jobs', { session: account.id, body, headers: { 'Idempotency-Key': 'mask-1' } });
    expect(replayed.body.id).toBe(submitted.body.id);
    expectMasked(replayed.body);

    const id = submitted.body.id as string;
    await waitForStatus(id, secret, finished);
    const byKey = await api('GET', `/api/v1/jobs/${id}`, { key: secret });
    expect(byKey.body.config).toMatchObject({ headers, cookies });
    expect(byKey.body).not.toHaveProperty('maskedSecrets');
    expectMasked((await api('GET', `/api/v1/jobs/${id}`, { session: account.id })).body);

    const retried = await api('POST', `/api/v1/jobs/${id}/retry`, { session: account.id });
    expect(retried.status).toBe(201);
    expectMasked(retried.body);
    const retriedByKey = await api('POST', `/api/v1/jobs/${id}/retry`, { key: secret });
    expect(retriedByKey.body.config).toMatchObject({ headers, cookies });

    const batch = await api('POST', '/api/v1/batches', { session: account.id, body: { urls: [`${env.fixture.url}/page`], headers, cookies } });
    expect(batch.status).toBe(202);
    expectMasked(batch.body);
    expectMasked((await api('GET', `/api/v1/batches/${batch.body.id}`, { session: account.id })).body);
    expect((await api('GET', `/api/v1/batches/${batch.body.id}`, { key: secret })).body.config).toMatchObject({ headers, cookies });
  });
});
