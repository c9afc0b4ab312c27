import type { Locator, Page } from '@playwright/test';
import { expect, test } from './support/fixtures';
import { daysAgo, seedCatalogue, today } from './support/list';

const rows = (page: Page) => page.getByTestId('job-row');
const summary = (page: Page) => page.getByTestId('list-summary');

async function choose(page: Page, filter: string, option: string | RegExp) {
  await page.getByRole('combobox', { name: `${filter} filter` }).click();
  await page.getByRole('option', { name: option }).click();
}

/** Clicks a day in one of the range calendars, going back month by month until it is shown. */
async function pickDay(calendar: Locator, iso: string) {
  for (let i = 0; i < 4; i++) {
    const day = calendar.locator(`[data-day="${iso}"]:not([data-outside]) button`);
    if (await day.count()) return day.click();
    await calendar.getByRole('button', { name: /previous/i }).click();
  }
  throw new Error(`day ${iso} not found in the calendar`);
}

async function statuses(page: Page) {
  return rows(page).evaluateAll((els) => [...new Set(els.map((el) => el.getAttribute('data-status')))].sort());
}

test('status, engine and API key filters narrow the list, show counts and live in the URL', async ({ page, user }) => {
  const { old } = await seedCatalogue(user);
  await user.signIn(page);
  await page.goto('/dashboard/jobs');
  await expect(summary(page)).toHaveText('Showing 1-25 of 30 jobs');

  await page.getByRole('combobox', { name: 'Status filter' }).click();
  await expect(page.getByRole('option', { name: 'All (30)' })).toBeVisible();
  await expect(page.getByRole('option', { name: 'Active (2)' })).toBeVisible();
  await expect(page.getByRole('option', { name: 'Expired (1)' })).toBeVisible();
  await page.getByRole('option', { name: 'Failed (3)' }).click();
  await expect(page).toHaveURL(/\/dashboard\/jobs\?status=failed$/);
  await expect(summary(page)).toHaveText('Showing 1-3 of 3 jobs');
  await expect.poll(() => statuses(page)).toEqual(['failed']);

  await choose(page, 'Status', 'Active (2)');
  await expect(page).toHaveURL(/\?status=active$/);
  await expect(rows(page)).toHaveCount(2);
  await expect.poll(() => statuses(page)).toEqual(['processing', 'queued']);

  // Counts follow the other filters: with Active selected, only the active jobs' engines count.
  await page.getByRole('combobox', { name: 'Engine filter' }).click();
  await expect(page.getByRole('option', { name: 'Stealth (1)' })).toBeVisible();
  await page.getByRole('option', { name: 'Browser (0)' }).click();
  await expect(page).toHaveURL(/\?status=active&engine=browser$/);
  await expect(page.getByText('No jobs match your current filters.')).toBeVisible();
  await page.getByTestId('empty-state').getByRole('button', { name: 'Clear all filters' }).click();
  await expect(page).toHaveURL(/\/dashboard\/jobs$/);
  await expect(summary(page)).toHaveText('Showing 1-25 of 30 jobs');

  // Revoked keys come last, with the suffix, and still filter.
  await page.getByRole('combobox', { name: 'API Key filter' }).click();
  const options = page.getByRole('option');
  await expect(options).toHaveText(['All (30)', 'Production key (26)', 'Staging key (2)', 'Old key (revoked) (2)']);
  await page.getByRole('option', { name: 'Old key (revoked) (2)' }).click();
  await expect(page).toHaveURL(new RegExp(`\\?key=${old.id}$`));
  await expect.poll(() => statuses(page)).toEqual(['cancelled']);
  await expect(page.getByRole('combobox', { name: 'API Key filter' })).toContainText('Old key (revoked)');

  // The header link clears every filter too.
  await page.getByRole('button', { name: 'Clear all filters' }).click();
  await expect(page).toHaveURL(/\/dashboard\/jobs$/);
});

test('search matches a URL substring or a job-ID prefix, after 3 characters and a pause, and clears', async ({ page, user }) => {
  const { failed } = await seedCatalogue(user);
  await user.signIn(page);
  // The page's clock is ours, so a busy machine cannot stretch the gaps between keystrokes past
  // the debounce: time moves only when the test says so while it types.
  await page.clock.install();
  await page.goto('/dashboard/jobs');
  const search = page.getByRole('searchbox', { name: 'Search by URL or Job ID' });

  await search.fill('al');
  await expect(page.getByText('min. 3 characters')).toBeVisible();
  await page.waitForTimeout(600);
  await expect(page).toHaveURL(/\/dashboard\/jobs$/);

  const searches: string[] = [];
  page.on('request', (request) => {
    const q = new URL(request.url()).searchParams.get('q');
    if (request.url().includes('/api/v1/jobs?') && q) searches.push(q);
  });
  await page.clock.pauseAt(Date.now() + 60_000);
  for (const key of 'pha') {
    await search.press(key);
    await page.clock.runFor(100);
  }
  await expect(page).toHaveURL(/\/dashboard\/jobs$/);
  await page.clock.runFor(300);
  await page.clock.resume();
  await expect(page).toHaveURL(/\?q=alpha$/);
  await expect(summary(page)).toHaveText('Showing 1-3 of 3 jobs');
  expect(searches, 'one request after the typing pause, not one per keystroke').toEqual(['alpha']);

  await page.getByRole('button', { name: 'Clear search' }).click();
  await expect(search).toHaveValue('');
  await expect(page).toHaveURL(/\/dashboard\/jobs$/);

  await search.fill(failed[1].id.slice(0, 6));
  await expect(rows(page)).toHaveCount(1);
  await expect(rows(page).first()).toHaveAttribute('data-job-id', failed[1].id);

  await search.fill('no-such-page');
  await expect(page.getByText("No jobs found matching 'no-such-page'.")).toBeVisible();
  await page.getByRole('button', { name: 'Clear search' }).last().click();
  await expect(page).toHaveURL(/\/dashboard\/jobs$/);
  await expect(search).toHaveValue('');
});

test('date presets, a custom range within the last 90 days, and the date empty state', async ({ page, user }) => {
  await seedCatalogue(user);
  await user.signIn(page);
  await page.goto('/dashboard/jobs');
  const dateButton = page.getByRole('button', { name: 'Date range filter' });

  await dateButton.click();
  await page.getByRole('button', { name: /^Today/ }).click();
  await expect(page).toHaveURL(new RegExp(`\\?from=${today()}&to=${today()}&?`));
  await expect(dateButton).toContainText('Today');
  const todayCount = await rows(page).count();
  expect(todayCount).toBeGreaterThan(3);

  await dateButton.click();
  await expect(page.getByRole('button', { name: /^Last 90 days \(29\)/ })).toBeVisible();
  await page.getByRole('button', { name: /^Last 7 days/ }).click();
  await expect(page).toHaveURL(new RegExp(`\\?from=${daysAgo(6)}&to=${today()}`));
  await expect(summary(page)).toHaveText('Showing 1-25 of 26 jobs');

  // Custom range: From defaults to 30 days ago, To to today; nothing before the last 90 days.
  await dateButton.click();
  await page.getByRole('button', { name: 'Custom range' }).click();
  const from = page.getByRole('group', { name: 'From' });
  await expect(page.getByTestId('date-from')).toBeVisible();
  for (let i = 0; i < 4; i++) {
    const previous = from.getByRole('button', { name: /previous/i });
    if (await previous.isDisabled()) break;
    await previous.click();
  }
  await expect(from.getByRole('button', { name: /previous/i })).toBeDisabled();
  const dayBefore = from.locator(`[data-day="${daysAgo(90)}"]`);
  if (await dayBefore.count()) await expect(dayBefore.first()).toHaveAttribute('data-disabled', 'true');
  await pickDay(from, daysAgo(89));
  await pickDay(page.getByRole('group', { name: 'To' }), daysAgo(20));
  await page.getByRole('button', { name: 'Apply' }).click();
  await expect(page).toHaveURL(new RegExp(`\\?from=${daysAgo(89)}&to=${daysAgo(20)}`));
  await expect(rows(page)).toHaveCount(1);
  await expect(rows(page).first()).toHaveAttribute('data-status', 'expired');

  // A day with no jobs: the date empty state, and its link clears only the dates.
  await page.goto(`/dashboard/jobs?from=${daysAgo(60)}&to=${daysAgo(60)}`);
  await expect(page.getByText('No jobs found in the selected date range.')).toBeVisible();
  await page.getByRole('button', { name: 'Clear date filter' }).click();
  await expect(page).toHaveURL(/\/dashboard\/jobs$/);

  // A range longer than 90 days is not applied.
  await page.goto(`/dashboard/jobs?from=${daysAgo(120)}&to=${today()}`);
  await expect(dateButton).toContainText('All time');
  await expect(summary(page)).toHaveText('Showing 1-25 of 30 jobs');
});

test('column sorting cycles ascending, descending and back to newest first, and resets the page', async ({ page, user }) => {
  await seedCatalogue(user);
  await user.signIn(page);
  await page.goto('/dashboard/jobs?page=2');
  await expect(page.getByTestId('page-indicator')).toHaveText('Page 2 of 2');
  const duration = page.getByRole('columnheader', { name: /Duration/ });
  const created = page.getByRole('columnheader', { name: /Created/ });
  await expect(created).toHaveAttribute('aria-sort', 'descending');

  await duration.getByRole('button').click();
  await expect(page).toHaveURL(/\?sort=duration&order=asc$/);
  await expect(duration).toHaveAttribute('aria-sort', 'ascending');
  await expect(page.getByTestId('page-indicator')).toHaveText('Page 1 of 2');
  // Jobs without a duration (never ran, or still running) sort first in ascending order.
  // Polled: the URL changes before the re-sorted page has loaded.
  const firstDuration = async () =>
    (await rows(page).locator('td:nth-child(7)').allTextContents()).find((text) => text !== '--' && text !== '');
  await expect.poll(firstDuration).toBe('0.3s');

  await duration.getByRole('button').click();
  await expect(page).toHaveURL(/\?sort=duration&order=desc$/);
  await expect(duration).toHaveAttribute('aria-sort', 'descending');
  await expect(rows(page).first().locator('td:nth-child(7)')).toHaveText('5.1s');

  await duration.getByRole('button').click();
  await expect(page).toHaveURL(/\/dashboard\/jobs$/);
  await expect(duration).not.toHaveAttribute('aria-sort', /.+/);
  await expect(created).toHaveAttribute('aria-sort', 'descending');

  await page.getByRole('columnheader', { name: /API Key/ }).getByRole('button').click();
  await expect(page).toHaveURL(/\?sort=apiKey&order=asc$/);
  await expect(rows(page).first().locator('td:nth-child(5)')).toContainText('Old key (revoked)');
});

test('pagination: sizes, Previous/Next, arrow keys, and back/forward through every state', async ({ page, user }) => {
  await seedCatalogue(user);
  await user.signIn(page);
  await page.goto('/dashboard/jobs');
  const indicator = page.getByTestId('page-indicator');
  await expect(indicator).toHaveText('Page 1 of 2');
  await expect(page.getByRole('button', { name: 'Previous' })).toBeDisabled();

  await page.getByRole('button', { name: 'Next' }).click();
  await expect(page).toHaveURL(/\?page=2$/);
  await expect(summary(page)).toHaveText('Showing 26-30 of 30 jobs');
  await expect(page.getByRole('button', { name: 'Next' })).toBeDisabled();

  await page.getByRole('navigation', { name: 'Pagination' }).focus();
  await page.keyboard.press('ArrowLeft');
  await expect(page).toHaveURL(/\/dashboard\/jobs$/);
  await expect(indicator).toHaveText('Page 1 of 2');
  await page.keyboard.press('ArrowRight');
  await expect(indicator).toHaveText('Page 2 of 2');

  await page.getByRole('combobox', { name: 'Rows per page' }).click();
  await page.getByRole('option', { name: '50' }).click();
  await expect(page).toHaveURL(/\?size=50$/);
  await expect(indicator).toHaveText('Page 1 of 1');
  await expect(rows(page)).toHaveCount(30);

  await choose(page, 'Status', /^Completed/);
  await expect(page).toHaveURL(/\?status=completed&size=50$/);

  await page.goBack();
  await expect(page).toHaveURL(/\?size=50$/);
  await expect(page.getByRole('combobox', { name: 'Status filter' })).toContainText('All');
  await expect(rows(page)).toHaveCount(30);
  await page.goBack();
  await expect(page).toHaveURL(/\?page=2$/);
  await expect(indicator).toHaveText('Page 2 of 2');
  await page.goBack();
  await expect(indicator).toHaveText('Page 1 of 2');
  await page.goForward();
  await page.goForward();
  await expect(page).toHaveURL(/\?size=50$/);
  await page.goForward();
  await expect(page).toHaveURL(/\?status=completed&size=50$/);
  await expect(page.getByRole('combobox', { name: 'Status filter' })).toContainText('Completed');

  // A shared link opens the same state.
  await page.goto('/dashboard/jobs?status=failed&sort=duration&order=asc');
  await expect(page.getByRole('combobox', { name: 'Status filter' })).toContainText('Failed');
  await expect(rows(page).first().locator('td:nth-child(7)')).toHaveText('0.7s');
});

test('an account without jobs, and a list that fails to load, show their messages', async ({ page, user }) => {
  await user.signIn(page);
  await page.goto('/dashboard/jobs');
  await expect(page.getByText('No scraping jobs yet. Submit your first API request to see jobs appear here.')).toBeVisible();
  await expect(page.getByRole('link', { name: 'View API Documentation' })).toHaveAttribute('href', '/docs');

  await user.seed([{ status: 'failed' }]);
  await page.route(/\/api\/v1\/jobs\?/, (route) => route.abort());
  await choose(page, 'Status', /^Failed/);
  await expect(page.getByText('Unable to load jobs. Please try again.')).toBeVisible();
  await page.unroute(/\/api\/v1\/jobs\?/);
  await page.getByRole('button', { name: 'Retry' }).click();
  await expect(rows(page)).toHaveCount(1);
});
