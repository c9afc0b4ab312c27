import { readFile } from 'node:fs/promises';
import type { APIRequestContext, Page } from '@playwright/test';
import { expect, fixtureUrl, test, type TestUser } from './support/fixtures';

type CrawlJson = { id: string; status: string; progress: Record<string, number> };

const siteUrl = () => `${fixtureUrl()}/site/`;
const auth = (user: TestUser) => ({ Authorization: `Bearer ${user.key.secret}` });

async function createCrawl(request: APIRequestContext, user: TestUser, body: Record<string, unknown>): Promise<CrawlJson> {
  const response = await request.post('/api/v1/crawls', { headers: auth(user), data: body });
  expect(response.status(), await response.text()).toBe(202);
  return (await response.json()) as CrawlJson;
}

async function getCrawl(request: APIRequestContext, user: TestUser, id: string): Promise<CrawlJson> {
  const response = await request.get(`/api/v1/crawls/${id}`, { headers: auth(user) });
  expect(response.ok()).toBe(true);
  return (await response.json()) as CrawlJson;
}

/** A crawl spaced by a long politeness delay: pages wait in the queue long after it starts. */
async function slowCrawl(request: APIRequestContext, user: TestUser): Promise<CrawlJson> {
  const crawl = await createCrawl(request, user, { url: siteUrl(), maxPages: 150, delayMs: 5000 });
  // Under way: the start page fetched and its links queued behind the delay.
  await expect.poll(async () => (await getCrawl(request, user, crawl.id)).progress.queued, { timeout: 30_000 }).toBeGreaterThan(3);
  return crawl;
}

const ledgerRows = (page: Page) => page.getByTestId('ledger-row');
const count = (page: Page, name: string) => page.getByTestId(`crawl-count-${name}`).locator('dd');

async function chooseFilter(page: Page, filter: string, option: string) {
  await page.getByRole('combobox', { name: filter }).click();
  await page.getByRole('option', { name: option, exact: true }).click();
}

test('a crawl started from the form runs to its page limit; its ledger filters, exports and links to the jobs', async ({ page, user }) => {
  await user.signIn(page);
  await page.goto('/dashboard/crawls/new');
  await page.getByLabel('Start URL', { exact: true }).fill(siteUrl());
  await page.getByLabel('Page limit', { exact: true }).fill('20');
  await expect(page.getByTestId('crawl-cost')).toHaveText('Each page costs 1 credit (HTTP), reserved as it is found: at most 20 credits for this crawl.');
  await page.getByRole('button', { name: 'Start crawl' }).click();

  await expect(page).toHaveURL(/\/dashboard\/crawls\/[0-9a-f-]{36}$/);
  // Normalised as every discovered URL is (trailing slash unified).
  await expect(page.getByTestId('crawl-url')).toHaveText(`${fixtureUrl()}/site`);
  // Polling moves the bar without a reload, to all twenty pages and no more.
  await expect(page.getByTestId('crawl-progress-text')).toHaveText('20 of 20 (100%)', { timeout: 60_000 });
  await expect(page.getByTestId('crawl-status')).toHaveText('Completed');
  await expect(page.getByTestId('crawl-stop-reason')).toHaveText('Reached the page limit: 20 pages fetched, more links were found.');
  await expect(count(page, 'done')).toHaveText('20');
  await expect(count(page, 'queued')).toHaveText('0');
  await expect(page.getByTestId('crawl-credits-charged')).toHaveText('20 credits');
  await expect(page.getByTestId('crawl-credits-reserved')).toHaveText('0 credits');
  await expect(page.getByRole('button', { name: 'Cancel crawl' })).toBeHidden();
  const overLimit = Number(await page.getByTestId('skip-reason-limit').locator('dd').textContent());
  expect(overLimit).toBeGreaterThan(0);
  await expect(page.getByTestId('crawl-depth-row').first()).toHaveText(/^0 \(start URL\)10$/);

  // Every URL found is in the ledger: the 20 fetched and the skipped ones, more than a page of them.
  await expect(ledgerRows(page)).toHaveCount(25);
  await chooseFilter(page, 'Outcome filter', 'Completed');
  await expect(page).toHaveURL(/\?outcome=completed$/);
  await expect(ledgerRows(page)).toHaveCount(20);
  await expect(ledgerRows(page).and(page.locator('[data-outcome="completed"]'))).toHaveCount(20);

  // The export is the whole ledger with the filter shown.
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Export CSV' }).click()]);
  const csv = (await readFile(await download.path(), 'utf8')).trim().split('\r\n');
  expect(csv[0]).toBe('URL,Depth,Outcome,Skip reason,Error type,Error message,Job ID,Found on,Discovered at');
  expect(csv).toHaveLength(21);
  expect(csv.slice(1).every((line) => line.split(',')[2] === 'completed')).toBe(true);

  await chooseFilter(page, 'Outcome filter', 'All outcomes');
  await chooseFilter(page, 'Skip reason filter', 'Over the page limit');
  await expect(page).toHaveURL(/\?reason=limit$/);
  await expect(ledgerRows(page).first()).toContainText('Over the page limit');
  await expect(ledgerRows(page)).toHaveCount(Math.min(overLimit, 25));
  await expect(ledgerRows(page).and(page.locator('[data-outcome="skipped"]'))).toHaveCount(Math.min(overLimit, 25));

  // The filters survive a reload (they are the page's URL), and Back returns to the one before.
  await page.reload();
  await expect(page.getByRole('combobox', { name: 'Skip reason filter' })).toHaveText('Over the page limit');
  await page.goBack();
  await expect(page).toHaveURL(/\/dashboard\/crawls\/[0-9a-f-]{36}$/);
  await expect(ledgerRows(page)).toHaveCount(25);

  // A depth in the URLs-by-depth table shows that depth's URLs in the ledger.
  await page.getByRole('link', { name: 'URLs at depth 1' }).click();
  await expect(page).toHaveURL(/\?depth=1#ledger-title$/);
  await expect(page.getByRole('combobox', { name: 'Depth filter' })).toHaveText('Depth 1');
  await expect(ledgerRows(page).first()).toBeVisible();
  await expect(ledgerRows(page).and(page.locator(':not([data-depth="1"])'))).toHaveCount(0);
  await chooseFilter(page, 'Depth filter', 'All depths');
  await expect(ledgerRows(page)).toHaveCount(25);

  // A fetched page links to its job.
  await chooseFilter(page, 'Outcome filter', 'Completed');
  await ledgerRows(page).first().getByRole('link').click();
  await expect(page).toHaveURL(/\/dashboard\/jobs\/[0-9a-f-]{36}$/);
});

test('the form shows the API refusing a page limit next to that field', async ({ page, user }) => {
  await user.signIn(page);
  await page.goto('/dashboard/crawls/new');
  await page.getByLabel('Start URL', { exact: true }).fill(siteUrl());
  const limit = page.getByLabel('Page limit', { exact: true });

  await limit.fill('20000');
  await page.getByRole('button', { name: 'Start crawl' }).click();
  await expect(limit).toHaveAttribute('aria-invalid', 'true');
  await expect(limit).toHaveAccessibleDescription('maxPages must be at most 10,000');
  await expect(limit).toBeFocused();

  await limit.fill('0');
  await page.getByRole('button', { name: 'Start crawl' }).click();
  await expect(limit).toHaveAccessibleDescription('maxPages must be at least 1');
  await expect(page.getByTestId('field-error')).toHaveCount(1);
  await expect(page).toHaveURL(/\/dashboard\/crawls\/new$/);

  // Nothing was created.
  await page.goto('/dashboard/crawls');
  await expect(page.getByTestId('empty-state')).toBeVisible();
});

test('cancelling a running crawl from its page cancels its queued pages', async ({ page, request, user }) => {
  const crawl = await slowCrawl(request, user);
  await user.signIn(page);
  await page.goto(`/dashboard/crawls/${crawl.id}`);
  await expect(page.getByTestId('crawl-status')).toHaveText('Active');

  await page.getByRole('button', { name: 'Cancel crawl' }).click();
  const dialog = page.getByTestId('cancel-crawl-dialog');
  await expect(dialog.getByRole('heading', { name: 'Cancel This Crawl?' })).toBeVisible();
  await expect(dialog).toContainText('No more links will be followed');
  await dialog.getByRole('button', { name: 'Cancel Crawl' }).click();

  await expect(page.getByText(/^Crawl cancelled: \d+ pages? cancelled$/)).toBeVisible();
  await expect(page.getByTestId('crawl-status')).toHaveText('Cancelled');
  await expect(page.getByTestId('crawl-stop-reason')).toHaveText('Cancelled: discovery stopped and the unfinished pages were cancelled.');
  await expect(count(page, 'queued')).toHaveText('0');
  await expect(count(page, 'processing')).toHaveText('0');
  await expect(page.getByRole('button', { name: 'Cancel crawl' })).toBeHidden();
  await expect(page.getByTestId('crawl-credits-reserved')).toHaveText('0 credits');

  await chooseFilter(page, 'Outcome filter', 'Cancelled');
  await expect(page).toHaveURL(/\?outcome=cancelled$/);
  await expect.poll(() => ledgerRows(page).and(page.locator('[data-outcome="cancelled"]')).count()).toBeGreaterThan(3);
  await expect(ledgerRows(page).and(page.locator(':not([data-outcome="cancelled"])'))).toHaveCount(0);
  await chooseFilter(page, 'Outcome filter', 'Queued');
  await expect(page.getByText('No pages match these filters.')).toBeVisible();
});

test('the crawls list shows each crawl with its mode, status and progress', async ({ page, request, user }) => {
  await user.signIn(page);
  await page.goto('/dashboard/crawls');
  await expect(page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Crawls' })).toHaveAttribute('aria-current', 'page');
  const empty = page.getByTestId('empty-state');
  await expect(empty).toContainText('No crawls yet.');
  await empty.getByRole('link', { name: 'New crawl' }).click();
  await expect(page).toHaveURL(/\/dashboard\/crawls\/new$/);

  const map = await createCrawl(request, user, { url: siteUrl(), maxPages: 5, mode: 'map' });
  const cancelled = await slowCrawl(request, user);
  expect((await request.post(`/api/v1/crawls/${cancelled.id}/cancel`, { headers: auth(user) })).status()).toBe(200);

  await page.goto('/dashboard/crawls');
  const rows = page.getByTestId('crawl-row');
  await expect(rows).toHaveCount(2);
  const mapRow = rows.and(page.locator(`[data-crawl-id="${map.id}"]`));
  await expect(mapRow).toContainText('Map');
  // Live while a crawl on the page runs.
  await expect(mapRow.getByTestId('crawl-status')).toHaveText('Completed', { timeout: 30_000 });
  await expect(mapRow.getByTestId('crawl-progress-text')).toHaveText('5 of 5');
  const cancelledRow = rows.and(page.locator(`[data-crawl-id="${cancelled.id}"]`));
  await expect(cancelledRow).toContainText('Crawl');
  await expect(cancelledRow.getByTestId('crawl-status')).toHaveText('Cancelled');
  // Newest first.
  await expect(rows.first()).toHaveAttribute('data-crawl-id', cancelled.id);

  await cancelledRow.getByRole('link').click();
  await expect(page).toHaveURL(new RegExp(`/dashboard/crawls/${cancelled.id}$`));
  await page.getByRole('navigation', { name: 'Breadcrumb' }).getByRole('link', { name: 'Crawls' }).click();
  await expect(page).toHaveURL(/\/dashboard\/crawls$/);
});

test('a crawl that does not exist shows the unavailable state', async ({ page, user }) => {
  await user.signIn(page);
  await page.goto('/dashboard/crawls/00000000-0000-4000-8000-000000000000');
  const notice = page.getByTestId('crawl-unavailable');
  await expect(notice).toContainText('Crawl not found.');
  await notice.getByRole('link', { name: 'Back to Crawls' }).click();
  await expect(page).toHaveURL(/\/dashboard\/crawls$/);
});
