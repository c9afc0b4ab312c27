import { describe, expect, it } from 'vitest';
import { createTestAccount } from '@/tests/helpers/accounts';
import { api, waitForStatus } from '@/tests/helpers/api';
import { useJobsEnvironment } from '@/tests/helpers/environment';

const env = useJobsEnvironment();

async function logMessages(id: string, key: string): Promise<string[]> {
  const { body } = await api('GET', `/api/v1/jobs/${id}/logs`, { key });
  return body.data.map((entry: { message: string }) => entry.message);
}

describe('a job from submission to result', () => {
  it('runs an HTTP job end to end and charges 1 credit', async () => {
    const { secret } = await createTestAccount(env.database.db, { credits: 10 });
    const submitted = await api('POST', '/api/v1/jobs', { key: secret, body: { url: `${env.fixture.url}/page` } });
    expect(submitted.status).toBe(202);
    expect(submitted.headers.get('location')).toBe(`/api/v1/jobs/${submitted.body.id}`);
    // The reply reads the job after commit: a fast worker may already have claimed it.
    expect(submitted.body).toMatchObject({ engine: 'http', credits: 1, maxAttempts: 3 });
    expect(['queued', 'processing', 'completed']).toContain(submitted.body.status);

    const job = await waitForStatus(submitted.body.id, secret, ['completed', 'failed']);
    expect(job.status).toBe('completed');
    expect(job.credits).toBe(1);
    expect(job.durationMs).toBeGreaterThanOrEqual(0);
    expect(job.result).toMatchObject({ format: 'html', contentType: expect.stringContaining('text/html') });
    expect(job.attemptHistory).toEqual([expect.objectContaining({ attempt: 1, outcome: 'completed', error: null })]);

    const result = await api('GET', `/api/v1/jobs/${job.id}/result`, { key: secret });
    expect(result.status).toBe(200);
    expect(result.body).toContain('<title>');
    expect(result.headers.get('content-disposition')).toContain(`scrapifie-${job.id.slice(0, 8)}-html.html`);

    const messages = await logMessages(job.id, secret);
    expect(messages).toEqual(
      expect.arrayContaining(['Job queued', 'Worker picked up job', 'Engine: HTTP', 'Job completed successfully', 'Credits charged: 1']),
    );
    expect(messages.indexOf('Job queued')).toBeLessThan(messages.indexOf('Worker picked up job'));
    expect(messages.at(-1)).toBe('Credits charged: 1');
  });
});

describe('automatic retries and failures', () => {
  it('retries a 503 with backoff and completes on the third attempt', async () => {
    const { secret } = await createTestAccount(env.database.db, { credits: 10 });
    const { body } = await api('POST', '/api/v1/jobs', { key: secret, body: { url: `${env.fixture.url}/flaky?key=retry-ok&fail=2` } });
    const job = await waitForStatus(body.id, secret, ['completed', 'failed']);
    expect(job).toMatchObject({ status: 'completed', attempts: 3, credits: 1 });
    expect(job.attemptHistory.map((a: any) => a.outcome)).toEqual(['retrying', 'retrying', 'completed']);
    expect(job.attemptHistory[0].error).toMatchObject({ type: 'TARGET_UNAVAILABLE' });
    // Exponential backoff: 1 s then 4 s, scaled by RETRY_DELAY_SCALE (0.05) in tests.
    const gap = (n: number) => Date.parse(job.attemptHistory[n].startedAt) - Date.parse(job.attemptHistory[n - 1].finishedAt);
    expect(gap(1)).toBeGreaterThanOrEqual(45);
    expect(gap(2)).toBeGreaterThanOrEqual(195);
    const messages = await logMessages(job.id, secret);
    expect(messages.filter((m) => m.startsWith('Retry '))).toEqual([
      expect.stringMatching(/^Retry 1 of 2: .*503/),
      expect.stringMatching(/^Retry 2 of 2: .*503/),
    ]);
    const { body: logs } = await api('GET', `/api/v1/jobs/${job.id}/logs`, { key: secret });
    const retryLevels = logs.data.filter((e: any) => e.message.startsWith('Retry ')).map((e: any) => e.level);
    expect(retryLevels).toEqual(['WARN', 'WARN']);
  });

  it('fails after three attempts at a persistent 429, charged once', async () => {
    const { secret, account } = await createTestAccount(env.database.db, { credits: 10 });
    const { body } = await api('POST', '/api/v1/jobs', { key: secret, body: { url: `${env.fixture.url}/rate-limited` } });
    const job = await waitForStatus(body.id, secret, ['completed', 'failed']);
    expect(job).toMatchObject({ status: 'failed', attempts: 3, credits: 1, error: { type: 'RATE_LIMITED' } });
    expect(job.error.suggestions).toEqual(['Wait and retry', 'Reduce request frequency to the target']);
    expect(job.attemptHistory).toHaveLength(3);
    const messages = await logMessages(job.id, secret);
    expect(messages).toContain('All retry attempts exhausted');
    expect(messages).toContain('Credits charged: 1 (failed job)');
    expect(messages.some((m) => m.startsWith('Request failed: RATE_LIMITED - '))).toBe(true);
    expect(messages.some((m) => m.startsWith('Job failed: '))).toBe(true);
    const [ledger] = await env.database.client`SELECT count(*)::int AS n, sum(amount)::int AS total FROM credit_ledger WHERE job_id = ${job.id}`;
    expect(ledger).toEqual({ n: 1, total: -1 });
    const [balance] = await env.database.client`SELECT credits, reserved_credits FROM accounts WHERE id = ${account.id}`;
    expect(balance).toEqual({ credits: 9, reserved_credits: 0 });
  });

  it('does not retry a block page or a 404', async () => {
    const { secret } = await createTestAccount(env.database.db, { credits: 10 });
    const cases = [
      ['/blocked', 'TARGET_BLOCKED'],
      ['/status/404', 'INVALID_URL'],
      ['/captcha', 'CAPTCHA_DETECTED'],
    ] as const;
    for (const [path, type] of cases) {
      const { body } = await api('POST', '/api/v1/jobs', { key: secret, body: { url: `${env.fixture.url}${path}` } });
      const job = await waitForStatus(body.id, secret, ['completed', 'failed']);
      expect(job).toMatchObject({ status: 'failed', attempts: 1, error: { type } });
      expect(job.error.suggestions.length).toBeGreaterThan(0);
    }
  });

  it('refuses a redirect to a private address without fetching it', async () => {
    const { secret } = await createTestAccount(env.database.db, { credits: 10 });
    const { body } = await api('POST', '/api/v1/jobs', { key: secret, body: { url: `${env.fixture.url}/redirect-private` } });
    const job = await waitForStatus(body.id, secret, ['completed', 'failed']);
    expect(job).toMatchObject({ status: 'failed', attempts: 1, error: { type: 'INVALID_URL' } });
    expect(job.error.message).toContain('10.0.0.1');
  });

  it('fails an oversized page with CONTENT_TOO_LARGE and keeps binary results binary', async () => {
    const { secret } = await createTestAccount(env.database.db, { credits: 10 });
    const large = await api('POST', '/api/v1/jobs', { key: secret, body: { url: `${env.fixture.url}/large?kb=2048` } });
    expect((await waitForStatus(large.body.id, secret, ['completed', 'failed'])).error).toMatchObject({ type: 'CONTENT_TOO_LARGE' });

    const png = await api('POST', '/api/v1/jobs', { key: secret, body: { url: `${env.fixture.url}/binary.png` } });
    const done = await waitForStatus(png.body.id, secret, ['completed', 'failed']);
    expect(done.result).toMatchObject({ contentType: 'image/png' });
    const file = await api('GET', `/api/v1/jobs/${done.id}/result`, { key: secret });
    const bytes = Buffer.from(await file.raw.arrayBuffer());
    expect(bytes.subarray(1, 4).toString()).toBe('PNG');
    expect(file.headers.get('content-disposition')).toContain('.png');
  });

  it('returns each format with its content type', async () => {
    const { secret } = await createTestAccount(env.database.db, { credits: 10 });
    const expected = { text: 'text/plain', markdown: 'text/markdown', json: 'application/json' } as const;
    for (const [format, type] of Object.entries(expected)) {
      const { body } = await api('POST', '/api/v1/jobs', { key: secret, body: { url: `${env.fixture.url}/page`, format } });
      const job = await waitForStatus(body.id, secret, ['completed', 'failed']);
      expect(job.result.contentType).toContain(type);
      const file = await api('GET', `/api/v1/jobs/${job.id}/result`, { key: secret });
      expect(file.headers.get('content-disposition')).toContain(`-${format}.`);
      if (format === 'json') expect(file.body).toMatchObject({ statusCode: 200, title: expect.any(String) });
    }
  });

  it('sends the method, headers, cookies and body the job asked for', async () => {
    const { secret } = await createTestAccount(env.database.db, { credits: 10 });
    const { body } = await api('POST', '/api/v1/jobs', {
      key: secret,
      body: { url: `${env.fixture.url}/echo`, method: 'POST', headers: { 'X-Probe': 'yes' }, cookies: { session: 'abc123' }, body: 'hello=world', format: 'json' },
    });
    const job = await waitForStatus(body.id, secret, ['completed', 'failed']);
    const file = await api('GET', `/api/v1/jobs/${job.id}/result`, { key: secret });
    const echoed = JSON.stringify(file.body);
    expect(echoed).toContain('POST');
    expect(echoed).toContain('x-probe');
    expect(echoed).toContain('abc123');
    expect(echoed).toContain('hello=world');
  });

  it('charges nothing for a test key job', async () => {
    const { secret, account } = await createTestAccount(env.database.db, { credits: 0, kind: 'test' });
    const { body } = await api('POST', '/api/v1/jobs', { key: secret, body: { url: `${env.fixture.url}/page` } });
    const job = await waitForStatus(body.id, secret, ['completed', 'failed']);
    expect(job).toMatchObject({ status: 'completed', credits: 0, apiKey: { test: true } });
    expect(await logMessages(job.id, secret)).toContain('Credits charged: 0');
    const [row] = await env.database.client`SELECT credits FROM accounts WHERE id = ${account.id}`;
    expect(row.credits).toBe(0);
  });
});

describe('user retries', () => {
  it('creates a linked job with the same configuration', async () => {
    const { secret } = await createTestAccount(env.database.db, { credits: 10 });
    const { body } = await api('POST', '/api/v1/jobs', { key: secret, body: { url: `${env.fixture.url}/blocked`, format: 'text', headers: { 'X-A': '1' } } });
    const failed = await waitForStatus(body.id, secret, ['failed']);
    const retry = await api('POST', `/api/v1/jobs/${failed.id}/retry`, { key: secret });
    expect(retry.status).toBe(201);
    expect(retry.body).toMatchObject({ parentJobId: failed.id, url: failed.url, engine: 'http', config: failed.config });
    expect(retry.body.id).not.toBe(failed.id);
    const original = await api('GET', `/api/v1/jobs/${failed.id}`, { key: secret });
    expect(original.body.childJobIds).toEqual([retry.body.id]);
    expect(await logMessages(retry.body.id, secret)).toContain('Job queued');
  });
});
