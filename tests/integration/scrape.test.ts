import { describe, expect, it } from 'vitest';
import { createTestAccount } from '@/tests/helpers/accounts';
import { api, waitForStatus } from '@/tests/helpers/api';
import { useJobsEnvironment } from '@/tests/helpers/environment';

const env = useJobsEnvironment();

describe('POST /api/v1/scrape', () => {
  it('answers 200 with the finished job and its content inline; the job is listed, logged and charged once', async () => {
    const { secret, account } = await createTestAccount(env.database.db, { credits: 10 });
    const reply = await api('POST', '/api/v1/scrape', { key: secret, body: { url: `${env.fixture.url}/page`, name: 'sync', wait: 20 } });
    expect(reply.status).toBe(200);
    const { job, result } = reply.body;
    expect(reply.headers.get('location')).toBe(`/api/v1/jobs/${job.id}`);
    expect(job).toMatchObject({ status: 'completed', credits: 1, name: 'sync' });
    expect(result).toMatchObject({ format: 'html', encoding: 'utf8', contentType: expect.stringContaining('text/html') });
    expect(result.content).toContain('<title>');
    expect(result.size).toBe(Buffer.byteLength(result.content));

    const list = await api('GET', '/api/v1/jobs', { key: secret });
    expect(list.body.data.map((j: any) => j.id)).toEqual([job.id]);
    const logs = await api('GET', `/api/v1/jobs/${job.id}/logs`, { key: secret });
    expect(logs.body.data.map((e: any) => e.message)).toEqual(expect.arrayContaining(['Job queued', 'Job completed successfully']));
    const [ledger] = await env.database.client`SELECT count(*)::int AS n, sum(amount)::int AS total FROM credit_ledger WHERE account_id = ${account.id} AND reason = 'job_charge'`;
    expect(ledger).toEqual({ n: 1, total: -1 });
  });

  it('inlines binary results as base64', async () => {
    const { secret } = await createTestAccount(env.database.db, { credits: 10 });
    const reply = await api('POST', '/api/v1/scrape', { key: secret, body: { url: `${env.fixture.url}/binary.png`, wait: 20 } });
    expect(reply.status).toBe(200);
    expect(reply.body.result).toMatchObject({ contentType: 'image/png', encoding: 'base64' });
    expect(Buffer.from(reply.body.result.content, 'base64').subarray(1, 4).toString()).toBe('PNG');
  });

  it('answers 202 with the job to poll when it does not finish within wait; the job completes later, charged once', async () => {
    const { secret, account } = await createTestAccount(env.database.db, { credits: 10 });
    const started = Date.now();
    const reply = await api('POST', '/api/v1/scrape', { key: secret, body: { url: `${env.fixture.url}/slow?ms=2500`, wait: 1 } });
    expect(reply.status).toBe(202);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    expect(reply.body.result).toBeNull();
    expect(reply.body.job.status).toMatch(/^(queued|processing)$/);
    expect(reply.headers.get('location')).toBe(`/api/v1/jobs/${reply.body.job.id}`);

    const done = await waitForStatus(reply.body.job.id, secret, ['completed', 'failed']);
    expect(done).toMatchObject({ status: 'completed', credits: 1 });
    const [balance] = await env.database.client`SELECT credits, reserved_credits FROM accounts WHERE id = ${account.id}`;
    expect(balance).toEqual({ credits: 9, reserved_credits: 0 });
  });

  it('returns a failed job with 200 and no result, and validates wait', async () => {
    const { secret } = await createTestAccount(env.database.db, { credits: 10 });
    const failed = await api('POST', '/api/v1/scrape', { key: secret, body: { url: `${env.fixture.url}/status/404`, wait: 20 } });
    expect(failed.status).toBe(200);
    expect(failed.body).toMatchObject({ job: { status: 'failed', error: { type: expect.any(String) } }, result: null });

    const bad = await api('POST', '/api/v1/scrape', { key: secret, body: { url: `${env.fixture.url}/page`, wait: 61 } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.fields).toEqual([expect.objectContaining({ field: 'wait' })]);
  });

  it('replays with the same Idempotency-Key instead of scraping twice', async () => {
    const { secret, account } = await createTestAccount(env.database.db, { credits: 10 });
    const request = { key: secret, body: { url: `${env.fixture.url}/text`, wait: 20 }, headers: { 'Idempotency-Key': 'sync-1' } };
    const first = await api('POST', '/api/v1/scrape', request);
    const again = await api('POST', '/api/v1/scrape', request);
    expect([first.status, again.status]).toEqual([200, 200]);
    expect(again.body).toEqual(first.body);
    const [jobs] = await env.database.client`SELECT count(*)::int AS n FROM jobs WHERE account_id = ${account.id}`;
    expect(jobs.n).toBe(1);
  });
});
