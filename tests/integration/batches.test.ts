import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { batchListSchema, batchSchema } from '@/lib/schemas/batches';
import { createTestAccount } from '@/tests/helpers/accounts';
import { api } from '@/tests/helpers/api';
import { useJobsEnvironment } from '@/tests/helpers/environment';
import { waitFor } from '@/tests/helpers/worker';

// Batches against the real queue and a real worker: the worker starts once the first batch is
// queued, so the first test watches 1,000 jobs go from all queued to all finished.
const env = useJobsEnvironment({}, { worker: false });

const urlsFor = (n: number, path: (i: number) => string) => Array.from({ length: n }, (_, i) => `${env.fixture.url}${path(i)}`);

async function balanceOf(accountId: string) {
  const [row] = await env.database.client`SELECT credits, reserved_credits FROM accounts WHERE id = ${accountId}`;
  return row as { credits: number; reserved_credits: number };
}

describe('batches', () => {
  it('creates 1,000 jobs at once, reports their progress, and charges each finished job once', async () => {
    const { secret, account } = await createTestAccount(env.database.db, { credits: 1500 });
    // Every 100th URL fails (HTTP 404): failed jobs are finished, and charged, too.
    const urls = urlsFor(1000, (i) => (i % 100 === 99 ? `/status/404?n=${i}` : `/page?n=${i}`));
    const started = performance.now();
    const created = await api('POST', '/api/v1/batches', {
      key: secret,
      body: { urls, format: 'text', name: 'Catalog refresh', tags: ['shop:eu'], priority: 'high' },
    });
    console.info(`[batches] created 1,000 jobs in ${Math.round(performance.now() - started)} ms`);
    expect(created.status).toBe(202);
    const id = created.body.id as string;
    expect(created.headers.get('location')).toBe(`/api/v1/batches/${id}`);
    expect(created.body).toMatchObject({
      name: 'Catalog refresh',
      tags: ['shop:eu'],
      priority: 'high',
      engine: 'http',
      total: 1000,
      counts: { queued: 1000, processing: 0, completed: 0, failed: 0, cancelled: 0, expired: 0 },
      finished: 0,
      percent: 0,
      creditsCharged: 0,
      creditsReserved: 1000,
      status: 'active',
      cancelledAt: null,
    });
    expect(created.body.config.format).toBe('text');
    // The reply is what the OpenAPI document says (strict: no undocumented field).
    expect(batchSchema.safeParse(created.body).error).toBeUndefined();
    expect(await balanceOf(account.id)).toEqual({ credits: 1500, reserved_credits: 1000 });

    // Each job is an ordinary job: listed with the batch's labels, logged, queued.
    const listed = await api('GET', `/api/v1/jobs?batch=${id}&size=100`, { key: secret });
    expect(listed.body.total).toBe(1000);
    expect(urls).toContain(listed.body.data[0].url);
    expect(listed.body.data[0]).toMatchObject({ batchId: id, name: 'Catalog refresh', tags: ['shop:eu'], priority: 'high', status: 'queued', credits: 1 });
    const logs = await api('GET', `/api/v1/jobs/${listed.body.data[1].id}/logs`, { key: secret });
    expect(logs.body.data.map((entry: { message: string }) => entry.message)).toEqual(['Job queued', expect.stringMatching(/^Queue position: \d+$/)]);
    const jobIds = (await env.database.client`SELECT id FROM jobs WHERE batch_id = ${id}`).map((row) => row.id as string);
    const [queue] = await env.database.client`SELECT count(*)::int AS n FROM pgboss.job WHERE id = ANY(${jobIds}) AND state = 'created' AND priority = 10`;
    expect(queue.n).toBe(1000);
    const audit = await env.database.client`SELECT actor_type, action, details FROM audit_log WHERE target_id = ${id}`;
    expect(audit).toEqual([{ actor_type: 'api_key', action: 'batch.create', details: { jobs: 1000 } }]);

    await env.startWorker();
    const seen = new Set<number>();
    const done = await waitFor(
      async () => {
        const { body } = await api('GET', `/api/v1/batches/${id}`, { key: secret });
        seen.add(body.finished);
        return body.status === 'completed' ? body : undefined;
      },
      { timeoutMs: 120_000, intervalMs: 100, what: 'the batch to finish' },
    );
    // The progress moved through values between none and all.
    expect([...seen].some((n) => n > 0 && n < 1000)).toBe(true);
    expect(done).toMatchObject({
      counts: { queued: 0, processing: 0, completed: 990, failed: 10, cancelled: 0, expired: 0 },
      finished: 1000,
      percent: 100,
      creditsCharged: 1000,
      creditsReserved: 0,
    });

    const [ledger] = await env.database.client`
      SELECT count(*)::int AS n, count(DISTINCT job_id)::int AS jobs, coalesce(sum(amount), 0)::int AS total
      FROM credit_ledger WHERE account_id = ${account.id} AND reason = 'job_charge'`;
    expect(ledger).toEqual({ n: 1000, jobs: 1000, total: -1000 });
    expect(await balanceOf(account.id)).toEqual({ credits: 500, reserved_credits: 0 });

    const listedBatches = await api('GET', '/api/v1/batches', { key: secret });
    expect(listedBatches.body).toMatchObject({ page: 1, size: 25, total: 1, totalPages: 1 });
    expect(listedBatches.body.data[0]).toMatchObject({ id, status: 'completed', finished: 1000 });
    expect(batchListSchema.safeParse(listedBatches.body).error).toBeUndefined();
  });

  it('refuses a batch the balance cannot cover, writing nothing', async () => {
    const { secret, account } = await createTestAccount(env.database.db, { credits: 5 });
    const reply = await api('POST', '/api/v1/batches', { key: secret, body: { urls: urlsFor(10, (i) => `/page?n=${i}`) } });
    expect(reply.status).toBe(402);
    expect(reply.body.error).toMatchObject({ code: 'insufficient_credits', details: { required: 10, available: 5 } });
    const [counts] = await env.database.client`
      SELECT (SELECT count(*)::int FROM batches WHERE account_id = ${account.id}) AS batches,
             (SELECT count(*)::int FROM jobs WHERE account_id = ${account.id}) AS jobs,
             (SELECT count(*)::int FROM audit_log WHERE account_id = ${account.id} AND action = 'batch.create') AS audit`;
    expect(counts).toEqual({ batches: 0, jobs: 0, audit: 0 });
    expect(await balanceOf(account.id)).toEqual({ credits: 5, reserved_credits: 0 });
    // A test key charges nothing, so the same batch goes through.
    const free = await createTestAccount(env.database.db, { credits: 0, kind: 'test' });
    const accepted = await api('POST', '/api/v1/batches', { key: free.secret, body: { urls: urlsFor(3, (i) => `/page?n=${i}`) } });
    expect(accepted.status).toBe(202);
    expect(accepted.body.creditsReserved).toBe(0);
  });

  it('names every invalid field, URLs by their position', async () => {
    const { secret } = await createTestAccount(env.database.db, { credits: 10 });
    const fields = async (body: unknown) => {
      const reply = await api('POST', '/api/v1/batches', { key: secret, body });
      expect(reply.status).toBe(400);
      return reply.body.error.details.fields.map((f: { field: string }) => f.field);
    };
    const good = `${env.fixture.url}/page`;
    expect((await fields({ urls: [good, good, good, 'ftp://example.com/file', good, 'not a url'], timeoutMs: 5, priority: 'asap' })).sort()).toEqual([
      'priority',
      'timeoutMs',
      'urls.3',
      'urls.5',
    ]);
    expect(await fields({})).toEqual(['urls']);
    expect(await fields({ urls: [] })).toEqual(['urls']);
    expect((await fields({ urls: [good], webhookUrl: 'mailto:ops@example.com', tags: ['Bad Tag'] })).sort()).toEqual(['tags.0', 'webhookUrl']);
    // A batch takes one token of the creation rate limit per URL (at most the whole bucket), so
    // the longest list goes under a key of its own.
    const fresh = await createTestAccount(env.database.db, { credits: 10 });
    const tooMany = await api('POST', '/api/v1/batches', {
      key: fresh.secret,
      body: { urls: Array.from({ length: 10_001 }, (_, i) => `https://example.com/${i}`) },
    });
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.error.details.fields).toEqual([{ field: 'urls', message: 'urls must hold at most 10,000 URLs' }]);
  });

  it('cancels a big batch mid-way: unfinished jobs cancelled and uncharged, finished ones keep their charge', async () => {
    await env.startWorker();
    const { secret, account } = await createTestAccount(env.database.db, { credits: 1000 });
    const created = await api('POST', '/api/v1/batches', { key: secret, body: { urls: urlsFor(1000, (i) => `/slow?ms=30&n=${i}`) } });
    expect(created.status).toBe(202);
    const id = created.body.id as string;
    await waitFor(async () => (await api('GET', `/api/v1/batches/${id}`, { key: secret })).body.finished >= 20, {
      timeoutMs: 60_000,
      what: 'some jobs to finish',
    });

    const cancelled = await api('POST', `/api/v1/batches/${id}/cancel`, { key: secret });
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.status).toBe('cancelled');
    expect(cancelled.body.cancelledAt).not.toBeNull();
    expect(cancelled.body.counts.queued).toBe(0);
    expect(cancelled.body.counts.cancelled).toBeGreaterThan(500);

    // Processing jobs stop through the single-job cancel; each ends one way or the other.
    const settled = await waitFor(
      async () => {
        const { body } = await api('GET', `/api/v1/batches/${id}`, { key: secret });
        return body.finished === 1000 ? body : undefined;
      },
      { timeoutMs: 30_000, what: 'every job to settle' },
    );
    const charged = settled.counts.completed + settled.counts.failed;
    expect(settled.counts.cancelled + charged).toBe(1000);
    expect(settled.creditsCharged).toBe(charged);
    expect(settled.creditsReserved).toBe(0);

    const jobs = await env.database.client`SELECT id, status, credits_charged FROM jobs WHERE batch_id = ${id}`;
    for (const job of jobs) expect(job.credits_charged).toBe(job.status === 'cancelled' ? 0 : 1);
    const [ledger] = await env.database.client`
      SELECT count(*)::int AS n, count(DISTINCT job_id)::int AS jobs FROM credit_ledger WHERE account_id = ${account.id} AND reason = 'job_charge'`;
    expect(ledger).toEqual({ n: charged, jobs: charged });
    expect(await balanceOf(account.id)).toEqual({ credits: 1000 - charged, reserved_credits: 0 });

    // A cancelled queued job: its log says so and its queue entry is gone.
    const cancelledIds = jobs.filter((job) => job.status === 'cancelled').map((job) => job.id as string);
    const logs = await api('GET', `/api/v1/jobs/${cancelledIds.at(-1)}/logs`, { key: secret });
    expect(logs.body.data.map((entry: { message: string }) => entry.message).slice(-2)).toEqual([
      'Cancellation requested by user',
      'Job cancelled successfully',
    ]);
    const [waiting] = await env.database.client`SELECT count(*)::int AS n FROM pgboss.job WHERE id = ANY(${cancelledIds}) AND state = 'created'`;
    expect(waiting.n).toBe(0);
    const cancelledList = await api('GET', `/api/v1/jobs?batch=${id}&status=cancelled`, { key: secret });
    expect(cancelledList.body.total).toBe(settled.counts.cancelled);

    const again = await api('POST', `/api/v1/batches/${id}/cancel`, { key: secret });
    expect(again.status).toBe(409);
    const audit = await env.database.client`SELECT action, details FROM audit_log WHERE target_id = ${id} ORDER BY id`;
    expect(audit.map((entry) => entry.action)).toEqual(['batch.create', 'batch.cancel']);
  });

  it('takes the largest batch, 10,000 URLs, and cancels it in bulk', async () => {
    const { secret, account } = await createTestAccount(env.database.db, { credits: 10_000 });
    let started = performance.now();
    const created = await api('POST', '/api/v1/batches', { key: secret, body: { urls: urlsFor(10_000, (i) => `/slow?ms=50&n=${i}`) } });
    console.info(`[batches] created 10,000 jobs in ${Math.round(performance.now() - started)} ms`);
    expect(created.status).toBe(202);
    expect(created.body).toMatchObject({ total: 10_000, creditsReserved: 10_000 });
    started = performance.now();
    const cancelled = await api('POST', `/api/v1/batches/${created.body.id}/cancel`, { key: secret });
    console.info(`[batches] cancelled 10,000 jobs in ${Math.round(performance.now() - started)} ms`);
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.counts.queued).toBe(0);
    const settled = await waitFor(
      async () => {
        const { body } = await api('GET', `/api/v1/batches/${created.body.id}`, { key: secret });
        return body.finished === 10_000 ? body : undefined;
      },
      { timeoutMs: 30_000, what: 'every job to settle' },
    );
    const charged = settled.counts.completed + settled.counts.failed;
    expect(settled.counts.cancelled).toBe(10_000 - charged);
    expect(await balanceOf(account.id)).toEqual({ credits: 10_000 - charged, reserved_credits: 0 });
  });

  it('filters the jobs list, its counts and the export by batch', async () => {
    const { secret } = await createTestAccount(env.database.db, { credits: 50 });
    const first = await api('POST', '/api/v1/batches', { key: secret, body: { urls: urlsFor(3, (i) => `/text?n=${i}`) } });
    const second = await api('POST', '/api/v1/batches', { key: secret, body: { urls: urlsFor(2, (i) => `/text?m=${i}`) } });
    await api('POST', '/api/v1/jobs', { key: secret, body: { url: `${env.fixture.url}/page` } });

    const ids = async (query: string) => (await api('GET', `/api/v1/jobs?${query}`, { key: secret })).body.data.map((job: { batchId: string }) => job.batchId);
    expect(await ids(`batch=${first.body.id}`)).toEqual([first.body.id, first.body.id, first.body.id]);
    expect(await ids(`batch=${second.body.id}`)).toEqual([second.body.id, second.body.id]);
    expect((await api('GET', '/api/v1/jobs', { key: secret })).body.total).toBe(6);
    const counts = await api('GET', `/api/v1/jobs/counts?batch=${second.body.id}`, { key: secret });
    expect(counts.body.engine).toEqual({ http: 2 });
    const exported = await api('GET', `/api/v1/jobs/export?count=1&batch=${first.body.id}`, { key: secret });
    expect(exported.body.count).toBe(3);
    const deletable = await api('POST', '/api/v1/jobs/delete', { key: secret, body: { batch: second.body.id, dryRun: true } });
    expect(deletable.body).toMatchObject({ dryRun: true, count: 2 });
    const bad = await api('GET', '/api/v1/jobs?batch=nope', { key: secret });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.fields[0].field).toBe('batch');
  });

  it('replays a create sent again with the same Idempotency-Key', async () => {
    const { secret, account } = await createTestAccount(env.database.db, { credits: 50 });
    const body = { urls: urlsFor(5, (i) => `/text?k=${i}`), name: 'Once' };
    const headers = { 'Idempotency-Key': randomUUID() };
    const first = await api('POST', '/api/v1/batches', { key: secret, body, headers });
    const replay = await api('POST', '/api/v1/batches', { key: secret, body, headers });
    expect(first.status).toBe(202);
    expect(replay.status).toBe(202);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(replay.headers.get('location')).toBe(`/api/v1/batches/${first.body.id}`);
    expect(replay.body.id).toBe(first.body.id);
    const mismatch = await api('POST', '/api/v1/batches', { key: secret, body: { ...body, name: 'Twice' }, headers });
    expect(mismatch.status).toBe(422);
    const [rows] = await env.database.client`
      SELECT (SELECT count(*)::int FROM batches WHERE account_id = ${account.id}) AS batches,
             (SELECT count(*)::int FROM jobs WHERE account_id = ${account.id}) AS jobs`;
    expect(rows).toEqual({ batches: 1, jobs: 5 });
  });

  it("answers 404 for an unknown batch and 403 for another account's", async () => {
    const owner = await createTestAccount(env.database.db, { credits: 10 });
    const other = await createTestAccount(env.database.db, { credits: 10 });
    const { body } = await api('POST', '/api/v1/batches', { key: owner.secret, body: { urls: urlsFor(1, () => '/page') } });
    expect((await api('GET', `/api/v1/batches/${body.id}`, { key: other.secret })).status).toBe(403);
    expect((await api('POST', `/api/v1/batches/${body.id}/cancel`, { key: other.secret })).status).toBe(403);
    expect((await api('GET', `/api/v1/batches/${randomUUID()}`, { key: other.secret })).status).toBe(404);
    expect((await api('GET', '/api/v1/batches/not-a-uuid', { key: other.secret })).status).toBe(404);
    expect((await api('GET', '/api/v1/batches', { key: other.secret })).body.total).toBe(0);
  });
});
