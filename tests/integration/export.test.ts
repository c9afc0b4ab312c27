import { describe, expect, it, vi } from 'vitest';
import { localToday } from '@/lib/date-ranges';
import { createTestAccount } from '@/tests/helpers/accounts';
import { api } from '@/tests/helpers/api';
import { useJobsEnvironment } from '@/tests/helpers/environment';
import { waitFor } from '@/tests/helpers/worker';

vi.mock('@/lib/server/session', () => import('@/tests/helpers/session'));

const env = useJobsEnvironment();

async function finishedJob(secret: string, path: string) {
  const { body } = await api('POST', '/api/v1/jobs', { key: secret, body: { url: `${env.fixture.url}${path}` } });
  return waitFor(async () => {
    const { body: job } = await api('GET', `/api/v1/jobs/${body.id}`, { key: secret });
    return ['completed', 'failed'].includes(job.status) ? job : undefined;
  }, { what: `job ${body.id} to finish` });
}

const bytesOf = async (reply: { raw: Response }) => Buffer.from(await reply.raw.arrayBuffer());

describe('export formats (spec section 10)', () => {
  it('writes CSV with a BOM, the exact fields, quoting and escaped newlines, named by the date', async () => {
    const { account } = await createTestAccount(env.database.db, { credits: 10 });
    // A key name with a comma, quotes and a newline: the worst a field holds.
    const created = await api('POST', '/api/v1/keys', { session: account.id, body: { name: 'Ops "blue", team\nnight', kind: 'live' } });
    const secret = created.body.secret;
    const ok = await finishedJob(secret, '/page?a=1,2');
    const failed = await finishedJob(secret, '/status/404');

    const tz = 600; // UTC-10: the file is named by the viewer's date
    const reply = await api('GET', `/api/v1/jobs/export?format=csv&tz=${tz}`, { key: secret });
    expect(reply.status).toBe(200);
    expect(reply.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(reply.headers.get('content-disposition')).toBe(`attachment; filename="scrapifie-jobs-${localToday(tz)}.csv"`);
    expect(reply.headers.get('x-export-total')).toBe('2');
    expect(reply.headers.get('x-export-warning')).toBeNull();

    const bytes = await bytesOf(reply);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = bytes.subarray(3).toString('utf8').split('\r\n');
    expect(lines).toHaveLength(4); // header, two jobs, and the empty string after the last CRLF
    expect(lines[0]).toBe('Job ID,Status,Target URL,Engine,API Key Name,Credits,Duration (seconds),Created At,Completed At,Error Type,Name,Tags,Priority');
    const name = '"Ops ""blue"", team\\nnight"';
    const row = (job: any, url: string, error: string) =>
      [job.id, job.status, url, 'http', name, '1', String(job.durationMs / 1000), job.createdAt, job.finishedAt, error, '', '', 'normal'].join(',');
    expect(lines[1]).toBe(row(failed, `${env.fixture.url}/status/404`, 'INVALID_URL'));
    expect(lines[2]).toBe(row(ok, `"${env.fixture.url}/page?a=1,2"`, ''));
    expect(lines[3]).toBe('');
  });

  it('writes JSON as one array with 2-space indentation and the same fields; an empty export is []', async () => {
    const { secret } = await createTestAccount(env.database.db, { credits: 10 });
    const job = await finishedJob(secret, '/page');
    const reply = await api('GET', '/api/v1/jobs/export?format=json', { key: secret });
    expect(reply.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(reply.headers.get('content-disposition')).toBe(`attachment; filename="scrapifie-jobs-${localToday(0)}.json"`);
    const text = (await bytesOf(reply)).toString('utf8');
    expect(text).toBe(`${JSON.stringify(reply.body, null, 2)}\n`);
    expect(reply.body).toEqual([
      {
        jobId: job.id,
        status: 'completed',
        targetUrl: `${env.fixture.url}/page`,
        engine: 'http',
        apiKeyName: 'Production key',
        credits: 1,
        durationSeconds: job.durationMs / 1000,
        createdAt: job.createdAt,
        completedAt: job.finishedAt,
        errorType: null,
        name: null,
        tags: [],
        priority: 'normal',
      },
    ]);

    const none = await api('GET', '/api/v1/jobs/export?format=json&status=failed', { key: secret });
    expect((await bytesOf(none)).toString('utf8')).toBe('[]\n');
    const bad = await api('GET', '/api/v1/jobs/export?format=xlsx&status=nope', { key: secret });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.fields.map((f: any) => f.field).sort()).toEqual(['format', 'status']);
  });
});

describe('export limits', () => {
  it('exports the most recent 10,000 of more, with the warning, streamed in keyset pages', async () => {
    const { account, key, secret } = await createTestAccount(env.database.db, { credits: 10 });
    await env.database.client`
      INSERT INTO jobs (id, account_id, api_key_id, url, engine, config, status, max_attempts, credit_cost, credits_charged, created_at, finished_at, duration_ms)
      SELECT gen_random_uuid(), ${account.id}, ${key.id}, 'https://example.com/p/' || g, 'http', '{}'::jsonb, 'completed', 3, 1, 1,
             now() - make_interval(secs => g), now() - make_interval(secs => g) + interval '1 second', 1000
      FROM generate_series(1, 10005) AS g`;
    const warning = 'Your filters match 10,005 jobs. Only the most recent 10,000 will be exported.';

    const summary = await api('GET', '/api/v1/jobs/export?count=1', { session: account.id });
    expect(summary.body).toEqual({ count: 10005, rows: 10000, maxRows: 10000, warning, exportsRemaining: 5, retryAfterSeconds: null });

    const reply = await api('GET', '/api/v1/jobs/export?format=csv', { session: account.id });
    expect(reply.headers.get('x-export-warning')).toBe(warning);
    expect(reply.headers.get('x-export-total')).toBe('10005');
    expect(reply.headers.get('x-export-rows')).toBe('10000');
    const lines = (await bytesOf(reply)).subarray(3).toString('utf8').trimEnd().split('\r\n').slice(1);
    expect(lines).toHaveLength(10_000);
    const urls = lines.map((line) => line.split(',')[2]);
    expect(new Set(lines.map((line) => line.split(',')[0])).size).toBe(10_000);
    // Newest first, and the 5 oldest are the ones left out.
    expect(urls[0]).toBe('https://example.com/p/1');
    expect(urls.at(-1)).toBe('https://example.com/p/10000');

    const json = await api('GET', '/api/v1/jobs/export?format=json', { session: account.id });
    expect(json.body).toHaveLength(10_000);
    expect(json.body.map((row: any) => row.jobId)).toEqual(lines.map((line) => line.split(',')[0]));
  });

  it('allows 5 exports an hour, even when requested at once, then 429 with Retry-After', async () => {
    const { secret } = await createTestAccount(env.database.db, { credits: 10 });
    const replies = await Promise.all(Array.from({ length: 8 }, () => api('GET', '/api/v1/jobs/export?format=csv', { key: secret })));
    expect(replies.filter((r) => r.status === 200)).toHaveLength(5);
    const limited = replies.filter((r) => r.status === 429);
    expect(limited).toHaveLength(3);
    expect(limited[0].body.error).toMatchObject({
      code: 'rate_limited',
      message: 'Export limit reached: at most 5 exports per hour. Try again in 60 minutes.',
    });
    const retryAfter = Number(limited[0].headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(3500);
    expect(retryAfter).toBeLessThanOrEqual(3600);
    // Counting is free, and says the limit is reached.
    const summary = await api('GET', '/api/v1/jobs/export?count=1', { key: secret });
    expect(summary.status).toBe(200);
    expect(summary.body).toMatchObject({ count: 0, exportsRemaining: 0, retryAfterSeconds: expect.any(Number) });
  });
});
