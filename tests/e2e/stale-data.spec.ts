import type { Page } from '@playwright/test';
import { expect, test } from './support/fixtures';

const banner = 'Unable to refresh job data. Showing last known state.';

/** Moves the page's fake clock forward by each step, waiting for the poll it triggers to fail. */
async function failPolls(page: Page, steps: number[], urlPart: string) {
  for (const ms of steps) {
    const failed = page.waitForEvent('requestfailed', { predicate: (request) => request.url().includes(urlPart), timeout: 10_000 });
    await page.clock.runFor(ms);
    await failed;
  }
}

test('detail: after 3 failed polls in a row the stale banner appears, with backoff, and Refresh recovers', async ({ page, user }) => {
  await user.signIn(page);
  const [job] = await user.seed([{ status: 'queued', engine: 'stealth' }]);
  await page.clock.install();
  await page.goto(`/dashboard/jobs/${job.id}`);
  await expect(page.getByTestId('job-status')).toHaveAttribute('data-status', 'queued');

  await page.route('**/api/v1/jobs/**', (route) => route.abort());
  // The first poll after the interval, then the backoff of 10 s and 20 s.
  await failPolls(page, [2_000, 10_000], `/api/v1/jobs/${job.id}`);
  await expect(page.getByText(banner)).toBeHidden();
  // The backoff is respected: nothing goes out before the 20 s are up.
  const early: string[] = [];
  const count = (request: { url(): string }) => {
    if (request.url().includes('/api/v1/')) early.push(request.url());
  };
  page.on('request', count);
  await page.clock.runFor(15_000);
  page.off('request', count);
  expect(early).toEqual([]);
  await failPolls(page, [5_000], `/api/v1/jobs/${job.id}`);
  await expect(page.getByText(banner)).toBeVisible();
  await expect(page.getByTestId('job-status')).toHaveAttribute('data-status', 'queued');

  await page.unroute('**/api/v1/jobs/**');
  await page.getByRole('button', { name: 'Refresh' }).click();
  await expect(page.getByText(banner)).toBeHidden();
});

test('list: the stale banner keeps the rows, and the data returns after Refresh', async ({ page, user }) => {
  await user.signIn(page);
  const [waiting] = await user.seed([{ status: 'queued', engine: 'stealth' }, { status: 'completed' }]);
  await page.clock.install();
  await page.goto('/dashboard/jobs');
  await expect(page.getByTestId('job-row')).toHaveCount(2);

  await page.route(/\/api\/v1\/jobs\?/, (route) => route.abort());
  await failPolls(page, [2_000, 10_000, 20_000], '/api/v1/jobs?');
  await expect(page.getByText(banner)).toBeVisible();
  await expect(page.locator(`[data-job-id="${waiting.id}"]`)).toBeVisible();

  await page.unroute(/\/api\/v1\/jobs\?/);
  await page.getByRole('button', { name: 'Refresh' }).click();
  await expect(page.getByText(banner)).toBeHidden();
  await expect(page.getByTestId('job-row')).toHaveCount(2);
});
