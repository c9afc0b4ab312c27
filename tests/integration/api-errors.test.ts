import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { revokeApiKey } from '@/db/queries/accounts';
import { createTestAccount } from '@/tests/helpers/accounts';
import { api } from '@/tests/helpers/api';
import { createTestDatabase } from '@/tests/helpers/database';

// No worker runs in this file: every job stays queued, which is what these checks need.

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let owner: Awaited<ReturnType<typeof createTestAccount>>;

beforeAll(async () => {
  database = await createTestDatabase();
  owner = await createTestAccount(database.db, { credits: 50 });
});
afterAll(async () => database?.close());

const fieldsOf = (body: any) => body.error.details.fields.map((f: { field: string }) => f.field);

describe('bad input gets a 400 naming every field', () => {
  it('names each invalid field at once', async () => {
    const reply = await api('POST', '/api/v1/jobs', {
      key: owner.secret,
      body: { url: 'ftp://example.com/file', engine: 'rocket', format: 'pdf', timeoutMs: 5, headers: { 'bad header': 'x' } },
    });
    expect(reply.status).toBe(400);
    expect(reply.body.error.code).toBe('validation_error');
    expect(fieldsOf(reply.body)).toEqual(expect.arrayContaining(['url', 'engine', 'format', 'timeoutMs']));
    expect(reply.body.error.message).toContain('url');
  });

  it('rejects a missing url, a relative url and one over 8,192 characters', async () => {
    for (const url of [undefined, '/just/a/path', `https://example.com/${'a'.repeat(8200)}`]) {
      const reply = await api('POST', '/api/v1/jobs', { key: owner.secret, body: { url } });
      expect(reply.status).toBe(400);
      expect(fieldsOf(reply.body)).toContain('url');
    }
  });

  it('rejects malformed JSON and an oversized body', async () => {
    const malformed = await api('POST', '/api/v1/jobs', { key: owner.secret, rawBody: '{"url": ', headers: { 'content-type': 'application/json' } });
    expect(malformed.status).toBe(400);
    expect(malformed.body.error.message).toMatch(/not valid JSON/);
    const huge = await api('POST', '/api/v1/jobs', { key: owner.secret, rawBody: JSON.stringify({ url: 'https://example.com', body: 'x'.repeat(3 * 1024 * 1024) }) });
    expect(huge.status).toBe(413);
    expect(huge.body.error.code).toBe('payload_too_large');
  });

  it('validates list query parameters', async () => {
    const reply = await api('GET', '/api/v1/jobs?size=7&status=sleeping&engine=ftp', { key: owner.secret });
    expect(reply.status).toBe(400);
    expect(fieldsOf(reply.body)).toEqual(expect.arrayContaining(['size', 'status', 'engine']));
    const range = await api('GET', '/api/v1/jobs?from=2026-01-01&to=2026-06-01', { key: owner.secret });
    expect(range.status).toBe(400);
    expect(range.body.error.message).toContain('at most 90 days');
  });

  it('accepted jobs are stored with defaults and nothing half-written on failure', async () => {
    const reply = await api('POST', '/api/v1/jobs', { key: owner.secret, body: { url: 'https://example.com/a' } });
    expect(reply.status).toBe(202);
    expect(reply.body.config).toMatchObject({ method: 'GET', format: 'html', timeoutMs: 30000 });
    const list = await api('GET', '/api/v1/jobs', { key: owner.secret });
    expect(list.body.total).toBe(1); // the invalid submissions above left no rows
  });
});

describe('authentication and access', () => {
  it('401 without a key, with a malformed key, with an unknown key and with a revoked key', async () => {
    expect((await api('GET', '/api/v1/jobs')).status).toBe(401);
    expect((await api('GET', '/api/v1/jobs', { headers: { authorization: 'Basic abc' } })).status).toBe(401);
    expect((await api('GET', '/api/v1/jobs', { key: 'sk_live_unknownunknownunknownunknown' })).status).toBe(401);
    const other = await createTestAccount(database.db);
    await revokeApiKey(database.db, { accountId: other.account.id, keyId: other.key.id });
    const revoked = await api('GET', '/api/v1/jobs', { key: other.secret });
    expect(revoked.status).toBe(401);
    expect(revoked.body.error.message).toMatch(/revoked/);
  });

  it("403 on another account's job, 404 on an unknown one", async () => {
    const { body: job } = await api('POST', '/api/v1/jobs', { key: owner.secret, body: { url: 'https://example.com/mine' } });
    const stranger = await createTestAccount(database.db);
    for (const path of ['', '/logs', '/result']) {
      expect((await api('GET', `/api/v1/jobs/${job.id}${path}`, { key: stranger.secret })).status).toBe(403);
    }
    expect((await api('POST', `/api/v1/jobs/${job.id}/cancel`, { key: stranger.secret })).status).toBe(403);
    expect((await api('POST', `/api/v1/jobs/${job.id}/retry`, { key: stranger.secret })).status).toBe(403);
    expect((await api('GET', '/api/v1/jobs/00000000-0000-4000-8000-000000000000', { key: owner.secret })).status).toBe(404);
    expect((await api('GET', '/api/v1/jobs/not-a-uuid', { key: owner.secret })).status).toBe(404);
    const listed = await api('GET', '/api/v1/jobs', { key: stranger.secret });
    expect(listed.body.total).toBe(0);
  });
});

describe('credits', () => {
  it('402 when the balance cannot cover the job, counting jobs already reserved', async () => {
    const poor = await createTestAccount(database.db, { credits: 6 });
    expect((await api('POST', '/api/v1/jobs', { key: poor.secret, body: { url: 'https://example.com', engine: 'browser' } })).status).toBe(202);
    const reply = await api('POST', '/api/v1/jobs', { key: poor.secret, body: { url: 'https://example.com', engine: 'browser' } });
    expect(reply.status).toBe(402);
    expect(reply.body.error).toMatchObject({ code: 'insufficient_credits', details: { required: 5, available: 1 } });
    expect((await api('POST', '/api/v1/jobs', { key: poor.secret, body: { url: 'https://example.com' } })).status).toBe(202);
  });

  it('test keys never need or spend credits', async () => {
    const tester = await createTestAccount(database.db, { credits: 0, kind: 'test' });
    const reply = await api('POST', '/api/v1/jobs', { key: tester.secret, body: { url: 'https://example.com', engine: 'stealth' } });
    expect(reply.status).toBe(202);
    expect(reply.body).toMatchObject({ credits: 0, apiKey: { test: true } });
  });
});

describe('state rules', () => {
  it('409 for retrying an unfinished job and for cancelling a finished one', async () => {
    const { body: job } = await api('POST', '/api/v1/jobs', { key: owner.secret, body: { url: 'https://example.com/r' } });
    expect((await api('POST', `/api/v1/jobs/${job.id}/retry`, { key: owner.secret })).status).toBe(409);
    const cancelled = await api('POST', `/api/v1/jobs/${job.id}/cancel`, { key: owner.secret });
    expect(cancelled.status).toBe(200);
    expect(cancelled.body).toMatchObject({ status: 'cancelled', credits: 0 });
    const again = await api('POST', `/api/v1/jobs/${job.id}/cancel`, { key: owner.secret });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('conflict');
  });

  it('browser jobs are accepted and queued like any other', async () => {
    const { body: job } = await api('POST', '/api/v1/jobs', { key: owner.secret, body: { url: 'https://example.com', engine: 'browser' } });
    expect(job).toMatchObject({ status: 'queued', engine: 'browser', credits: 5 });
    const logs = await api('GET', `/api/v1/jobs/${job.id}/logs`, { key: owner.secret });
    expect(logs.body.data.map((e: any) => [e.level, e.message])).toEqual([
      ['INFO', 'Job queued'],
      ['INFO', expect.stringMatching(/^Queue position: \d+$/)],
    ]);
  });
});
