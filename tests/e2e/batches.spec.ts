import type { APIRequestContext, Page } from '@playwright/test';
import { expect, fixtureUrl, test, type TestUser } from './support/fixtures';

type BatchJson = { id: string; total: number; finished: number; status: string; counts: Record<string, number> };

async function createBatch(request: APIRequestContext, user: TestUser, body: Record<string, unknown>): Promise<BatchJson> {
  const response = await request.post('/api/v1/batches', { headers: { Authorization: `Bearer ${user.key.secret}` }, data: body });
  expect(response.status(), await response.text()).toBe(202);
  return (await response.json()) as BatchJson;
}

const urls = (n: number, path: string) => Array.from({ length: n }, (_, i) => `${fixtureUrl()}${path}${path.includes('?') ? '&' : '?'}n=${i}`);
const rows = (page: Page) => page.getByTestId('job-row');

test('a batch page shows live progress as "N of M" until every job is done', async ({ page, request, user }) => {
  const batch = await createBatch(request, user, { urls: urls(12, '/slow?ms=400'), name: 'Catalog refresh', tags: ['shop:eu'] });
  await user.signIn(page);

  await page.goto('/dashboard/batches');
  const row = page.getByTestId('batch-row').filter({ hasText: 'Catalog refresh' });
  await expect(row).toBeVisible();
  await expect(row.getByTestId('batch-progress-text')).toHaveText(/^\d+ of 12$/);
  await row.getByRole('link', { name: 'Catalog refresh' }).click();

  await expect(page).toHaveURL(new RegExp(`/dashboard/batches/${batch.id}$`));
  await expect(page.getByRole('heading', { name: /Catalog refresh/ })).toBeVisible();
  const progress = page.getByTestId('batch-progress-text');
  // "0 of 12" (with an indeterminate bar while the first jobs run), then "n of 12 (p%)".
  await expect(progress).toHaveText(/^\d+ of 12( \(\d+(\.\d)?%\))?$/);
  // Polling moves the bar without a reload, up to all twelve.
  await expect(progress).toHaveText('12 of 12 (100%)', { timeout: 45_000 });
  await expect(page.getByTestId('batch-status')).toHaveText('Completed');
  await expect(page.getByTestId('batch-count-completed')).toContainText('12');
  await expect(page.getByTestId('batch-credits-charged')).toHaveText('12 credits');
  await expect(page.getByTestId('batch-credits-reserved')).toHaveText('0 credits');
  await expect(rows(page)).toHaveCount(12);

  // A job of the batch links back to it.
  await rows(page).first().click();
  await expect(page.getByTestId('overview-batch')).toHaveText(`${batch.id.slice(0, 8)}…`);
  await page.getByTestId('overview-batch').click();
  await expect(page).toHaveURL(new RegExp(`/dashboard/batches/${batch.id}$`));
});

test('cancelling a batch from its page cancels its unfinished jobs', async ({ page, request, user }) => {
  // Pages that take a minute: none can finish before the cancel, however slow the machine.
  const batch = await createBatch(request, user, { urls: urls(150, '/slow?ms=60000'), name: 'Too many' });
  await user.signIn(page);
  await page.goto(`/dashboard/batches/${batch.id}`);
  await expect(page.getByTestId('batch-status')).toHaveText('Active');

  await page.getByRole('button', { name: 'Cancel batch' }).click();
  const dialog = page.getByTestId('cancel-batch-dialog');
  await expect(dialog.getByRole('heading', { name: 'Cancel This Batch?' })).toBeVisible();
  await expect(dialog).toContainText('No credits will be charged for cancelled jobs');
  await dialog.getByRole('button', { name: 'Cancel Batch' }).click();

  await expect(page.getByText(/^Batch cancelled: \d+ jobs? cancelled$/)).toBeVisible();
  await expect(page.getByTestId('batch-status')).toHaveText('Cancelled');
  await expect(page.getByTestId('batch-count-queued')).toContainText('0');
  await expect(page.getByRole('button', { name: 'Cancel batch' })).toBeHidden();
  // Running jobs settle one way or the other; nothing stays reserved.
  await expect(page.getByTestId('batch-progress-text')).toHaveText('150 of 150 (100%)', { timeout: 20_000 });
  await expect(page.getByTestId('batch-credits-reserved')).toHaveText('0 credits');
  // The queued ones and the running ones alike.
  await expect(page.getByTestId('batch-count-cancelled')).toContainText('150');
  await expect(page.getByTestId('batch-credits-charged')).toHaveText('0 credits');
});

test('the jobs list filters by batch, priority, name and tag, in the URL', async ({ page, request, user }) => {
  const batch = await createBatch(request, user, { urls: urls(3, '/page'), name: 'Nightly catalog', tags: ['daily'], priority: 'high' });
  await user.submit({ url: `${fixtureUrl()}/text`, name: 'One-off check', tags: ['adhoc'] });
  await user.signIn(page);

  await page.goto(`/dashboard/batches/${batch.id}`);
  await page.getByRole('link', { name: 'View jobs' }).click();
  await expect(page).toHaveURL(new RegExp(`/dashboard/jobs\\?batch=${batch.id}$`));
  const chip = page.getByTestId('batch-filter-chip');
  await expect(chip).toHaveText('Batch:Nightly catalog');
  await expect(rows(page)).toHaveCount(3);
  await chip.getByRole('button', { name: 'Clear batch filter' }).click();
  await expect(page).toHaveURL(/\/dashboard\/jobs$/);
  await expect(rows(page)).toHaveCount(4);

  await page.getByRole('combobox', { name: 'Priority filter' }).click();
  await page.getByRole('option', { name: 'High' }).click();
  await expect(page).toHaveURL(/\/dashboard\/jobs\?priority=high$/);
  await expect(rows(page)).toHaveCount(3);
  await page.getByRole('button', { name: 'Clear all filters' }).click();
  await expect(rows(page)).toHaveCount(4);

  await page.getByRole('searchbox', { name: 'Filter by name' }).fill('one-off');
  await expect(page).toHaveURL(/\/dashboard\/jobs\?name=one-off$/);
  await expect(rows(page)).toHaveCount(1);
  await page.getByRole('button', { name: 'Clear name filter' }).click();
  await expect(rows(page)).toHaveCount(4);

  const tag = page.getByRole('searchbox', { name: 'Filter by tag' });
  await tag.fill('daily');
  await expect(page).toHaveURL(/\/dashboard\/jobs\?tag=daily$/);
  await expect(rows(page)).toHaveCount(3);
  await tag.fill('bad tag!');
  await expect(page.getByText('a-z 0-9 - _ : .')).toBeVisible();
  await expect(page).toHaveURL(/\?tag=daily$/);
  await tag.fill('daily,adhoc');
  await expect(page).toHaveURL(/\?tag=daily%2Cadhoc$/);
  await expect(rows(page)).toHaveCount(4);

  // Back restores the previous filter.
  await page.goBack();
  await expect(page).toHaveURL(/\?tag=daily$/);
  await expect(rows(page)).toHaveCount(3);
});
