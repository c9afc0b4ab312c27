import { randomUUID } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createDatabase } from '@/db/client';
import { takeTokens } from '@/db/queries/rate-limits';
import { rateLimitBuckets } from '@/db/schema';
import { resetEnvCache } from '@/lib/env';
import { createApiKey } from '@/lib/server/accounts';
import { createTestAccount } from '@/tests/helpers/accounts';
import { api } from '@/tests/helpers/api';
import { useJobsEnvironment } from '@/tests/helpers/environment';

// Rate limits as a client meets them: 429 with Retry-After and X-RateLimit-* past the limit,
// per API key for job creation and per account for expensive reads; and the bucket itself under
// concurrency: requests racing for the last tokens never take more than there are.

vi.mock('@/lib/server/session', () => import('@/tests/helpers/session'));

const env = useJobsEnvironment({}, { worker: false });

/** Sets the limits for one test: a rate this slow refills nothing while the test runs. */
function setLimits(limits: Partial<Record<'createRate' | 'createBurst' | 'readRate' | 'readBurst', number>>) {
  const values = {
    RATE_LIMIT_CREATE_PER_SECOND: limits.createRate ?? 0.001,
    RATE_LIMIT_CREATE_BURST: limits.createBurst ?? 3,
    RATE_LIMIT_READ_PER_SECOND: limits.readRate ?? 0.001,
    RATE_LIMIT_READ_BURST: limits.readBurst ?? 3,
  };
  for (const [name, value] of Object.entries(values)) process.env[name] = String(value);
  resetEnvCache();
}

afterEach(() => {
  for (const name of ['RATE_LIMIT_CREATE_PER_SECOND', 'RATE_LIMIT_CREATE_BURST', 'RATE_LIMIT_READ_PER_SECOND', 'RATE_LIMIT_READ_BURST']) delete process.env[name];
  resetEnvCache();
});

const submit = (secret: string) => api('POST', '/api/v1/jobs', { key: secret, body: { url: `${env.fixture.url}/page` } });

describe('rate limits on the API', () => {
  it('lets a key create a burst of jobs, then answers 429 with Retry-After and X-RateLimit-* headers', async () => {
    setLimits({ createBurst: 3 });
    const { secret } = await createTestAccount(env.database.db, { credits: 50 });

    const allowed = [await submit(secret), await submit(secret), await submit(secret)];
    expect(allowed.map((reply) => reply.status)).toEqual([202, 202, 202]);
    expect(allowed.map((reply) => reply.headers.get('x-ratelimit-remaining'))).toEqual(['2', '1', '0']);
    expect(allowed[0].headers.get('x-ratelimit-limit')).toBe('3');
    expect(Number(allowed[2].headers.get('x-ratelimit-reset'))).toBeGreaterThan(0);

    const refused = await submit(secret);
    expect(refused.status).toBe(429);
    expect(refused.body.error.code).toBe('rate_limited');
    expect(refused.body.error.message).toMatch(/^Rate limit reached: job creation is limited to 0\.001 per second \(bursts of 3\) per API key\. Try again in \d+ seconds?\.$/);
    const retryAfter = refused.headers.get('retry-after')!;
    expect(retryAfter).toMatch(/^\d+$/);
    expect(Number(retryAfter)).toBeGreaterThanOrEqual(1);
    expect(refused.body.error.details).toEqual({ retryAfterSeconds: Number(retryAfter), limit: 3 });
    expect(refused.headers.get('x-ratelimit-limit')).toBe('3');
    expect(refused.headers.get('x-ratelimit-remaining')).toBe('0');
    expect(refused.headers.get('x-request-id')).toBeTruthy();

    // A refused submission created nothing: three jobs in the list.
    const list = await api('GET', '/api/v1/jobs', { key: secret });
    expect(list.body.total).toBe(3);
  });

  it('limits creation per API key: another key of the same account still submits', async () => {
    setLimits({ createBurst: 1 });
    const { account, secret } = await createTestAccount(env.database.db, { credits: 50 });
    const second = await createApiKey(env.database.db, { accountId: account.id, name: 'Second', kind: 'live' });
    expect((await submit(secret)).status).toBe(202);
    expect((await submit(secret)).status).toBe(429);
    expect((await submit(second.secret)).status).toBe(202);
  });

  it('counts retries, synchronous scrapes and batches (one token per URL) against the creation limit', async () => {
    setLimits({ createBurst: 4 });
    const { secret } = await createTestAccount(env.database.db, { credits: 50 });
    const first = await submit(secret);
    expect(first.status).toBe(202);
    const batch = await api('POST', '/api/v1/batches', {
      key: secret,
      body: { urls: [`${env.fixture.url}/page?a`, `${env.fixture.url}/page?b`] },
    });
    expect(batch.status).toBe(202);
    expect(batch.headers.get('x-ratelimit-remaining')).toBe('1');
    const retry = await api('POST', `/api/v1/jobs/${first.body.id}/retry`, { key: secret });
    expect(retry.headers.get('x-ratelimit-remaining')).toBe('0');
    const scrape = await api('POST', '/api/v1/scrape', { key: secret, body: { url: `${env.fixture.url}/page`, wait: 1 } });
    expect(scrape.status).toBe(429);
    expect((await api('POST', `/api/v1/jobs/${first.body.id}/retry`, { key: secret })).status).toBe(429);
    expect((await api('POST', '/api/v1/batches', { key: secret, body: { urls: [`${env.fixture.url}/page`] } })).status).toBe(429);
  });

  it('limits expensive reads per account, for keys and the dashboard alike, and leaves a job’s own page alone', async () => {
    setLimits({ readBurst: 3 });
    const { account, secret } = await createTestAccount(env.database.db, { credits: 50 });
    const job = await submit(secret);
    expect((await api('GET', '/api/v1/jobs', { key: secret })).headers.get('x-ratelimit-remaining')).toBe('2');
    expect((await api('GET', '/api/v1/stats', { session: account.id })).status).toBe(200);
    expect((await api('GET', '/api/v1/jobs/counts', { key: secret })).status).toBe(200);
    for (const path of ['/api/v1/jobs', '/api/v1/jobs/counts', '/api/v1/jobs/export?format=json', '/api/v1/stats', '/api/v1/stats/queue', '/api/v1/storage']) {
      const reply = await api('GET', path, { session: account.id });
      expect(reply.status, path).toBe(429);
      expect(reply.body.error.message).toMatch(/^Rate limit reached: listing, counting, exporting and stats requests are limited to .* per account\./);
    }
    const detail = await api('GET', `/api/v1/jobs/${job.body.id}`, { key: secret });
    expect(detail.status).toBe(200);
    expect(detail.headers.get('x-ratelimit-limit')).toBeNull();
  });

  it('turns a limit off with a rate of 0: no 429 and no X-RateLimit-* headers', async () => {
    setLimits({ createRate: 0, createBurst: 1, readRate: 0, readBurst: 1 });
    const { secret } = await createTestAccount(env.database.db, { credits: 50 });
    for (let i = 0; i < 3; i += 1) {
      const reply = await submit(secret);
      expect(reply.status).toBe(202);
      expect(reply.headers.get('x-ratelimit-limit')).toBeNull();
      expect((await api('GET', '/api/v1/jobs', { key: secret })).status).toBe(200);
    }
  });

  it('refills with time: a bucket emptied ten seconds ago has the tokens those seconds brought', async () => {
    // One token every 5 seconds: the test's own requests take far less than that.
    setLimits({ createRate: 0.2, createBurst: 2 });
    const { key, secret } = await createTestAccount(env.database.db, { credits: 50 });
    expect((await submit(secret)).status).toBe(202);
    expect((await submit(secret)).status).toBe(202);
    expect((await submit(secret)).status).toBe(429);
    // Move the bucket's clock back instead of sleeping.
    await env.database.db
      .update(rateLimitBuckets)
      .set({ updatedAt: sql`${rateLimitBuckets.updatedAt} - interval '10 seconds'` })
      .where(eq(rateLimitBuckets.key, `create:key:${key.id}`));
    const replies = [await submit(secret), await submit(secret), await submit(secret)];
    expect(replies.map((reply) => reply.status)).toEqual([202, 202, 429]);
  });
});

describe('the token bucket under concurrency', () => {
  it('never lets racing requests take more tokens than the bucket holds, on a new bucket or an existing one', async () => {
    // Its own pool, so the takes really run side by side on separate connections.
    const { db, client } = createDatabase(env.database.url, { max: 20 });
    try {
      for (const round of [1, 2, 3]) {
        const key = `test:race:${randomUUID()}`;
        const take = () => takeTokens(db, { key, capacity: 10, perSecond: 0.0001, cost: 1 });
        // Round 1 races on a bucket no one has created yet; rounds 2 and 3 take one token first.
        if (round > 1) expect((await take()).allowed).toBe(true);
        const results = await Promise.all(Array.from({ length: 60 }, take));
        expect(results.filter((result) => result.allowed)).toHaveLength(round > 1 ? 9 : 10);
        const [bucket] = await db.select().from(rateLimitBuckets).where(eq(rateLimitBuckets.key, key));
        expect(bucket.tokens).toBeGreaterThanOrEqual(0);
        expect(bucket.tokens).toBeLessThan(0.01);
      }
      // Costs larger than one: 5 racing takes of 4 from a bucket of 10 leave 2 tokens, two allowed.
      const key = `test:race:${randomUUID()}`;
      const results = await Promise.all(Array.from({ length: 5 }, () => takeTokens(db, { key, capacity: 10, perSecond: 0.0001, cost: 4 })));
      expect(results.filter((result) => result.allowed)).toHaveLength(2);
    } finally {
      await client.end({ timeout: 5 });
    }
  });
});
