import type { Page } from '@playwright/test';
import { sql } from 'drizzle-orm';
import { jobs } from '@/db/schema';
import { daysAgo, today } from './support/list';
import { expect, fixtureUrl, test } from './support/fixtures';

// The dashboard's behaviour fixes of issue 14: paging past the end and with the keyboard, the
// URL's date range, priority counts, the Live badge against the stale banner, the theme toggle
// and the skip link, and secrets that never reach the browser.

test('a page past the end shows the last page at once, and keyboard paging never drops focus', async ({ page, user }) => {
  await user.signIn(page);
  await user.seed(Array.from({ length: 60 }, (_, i) => ({ status: 'completed' as const, minutesAgo: i + 1 })));
  await page.goto('/dashboard/jobs?page=99');
  await expect(page).toHaveURL(/[?&]page=3(&|$)/);
  await expect(page.getByTestId('page-indicator')).toHaveText('Page 3 of 3');
  await expect(page.getByTestId('list-summary')).toHaveText('Showing 51-60 of 60 jobs');
  await expect(page.getByTestId('job-row')).toHaveCount(10);

  await page.getByRole('button', { name: 'Previous' }).click();
  await expect(page.getByTestId('page-indicator')).toHaveText('Page 2 of 3');
  // Next to the last page: the button is disabled, focus stays on the pagination bar.
  await page.getByRole('button', { name: 'Next' }).click();
  await expect(page.getByTestId('page-indicator')).toHaveText('Page 3 of 3');
  await expect(page.getByRole('button', { name: 'Next' })).toBeDisabled();
  await expect(page.getByRole('navigation', { name: 'Pagination' })).toBeFocused();
  await page.keyboard.press('ArrowLeft');
  await expect(page.getByTestId('page-indicator')).toHaveText('Page 2 of 3');
  await page.keyboard.press('ArrowLeft');
  await expect(page.getByTestId('page-indicator')).toHaveText('Page 1 of 3');
  await page.keyboard.press('ArrowRight');
  await expect(page.getByTestId('page-indicator')).toHaveText('Page 2 of 3');
  // From the Previous button too: turning to page 1 keeps focus in the bar.
  await page.getByRole('button', { name: 'Previous' }).focus();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('page-indicator')).toHaveText('Page 1 of 3');
  await expect(page.getByRole('navigation', { name: 'Pagination' })).toBeFocused();
  await page.keyboard.press('ArrowRight');
  await expect(page.getByTestId('page-indicator')).toHaveText('Page 2 of 3');
});

test('an invalid date range in the URL is named, and the other filters still apply; priority has counts', async ({ page, user, db }) => {
  await user.signIn(page);
  const rows = await user.seed([
    { status: 'completed', minutesAgo: 1 },
    { status: 'completed', minutesAgo: 2 },
    { status: 'failed', minutesAgo: 3 },
    { status: 'cancelled', minutesAgo: 4, durationMs: 26_600 },
  ]);
  await db.execute(sql`update ${jobs} set priority = 'high' where ${jobs.id} in (${rows[0].id}, ${rows[2].id})`);

  await page.goto(`/dashboard/jobs?status=completed&from=${daysAgo(119)}&to=${today()}`);
  await expect(page.getByTestId('date-range-problem')).toHaveText(
    'Date filter not applied: The date range can be at most 90 days. Showing jobs from all dates; the other filters still apply.',
  );
  await expect(page.getByRole('combobox', { name: 'Status filter' })).toContainText('Completed');
  await expect(page.getByTestId('job-row')).toHaveCount(2);

  await page.goto('/dashboard/jobs?status=failed&from=2026-13-45');
  await expect(page.getByTestId('date-range-problem')).toContainText('"2026-13-45" is not a date (YYYY-MM-DD).');
  await expect(page.getByTestId('job-row')).toHaveCount(1);

  await page.goto('/dashboard/jobs');
  await expect(page.getByTestId('date-range-problem')).toHaveCount(0);
  // A job cancelled while it ran shows no duration in the list (spec section 3).
  await expect(page.locator(`[data-job-id="${rows[3].id}"] td`).nth(6)).toHaveText('--');
  await page.getByRole('combobox', { name: 'Priority filter' }).click();
  await expect(page.getByRole('option', { name: 'All (4)' })).toBeVisible();
  await expect(page.getByRole('option', { name: 'High (2)' })).toBeVisible();
  await expect(page.getByRole('option', { name: 'Normal (2)' })).toBeVisible();
  await expect(page.getByRole('option', { name: 'Urgent (0)' })).toBeVisible();
  await page.getByRole('option', { name: 'High (2)' }).click();
  await expect(page.getByTestId('job-row')).toHaveCount(2);
});

/** Moves the page's fake clock forward by each step, waiting for the poll it triggers to fail. */
async function failPolls(page: Page, steps: number[], urlPart: string) {
  for (const ms of steps) {
    const failed = page.waitForEvent('requestfailed', { predicate: (request) => request.url().includes(urlPart), timeout: 10_000 });
    await page.clock.runFor(ms);
    await failed;
  }
}

test('the Live badge goes away when the stale banner says nothing refreshes', async ({ page, user }) => {
  await user.signIn(page);
  await user.seed([{ status: 'queued', engine: 'stealth' }]);
  await page.clock.install();
  await page.goto('/dashboard/jobs');
  const live = page.getByTestId('live-indicator');
  await expect(live).toBeVisible();
  await page.route(/\/api\/v1\/jobs\?/, (route) => route.abort());
  await failPolls(page, [2_000, 10_000, 20_000], '/api/v1/jobs?');
  await expect(page.getByText('Unable to refresh job data. Showing last known state.')).toBeVisible();
  await expect(live).toBeHidden();
  await page.unroute(/\/api\/v1\/jobs\?/);
  await page.getByRole('button', { name: 'Refresh' }).click();
  await expect(live).toBeVisible();
});

test('the theme follows the system until chosen, is remembered without a flash; the skip link is the first Tab', async ({ page, user }) => {
  await user.signIn(page);
  await user.seed([{ status: 'completed' }]);
  // The theme is applied by the server's HTML and its inline script alone, before any of the
  // app's JavaScript runs (none runs here at all): so no page is ever painted in the other theme.
  const htmlClassWithoutAppScripts = async (url: string) => {
    const appScripts = /\/_next\/static\/chunks\/.*\.js/;
    await page.route(appScripts, (route) => route.abort());
    await page.goto(url);
    const className = await page.evaluate(() => document.documentElement.className);
    await page.unroute(appScripts);
    return className;
  };

  await page.emulateMedia({ colorScheme: 'dark' });
  expect(await htmlClassWithoutAppScripts('/dashboard/jobs')).toMatch(/\bdark\b/);
  await page.goto('/dashboard/jobs');
  await expect(page.locator('html')).toHaveClass(/\bdark\b/);
  await expect(page.getByRole('radio', { name: 'System theme' })).toHaveAttribute('aria-checked', 'true');

  await page.getByRole('radio', { name: 'Light theme' }).click();
  await expect(page.locator('html')).not.toHaveClass(/\bdark\b/);
  expect(await htmlClassWithoutAppScripts('/dashboard/jobs')).not.toMatch(/\bdark\b/);
  await page.goto('/dashboard/jobs');
  await expect(page.getByTestId('job-row')).toHaveCount(1);
  await expect(page.getByRole('radio', { name: 'Light theme' })).toHaveAttribute('aria-checked', 'true');
  const background = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);

  await page.getByRole('radio', { name: 'Dark theme' }).click();
  await expect(page.locator('html')).toHaveClass(/\bdark\b/);
  await page.emulateMedia({ colorScheme: 'light' });
  expect(await htmlClassWithoutAppScripts('/dashboard')).toMatch(/\bdark\b/);
  await page.goto('/dashboard');
  await expect(page.getByRole('radio', { name: 'Dark theme' })).toHaveAttribute('aria-checked', 'true');
  expect(await page.evaluate(() => getComputedStyle(document.body).backgroundColor)).not.toBe(background);

  // Skip to content: the first Tab, and the next one lands inside the page, past the sidebar.
  await page.keyboard.press('Tab');
  const skip = page.getByRole('link', { name: 'Skip to content' });
  await expect(skip).toBeFocused();
  await expect(skip).toBeVisible();
  await page.keyboard.press('Enter');
  await expect(page.locator('#main-content')).toBeFocused();
  await page.keyboard.press('Tab');
  expect(await page.evaluate(() => Boolean(document.activeElement?.closest('#main-content')))).toBe(true);
});

test('request secrets never reach the browser in full; a clone keeps the saved values on the server', async ({ page, user }) => {
  await user.signIn(page);
  const original = await user.submit({
    url: `${fixtureUrl()}/echo`,
    headers: { Authorization: 'Bearer top-secret-value', 'X-Trace': 'visible-value', 'X-Api-Key': 'key-secret-1' },
    cookies: { session: 'abcdefghijkl' },
  });
  await user.waitForStatus(original.id, 'completed');

  // The page's HTML, and the JSON it polls with the session, hold only masked values.
  const html = await (await page.request.get(`/dashboard/jobs/${original.id}`)).text();
  const polled = await (await page.request.get(`/api/v1/jobs/${original.id}`)).text();
  for (const text of [html, polled]) {
    expect(text).not.toContain('top-secret-value');
    expect(text).not.toContain('key-secret-1');
    expect(text).not.toContain('abcdefghijkl');
    expect(text).toContain('visible-value');
  }
  const { maskedSecrets } = JSON.parse(polled) as { maskedSecrets: { headers: string[]; cookies: string[] } };
  expect({ headers: maskedSecrets.headers.sort(), cookies: maskedSecrets.cookies }).toEqual({ headers: ['Authorization', 'X-Api-Key'], cookies: ['session'] });
  // The owner's API key gets the config as sent (README: the API reply keeps the values).
  const owned = await user.getJob(original.id);
  expect((owned.config as { headers: Record<string, string> }).headers.Authorization).toBe('Bearer top-secret-value');

  // Clone: the secret fields start empty, keeping the saved value; one is retyped.
  const cloneHtml = await (await page.request.get(`/dashboard/jobs/new?from=${original.id}`)).text();
  expect(cloneHtml).not.toContain('top-secret-value');
  expect(cloneHtml).not.toContain('abcdefghijkl');
  await page.goto(`/dashboard/jobs/new?from=${original.id}`);
  const headers = page.getByTestId('headers-rows');
  await expect(headers.getByRole('textbox', { name: /^Header \d+ name$/ })).toHaveCount(3);
  const names = await headers.getByRole('textbox', { name: /^Header \d+ name$/ }).evaluateAll((inputs) => inputs.map((input) => (input as HTMLInputElement).value));
  const valueOf = (name: string) => headers.getByRole('textbox', { name: `Header ${names.indexOf(name) + 1} value` });
  await expect(valueOf('Authorization')).toHaveValue('');
  await expect(valueOf('Authorization')).toHaveAttribute('placeholder', 'Saved value kept (type to replace)');
  await expect(valueOf('X-Trace')).toHaveValue('visible-value');
  await valueOf('X-Api-Key').fill('key-secret-2');
  await expect(page.getByTestId('cookies-rows').getByRole('textbox', { name: 'Cookie 1 value' })).toHaveValue('');
  await page.getByRole('button', { name: 'Submit job' }).click();
  await page.waitForURL((url) => /\/dashboard\/jobs\/[0-9a-f-]{36}$/.test(url.pathname) && !url.pathname.endsWith(original.id));
  const cloneId = page.url().split('/').at(-1)!;
  const clone = await user.getJob(cloneId);
  expect(clone.config).toMatchObject({
    headers: { Authorization: 'Bearer top-secret-value', 'X-Trace': 'visible-value', 'X-Api-Key': 'key-secret-2' },
    cookies: { session: 'abcdefghijkl' },
  });
});
