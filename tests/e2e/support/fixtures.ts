import { randomBytes, randomUUID } from 'node:crypto';
import { test as base, expect, type APIRequestContext, type Page } from '@playwright/test';
import { sql } from 'drizzle-orm';
import { createDatabase, type Database } from '@/db/client';
import { revokeApiKey } from '@/db/queries/accounts';
import { insertJob } from '@/db/queries/jobs';
import { appendLogs } from '@/db/queries/logs';
import { accounts, type Job } from '@/db/schema';
import { enginePrices, type Engine, type JobStatus } from '@/lib/jobs';
import { createAccount, createApiKey } from '@/lib/server/accounts';

// Each test gets its own account (so lists and counts are its own), signed in through next-auth's
// credentials endpoint, plus helpers to submit jobs through the API and to seed rows directly.

export const password = 'correct horse battery staple';
export const fixtureUrl = () => process.env.E2E_FIXTURE_URL!;
export const pollMs = () => Number(process.env.E2E_POLL_MS ?? 2000);

export type JobJson = { id: string; status: JobStatus; parentJobId: string | null; childJobIds: string[]; [key: string]: unknown };

export type TestUser = {
  id: string;
  email: string;
  key: { id: string; secret: string; name: string };
  addKey(options: { name: string; kind?: 'live' | 'test' }): Promise<{ id: string; secret: string; name: string }>;
  revokeKey(keyId: string): Promise<void>;
  setCredits(credits: number): Promise<void>;
  signIn(page: Page): Promise<void>;
  submit(body: Record<string, unknown>, secret?: string): Promise<JobJson>;
  getJob(id: string): Promise<JobJson>;
  waitForStatus(id: string, statuses: JobStatus | JobStatus[], timeoutMs?: number): Promise<JobJson>;
  seed(jobs: SeedJob[]): Promise<Job[]>;
};

export type SeedJob = {
  status?: JobStatus;
  engine?: Engine;
  url?: string;
  keyId?: string;
  daysAgo?: number;
  minutesAgo?: number;
  durationMs?: number | null;
  isTest?: boolean;
};

async function signInThroughApi(request: APIRequestContext, email: string) {
  const csrf = await request.get('/api/auth/csrf');
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const response = await request.post('/api/auth/callback/credentials', {
    form: { email, password, csrfToken, callbackUrl: '/dashboard/jobs' },
    maxRedirects: 0,
  });
  expect(response.status(), 'credentials sign-in answers with a redirect').toBe(302);
  expect(response.headers().location ?? '').not.toContain('error');
}

export const test = base.extend<{ user: TestUser }, { db: Database }>({
  db: [
    async ({}, use) => {
      const { db, client } = createDatabase(process.env.E2E_DATABASE_URL!, { max: 3 });
      await use(db);
      await client.end({ timeout: 5 });
    },
    { scope: 'worker' },
  ],

  user: async ({ db, request }, use) => {
    const email = `e2e-${randomBytes(5).toString('hex')}@example.com`;
    const account = await createAccount(db, { email, password, credits: 1000 });
    const created = await createApiKey(db, { accountId: account.id, name: 'Production key', kind: 'live' });
    const key = { id: created.key.id, secret: created.secret, name: 'Production key' };
    const auth = (secret: string) => ({ Authorization: `Bearer ${secret}` });

    const user: TestUser = {
      id: account.id,
      email,
      key,
      async addKey({ name, kind = 'live' }) {
        const extra = await createApiKey(db, { accountId: account.id, name, kind });
        return { id: extra.key.id, secret: extra.secret, name };
      },
      async revokeKey(keyId) {
        await revokeApiKey(db, { accountId: account.id, keyId });
      },
      async setCredits(credits) {
        await db.update(accounts).set({ credits, reservedCredits: 0 }).where(sql`${accounts.id} = ${account.id}`);
      },
      async signIn(page) {
        await signInThroughApi(page.request, email);
      },
      async submit(body, secret = key.secret) {
        const response = await request.post('/api/v1/jobs', { headers: auth(secret), data: body });
        expect(response.status(), await response.text()).toBe(202);
        return (await response.json()) as JobJson;
      },
      async getJob(id) {
        const response = await request.get(`/api/v1/jobs/${id}`, { headers: auth(key.secret) });
        expect(response.ok()).toBe(true);
        return (await response.json()) as JobJson;
      },
      async waitForStatus(id, statuses, timeoutMs = 20_000) {
        const wanted = Array.isArray(statuses) ? statuses : [statuses];
        let job: JobJson | undefined;
        await expect
          .poll(
            async () => {
              job = await user.getJob(id);
              return wanted.includes(job.status);
            },
            { timeout: timeoutMs, intervals: [100, 250, 500] },
          )
          .toBe(true);
        return job!;
      },
      async seed(rows) {
        const jobs: Job[] = [];
        for (const row of rows) {
          const status = row.status ?? 'completed';
          const engine = row.engine ?? 'http';
          const createdAt = new Date(Date.now() - (row.daysAgo ?? 0) * 86_400_000 - (row.minutesAgo ?? 0) * 60_000);
          const terminal = status !== 'queued' && status !== 'processing';
          const ran = status === 'completed' || status === 'failed' || status === 'processing';
          const charged = status === 'completed' || status === 'failed';
          const cost = row.isTest ? 0 : enginePrices[engine];
          const durationMs = row.durationMs === undefined ? (terminal && ran ? 1500 : null) : row.durationMs;
          const job = await insertJob(db, {
            id: randomUUID(),
            accountId: account.id,
            apiKeyId: row.keyId ?? key.id,
            url: row.url ?? `https://example.com/${randomBytes(3).toString('hex')}`,
            engine,
            config: { method: 'GET', headers: {}, cookies: {}, renderJs: true, waitTimeoutMs: 10_000, screenshot: false, format: 'html', timeoutMs: 30_000 },
            status,
            attempts: ran ? 1 : 0,
            maxAttempts: 3,
            creditCost: cost,
            creditsCharged: charged ? cost : 0,
            isTest: row.isTest ?? false,
            createdAt,
            startedAt: ran ? createdAt : null,
            finishedAt: terminal ? new Date(createdAt.getTime() + (durationMs ?? 0)) : null,
            durationMs,
            errorType: status === 'failed' ? 'TARGET_BLOCKED' : null,
            errorMessage: status === 'failed' ? 'Target blocked the request' : null,
          });
          await appendLogs(db, job.id, [{ timestamp: createdAt, level: 'INFO', message: 'Job queued' }]);
          jobs.push(job);
        }
        return jobs;
      },
    };
    await use(user);
  },
});

export { expect };

/** A page-lifetime marker: still there after a live update proves the page was not reloaded. */
export async function markPage(page: Page) {
  await page.evaluate(() => {
    (window as unknown as { __e2eMarker: number }).__e2eMarker = 1;
  });
}

export async function expectNotReloaded(page: Page) {
  expect(await page.evaluate(() => (window as unknown as { __e2eMarker?: number }).__e2eMarker)).toBe(1);
}
