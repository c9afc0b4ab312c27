import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { revokeApiKey } from '@/db/queries/accounts';
import { createApiKey } from '@/lib/server/accounts';
import { createTestAccount } from '@/tests/helpers/accounts';
import { runAdmin } from '@/tests/helpers/admin';
import { api } from '@/tests/helpers/api';
import { createTestDatabase } from '@/tests/helpers/database';

// API keys, the dashboard's default key, saved form defaults and suspension. No worker runs:
// submitted jobs stay queued, which is all these checks need.

vi.mock('@/lib/server/session', () => import('@/tests/helpers/session'));

let database: Awaited<ReturnType<typeof createTestDatabase>>;

beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => database?.close());

describe('API keys', () => {
  it('creates a key whose secret is shown once and stored only as a hash', async () => {
    const { account } = await createTestAccount(database.db);
    const created = await api('POST', '/api/v1/keys', { session: account.id, body: { name: '  CI runner ', kind: 'test' } });
    expect(created.status).toBe(201);
    expect(created.headers.get('cache-control')).toBe('no-store');
    expect(created.headers.get('location')).toBe(`/api/v1/keys/${created.body.id}`);
    const { secret, ...key } = created.body;
    expect(secret).toMatch(/^sk_test_[A-Za-z0-9_-]{20,}$/);
    expect(key).toMatchObject({ name: 'CI runner', kind: 'test', prefix: secret.slice(0, 12), status: 'active', revokedAt: null, lastUsedAt: null });

    const [row] = await database.client`SELECT * FROM api_keys WHERE id = ${key.id}`;
    expect(row.key_hash).toBe(createHash('sha256').update(secret).digest('hex'));
    expect(JSON.stringify(row)).not.toContain(secret);

    const list = await api('GET', '/api/v1/keys', { session: account.id });
    const listed = list.body.data.find((k: any) => k.id === key.id);
    expect(listed).toEqual(key);
    expect(JSON.stringify(list.body)).not.toContain(secret.slice(12));
    expect(Object.keys(listed).sort()).toEqual(
      ['id', 'name', 'prefix', 'kind', 'createdAt', 'lastUsedAt', 'revokedAt', 'status', 'revoked'].sort(),
    );

    // The secret works at once, and the list shows when it was last used.
    expect((await api('GET', '/api/v1/jobs', { key: secret })).status).toBe(200);
    const used = await api('GET', `/api/v1/keys/${key.id}`, { session: account.id });
    expect(Date.parse(used.body.lastUsedAt)).toBeGreaterThan(Date.now() - 60_000);
  });

  it('refuses to create keys with an API key, or with a bad name or kind', async () => {
    const { account, secret } = await createTestAccount(database.db);
    const withKey = await api('POST', '/api/v1/keys', { key: secret, body: { name: 'Minted', kind: 'live' } });
    expect(withKey.status).toBe(403);
    expect(withKey.body.error.message).toMatch(/dashboard/);
    const invalid = await api('POST', '/api/v1/keys', { session: account.id, body: { name: '   ', kind: 'prod' } });
    expect(invalid.status).toBe(400);
    expect(invalid.body.error.details.fields.map((f: any) => f.field).sort()).toEqual(['kind', 'name']);
  });

  it('revokes a key: it stops working, its jobs stay viewable, a second revoke changes nothing', async () => {
    const owner = await createTestAccount(database.db, { credits: 20 });
    const spare = await createApiKey(database.db, { accountId: owner.account.id, name: 'Spare', kind: 'live' });
    const { body: job } = await api('POST', '/api/v1/jobs', { key: owner.secret, body: { url: 'https://example.com/k' } });

    const revoked = await api('DELETE', `/api/v1/keys/${owner.key.id}`, { session: owner.account.id });
    expect(revoked.status).toBe(200);
    expect(revoked.body).toMatchObject({ id: owner.key.id, status: 'revoked', revoked: true });
    expect(Date.parse(revoked.body.revokedAt)).not.toBeNaN();
    const again = await api('DELETE', `/api/v1/keys/${owner.key.id}`, { key: spare.secret });
    expect(again.body.revokedAt).toBe(revoked.body.revokedAt);

    expect((await api('GET', '/api/v1/jobs', { key: owner.secret })).status).toBe(401);
    const viewed = await api('GET', `/api/v1/jobs/${job.id}`, { key: spare.secret });
    expect(viewed.status).toBe(200);
    expect(viewed.body.apiKey).toMatchObject({ id: owner.key.id, name: 'Production key', revoked: true });
    const keys = await api('GET', '/api/v1/keys', { session: owner.account.id });
    expect(keys.body.data.map((k: any) => [k.name, k.status])).toEqual([
      ['Spare', 'active'],
      ['Production key', 'revoked'],
    ]);

    const stranger = await createTestAccount(database.db);
    expect((await api('DELETE', `/api/v1/keys/${spare.key.id}`, { session: stranger.account.id })).status).toBe(404);
    expect((await api('GET', `/api/v1/keys/not-a-uuid`, { session: stranger.account.id })).status).toBe(404);
  });

  it("retries a revoked key's job with the first active key of the same kind, or refuses without one", async () => {
    const owner = await createTestAccount(database.db, { credits: 20 });
    const first = await createApiKey(database.db, { accountId: owner.account.id, name: 'Second live', kind: 'live' });
    await createApiKey(database.db, { accountId: owner.account.id, name: 'Third live', kind: 'live' });
    const { body: job } = await api('POST', '/api/v1/jobs', { key: owner.secret, body: { url: 'https://example.com/r' } });
    await api('POST', `/api/v1/jobs/${job.id}/cancel`, { key: owner.secret });
    await revokeApiKey(database.db, { accountId: owner.account.id, keyId: owner.key.id });

    const retried = await api('POST', `/api/v1/jobs/${job.id}/retry`, { session: owner.account.id });
    expect(retried.status).toBe(201);
    expect(retried.body).toMatchObject({ parentJobId: job.id, apiKey: { id: first.key.id, name: 'Second live', test: false } });

    // A test-key job needs a test key: live keys do not stand in for it.
    const test = await createApiKey(database.db, { accountId: owner.account.id, name: 'Sandbox', kind: 'test' });
    const { body: testJob } = await api('POST', '/api/v1/jobs', { key: test.secret, body: { url: 'https://example.com/t' } });
    expect(testJob).toMatchObject({ credits: 0, retryCost: 0, apiKey: { test: true } });
    await api('POST', `/api/v1/jobs/${testJob.id}/cancel`, { key: test.secret });
    await revokeApiKey(database.db, { accountId: owner.account.id, keyId: test.key.id });
    const refused = await api('POST', `/api/v1/jobs/${testJob.id}/retry`, { session: owner.account.id });
    expect(refused.status).toBe(409);
    expect(refused.body.error.message).toBe('No active API keys. Create a new key to retry.');
  });
});

describe('submitting from the dashboard', () => {
  it("uses the account's first active live key, else its first test key, else refuses", async () => {
    const { account, key } = await createTestAccount(database.db, { credits: 10 });
    const test = await createApiKey(database.db, { accountId: account.id, name: 'Sandbox', kind: 'test' });
    const live = await api('POST', '/api/v1/jobs', { session: account.id, body: { url: 'https://example.com/d', engine: 'browser' } });
    expect(live.status).toBe(202);
    expect(live.body).toMatchObject({ apiKey: { id: key.id, test: false }, credits: 5 });

    await revokeApiKey(database.db, { accountId: account.id, keyId: key.id });
    const sandbox = await api('POST', '/api/v1/jobs', { session: account.id, body: { url: 'https://example.com/d' } });
    expect(sandbox.body).toMatchObject({ apiKey: { id: test.key.id, test: true }, credits: 0 });

    await revokeApiKey(database.db, { accountId: account.id, keyId: test.key.id });
    const none = await api('POST', '/api/v1/jobs', { session: account.id, body: { url: 'https://example.com/d' } });
    expect(none.status).toBe(409);
    expect(none.body.error.message).toBe('No active API keys. Create a new key to submit jobs.');
  });

  it('remembers the form defaults, validated like a job request, until cleared', async () => {
    const { account } = await createTestAccount(database.db);
    expect((await api('GET', '/api/v1/preferences/job-defaults', { session: account.id })).body).toEqual({ defaults: null, updatedAt: null });

    const saved = await api('PUT', '/api/v1/preferences/job-defaults', {
      session: account.id,
      body: { engine: 'browser', format: 'markdown', screenshot: 'fullPage', proxyCountry: 'DE', url: 'https://not-kept.example' },
    });
    expect(saved.status).toBe(200);
    expect(saved.body.defaults).toEqual({
      engine: 'browser',
      format: 'markdown',
      screenshot: 'fullPage',
      proxyCountry: 'de',
      method: 'GET',
      headers: {},
      cookies: {},
      renderJs: true,
      waitTimeoutMs: 10_000,
      timeoutMs: 30_000,
    });
    expect((await api('GET', '/api/v1/preferences/job-defaults', { session: account.id })).body.defaults).toEqual(saved.body.defaults);

    const invalid = await api('PUT', '/api/v1/preferences/job-defaults', { session: account.id, body: { engine: 'rocket', timeoutMs: 5 } });
    expect(invalid.status).toBe(400);
    expect(invalid.body.error.details.fields.map((f: any) => f.field).sort()).toEqual(['engine', 'timeoutMs']);

    const cleared = await api('DELETE', '/api/v1/preferences/job-defaults', { session: account.id });
    expect(cleared.body).toEqual({ defaults: null, updatedAt: null });
    expect((await api('GET', '/api/v1/preferences/job-defaults', { session: account.id })).body.defaults).toBeNull();
  });
});

describe('suspension (operator command)', () => {
  it('403s API requests and dashboard actions, leaves the dashboard readable, and is undone', async () => {
    const { account, secret, email } = await createTestAccount(database.db, { credits: 10 });
    const { body: job } = await api('POST', '/api/v1/jobs', { key: secret, body: { url: 'https://example.com/s' } });

    expect(await runAdmin(database.url, ['suspend-account', '--email', email])).toEqual({ accountId: account.id, suspended: true });
    const byKey = await api('GET', '/api/v1/jobs', { key: secret });
    expect(byKey.status).toBe(403);
    expect(byKey.body.error).toEqual({ code: 'account_suspended', message: 'This account is suspended. Contact support to restore access.' });
    expect((await api('GET', '/api/v1/account', { session: account.id })).body).toMatchObject({ suspended: true });
    expect((await api('GET', `/api/v1/jobs/${job.id}`, { session: account.id })).status).toBe(200);
    for (const [method, path] of [
      ['POST', '/api/v1/jobs'],
      ['POST', `/api/v1/jobs/${job.id}/cancel`],
      ['POST', `/api/v1/jobs/${job.id}/retry`],
      ['DELETE', `/api/v1/jobs/${job.id}`],
      ['POST', '/api/v1/keys'],
    ] as const) {
      const reply = await api(method, path, { session: account.id, body: { url: 'https://example.com/s', name: 'x' } });
      expect([path, reply.status, reply.body.error.code]).toEqual([path, 403, 'account_suspended']);
    }

    expect(await runAdmin(database.url, ['unsuspend-account', '--email', email])).toEqual({ accountId: account.id, suspended: false });
    expect((await api('GET', '/api/v1/jobs', { key: secret })).status).toBe(200);
    expect((await api('GET', '/api/v1/account', { session: account.id })).body.suspended).toBe(false);
  });
});
