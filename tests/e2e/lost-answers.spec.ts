import type { Page, Route } from '@playwright/test';
import { sql } from 'drizzle-orm';
import type { Database } from '@/db/client';
import { expect, fixtureUrl, test } from './support/fixtures';

// Issue 13, point 2, for the dashboard's own actions: when the server did the work but its answer
// never reached the browser, trying again sends the same Idempotency-Key and replays that work,
// so the user who clicks again gets one job, not two.

const jobPage = /\/dashboard\/jobs\/[0-9a-f-]{36}$/;

/** The first request `matches` accepts reaches the server, and then its answer is lost on the way back. */
async function loseFirstAnswer(page: Page, matches: (route: Route) => boolean) {
  let lost = false;
  const served: number[] = [];
  await page.route('**/*', async (route) => {
    if (lost || !matches(route)) return route.fallback();
    lost = true;
    served.push((await route.fetch()).status());
    await route.abort('connectionreset');
  });
  return served;
}

async function jobCount(db: Database, accountId: string): Promise<number> {
  const [row] = await db.execute<{ n: number }>(sql`SELECT count(*)::int AS n FROM jobs WHERE account_id = ${accountId}`);
  return row.n;
}

const isPost = (route: Route, pathname: string) => route.request().method() === 'POST' && new URL(route.request().url()).pathname === pathname;

test('a new job whose answer was lost is replayed when submitted again: one job', async ({ page, user, db }) => {
  await user.signIn(page);
  await page.goto('/dashboard/jobs/new');
  await page.getByLabel('URL', { exact: true }).fill(`${fixtureUrl()}/page`);
  const served = await loseFirstAnswer(page, (route) => isPost(route, '/api/v1/jobs'));

  await page.getByRole('button', { name: 'Submit job' }).click();
  await expect(page.getByText('Could not reach the server. Check your connection.')).toBeVisible();
  expect(served).toEqual([202]);
  expect(await jobCount(db, user.id)).toBe(1);

  await page.getByRole('button', { name: 'Submit job' }).click();
  await expect(page).toHaveURL(jobPage);
  expect(await jobCount(db, user.id)).toBe(1);
  expect((await user.getJob(page.url().split('/').at(-1)!)).status).toBeDefined();
});

test('a clone with kept secrets whose answer was lost is replayed when submitted again: one clone', async ({ page, user, db }) => {
  await user.signIn(page);
  const original = await user.submit({ url: `${fixtureUrl()}/echo`, headers: { Authorization: 'Bearer kept-on-the-server' } });
  await user.waitForStatus(original.id, 'completed');
  await page.goto(`/dashboard/jobs/new?from=${original.id}`);
  // The clone's kept secret goes through the server action, a POST to the page itself.
  const served = await loseFirstAnswer(page, (route) => isPost(route, '/dashboard/jobs/new') && Boolean(route.request().headers()['next-action']));

  await page.getByRole('button', { name: 'Submit job' }).click();
  await expect(page.getByText('Could not reach the server. Check your connection.')).toBeVisible();
  expect(served).toEqual([200]);
  expect(await jobCount(db, user.id)).toBe(2);

  await page.getByRole('button', { name: 'Submit job' }).click();
  await expect(page).toHaveURL(jobPage);
  expect(page.url()).not.toContain(original.id);
  expect(await jobCount(db, user.id)).toBe(2);
  const clone = await user.getJob(page.url().split('/').at(-1)!);
  expect((clone.config as { headers: Record<string, string> }).headers.Authorization).toBe('Bearer kept-on-the-server');
});

test('a retry whose answer was lost is replayed when retried again: one retry job', async ({ page, user, db }) => {
  await user.signIn(page);
  const failed = await user.submit({ url: `${fixtureUrl()}/blocked` });
  await user.waitForStatus(failed.id, 'failed');
  await page.goto(`/dashboard/jobs/${failed.id}`);
  const served = await loseFirstAnswer(page, (route) => isPost(route, `/api/v1/jobs/${failed.id}/retry`));

  const retry = async () => {
    await page.getByRole('button', { name: 'Retry Job' }).click();
    await page.getByTestId('retry-dialog').getByRole('button', { name: 'Retry' }).click();
  };
  await retry();
  await expect(page.getByText('Retry failed: Could not reach the server. Check your connection.')).toBeVisible();
  expect(served).toEqual([201]);
  expect(await jobCount(db, user.id)).toBe(2);

  await retry();
  await expect(page).not.toHaveURL(new RegExp(`/dashboard/jobs/${failed.id}$`));
  await expect(page).toHaveURL(jobPage);
  expect(await jobCount(db, user.id)).toBe(2);
  expect((await user.getJob(page.url().split('/').at(-1)!)).parentJobId).toBe(failed.id);
});
