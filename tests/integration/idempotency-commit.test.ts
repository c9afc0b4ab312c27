import { randomUUID } from 'node:crypto';
import { describe, expect, it, vi } from 'vitest';
import { createTestAccount } from '@/tests/helpers/accounts';
import { api } from '@/tests/helpers/api';
import { useJobsEnvironment } from '@/tests/helpers/environment';

// Issue 13, point 2: an Idempotency-Key means once, whatever fails. The reply of a request whose
// job committed is lost (here: building the HTTP reply throws after the commit, as a dropped
// connection or a database gone after the commit would): the client sees a 5xx, retries with the
// same key, and gets the job that was created, not a second job and a second reservation.

const failNextReply = { on: false };
vi.mock('@/lib/server/session', () => import('@/tests/helpers/session'));
vi.mock('@/lib/server/idempotency', async (importOriginal) => {
  const original = await importOriginal<typeof import('@/lib/server/idempotency')>();
  return {
    ...original,
    replyResponse: (reply: Parameters<typeof original.replyResponse>[0]) => {
      if (failNextReply.on) {
        failNextReply.on = false;
        throw new Error('the connection dropped after the commit');
      }
      return original.replyResponse(reply);
    },
  };
});

const env = useJobsEnvironment({}, { worker: false });

describe('an Idempotency-Key whose first reply failed after the commit', () => {
  it('replays the committed job on POST /api/v1/jobs, /jobs/{id}/retry and /batches: one job, one reservation', async () => {
    const { secret, account } = await createTestAccount(env.database.db, { credits: 100 });
    const count = async () => (await env.database.client`SELECT count(*)::int AS n FROM jobs WHERE account_id = ${account.id}`)[0].n as number;

    const headers = { 'Idempotency-Key': randomUUID() };
    const body = { url: `${env.fixture.url}/page` };
    failNextReply.on = true;
    const lost = await api('POST', '/api/v1/jobs', { key: secret, body, headers });
    expect(lost.status).toBe(500);
    expect(await count()).toBe(1); // the job committed
    const retried = await api('POST', '/api/v1/jobs', { key: secret, body, headers });
    expect(retried.status).toBe(202);
    expect(retried.headers.get('idempotent-replayed')).toBe('true');
    expect(retried.body).toMatchObject({ status: 'queued', attempts: 0, attemptHistory: [] });
    expect(await count()).toBe(1);

    const batchHeaders = { 'Idempotency-Key': randomUUID() };
    const urls = [`${env.fixture.url}/page?a`, `${env.fixture.url}/page?b`];
    failNextReply.on = true;
    expect((await api('POST', '/api/v1/batches', { key: secret, body: { urls }, headers: batchHeaders })).status).toBe(500);
    const batch = await api('POST', '/api/v1/batches', { key: secret, body: { urls }, headers: batchHeaders });
    expect(batch.status).toBe(202);
    expect(batch.headers.get('idempotent-replayed')).toBe('true');
    expect(await count()).toBe(3);

    // A retry of a finished job: cancel the first one, then retry it twice under one key.
    await api('POST', `/api/v1/jobs/${retried.body.id}/cancel`, { key: secret });
    const retryHeaders = { 'Idempotency-Key': randomUUID() };
    failNextReply.on = true;
    expect((await api('POST', `/api/v1/jobs/${retried.body.id}/retry`, { key: secret, headers: retryHeaders })).status).toBe(500);
    const again = await api('POST', `/api/v1/jobs/${retried.body.id}/retry`, { key: secret, headers: retryHeaders });
    expect(again.status).toBe(201);
    expect(again.body.parentJobId).toBe(retried.body.id);
    expect(await count()).toBe(4);

    // One reservation per job created: the cancelled one released its credit.
    const [balance] = await env.database.client`SELECT credits, reserved_credits FROM accounts WHERE id = ${account.id}`;
    expect(balance).toEqual({ credits: 100, reserved_credits: 3 });
  });

  it('lets a request whose work did not commit be retried: a 5xx before the commit keeps no key', async () => {
    const { secret, account } = await createTestAccount(env.database.db, { credits: 100 });
    const headers = { 'Idempotency-Key': randomUUID() };
    // A statement of the submission fails on our side (a constraint injected for the test): the
    // transaction, the key's claim with it, rolls back, so nothing is kept and the retry runs afresh.
    await env.database.client`ALTER TABLE jobs ADD CONSTRAINT fault_injected CHECK (url NOT LIKE '%fault%') NOT VALID`;
    try {
      const failed = await api('POST', '/api/v1/jobs', { key: secret, body: { url: `${env.fixture.url}/page?fault` }, headers });
      expect(failed.status).toBe(500);
    } finally {
      await env.database.client`ALTER TABLE jobs DROP CONSTRAINT fault_injected`;
    }
    const [kept] = await env.database.client`SELECT count(*)::int AS n FROM idempotency_keys WHERE account_id = ${account.id}`;
    expect(kept.n).toBe(0);
    const retried = await api('POST', '/api/v1/jobs', { key: secret, body: { url: `${env.fixture.url}/page?fault` }, headers });
    expect(retried.status).toBe(202);
    expect(retried.headers.get('idempotent-replayed')).toBeNull();
  });
});
