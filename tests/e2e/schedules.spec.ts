import { sql } from 'drizzle-orm';
import { expect, fixtureUrl, test } from './support/fixtures';

test('create a schedule with the next-runs preview, see it listed, pause and resume it, and read its run history', async ({ page, user, db }) => {
  await user.signIn(page);
  await page.goto('/dashboard');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Schedules' }).click();
  await expect(page.getByRole('heading', { name: 'Schedules' })).toBeVisible();
  await page.getByRole('link', { name: 'New schedule' }).click();

  await page.getByLabel('Name').fill('Morning prices');
  const cron = page.getByLabel('Cron expression');
  // A bad expression says why, as you type; a good one shows its next 5 runs.
  await cron.fill('61 * * * *');
  await expect(page.getByTestId('cron-error')).toContainText('minute');
  await cron.fill('30 7 * * 1-5');
  await expect(page.getByTestId('cron-preview')).toContainText('At 07:30');
  await page.getByLabel('Time zone').selectOption('Europe/Paris');
  const runs = page.getByTestId('cron-preview-run');
  await expect(runs).toHaveCount(5);
  await expect(runs.first()).toContainText(/07:30:00 (GMT\+1|GMT\+2|CET|CEST)/);
  await page.getByLabel('URL').fill(`${fixtureUrl()}/page`);
  await page.getByRole('button', { name: 'Create schedule' }).click();

  await expect(page).toHaveURL(/\/dashboard\/schedules\/[0-9a-f-]{36}$/);
  const id = page.url().split('/').at(-1)!;
  await expect(page.getByRole('heading', { name: 'Morning prices' })).toBeVisible();
  await expect(page.getByTestId('schedule-status')).toHaveText('Active');
  await expect(page.getByTestId('schedule-next-runs').locator('li')).toHaveCount(5);
  await expect(page.getByTestId('no-runs')).toBeVisible();

  await page.getByRole('navigation', { name: 'Breadcrumb' }).getByRole('link', { name: 'Schedules' }).click();
  const row = page.getByTestId('schedule-row').filter({ hasText: 'Morning prices' });
  await expect(row).toContainText('30 7 * * 1-5 · Europe/Paris');
  await expect(row.getByTestId('schedule-next-run')).not.toHaveText('—');
  await row.getByRole('button', { name: 'Pause' }).click();
  await expect(row.getByTestId('schedule-status')).toHaveText('Paused');
  await expect(row.getByTestId('schedule-next-run')).toHaveText('—');
  await row.getByRole('button', { name: 'Resume' }).click();
  await expect(row.getByTestId('schedule-status')).toHaveText('Active');

  // Its next time, brought forward to now: the worker's trigger loop runs it within seconds.
  await db.execute(sql`UPDATE schedules SET next_run_at = now() - interval '1 second' WHERE id = ${id}`);
  await row.getByRole('link', { name: 'Morning prices' }).click();
  const run = page.getByTestId('schedule-run-row');
  await expect(run).toHaveCount(1, { timeout: 30_000 });
  await expect(run.getByTestId('run-outcome')).toHaveText('Created');
  await run.getByRole('link', { name: /^Job [0-9a-f]{8}$/ }).click();
  await expect(page).toHaveURL(/\/dashboard\/jobs\/[0-9a-f-]{36}$/);
});

// A crawl target: its form fields, their field error, edit keeping the options, and a run opening its crawl.
test('a crawl-target schedule from the form, edited, and its run linking to the crawl', async ({ page, user, db }) => {
  await user.signIn(page);
  await page.goto('/dashboard/schedules/new');
  await page.getByLabel('Name').fill('Nightly crawl');
  await page.getByLabel('Cron expression').fill('0 3 * * *');
  await page.getByRole('combobox', { name: 'Target type' }).click();
  await page.getByRole('option', { name: 'A site from a start URL: a crawl each run' }).click();
  await page.getByLabel('Start URL', { exact: true }).fill(`${fixtureUrl()}/page`);
  const maxPages = page.getByLabel('Max pages');
  await maxPages.fill('');
  await page.getByRole('button', { name: 'Create schedule' }).click();
  await expect(page.getByText('maxPages is required')).toBeVisible();
  await maxPages.fill('2');
  await page.getByLabel('Max depth').fill('1');
  await page.getByLabel('Include paths').fill('/page\n/other/**');
  await page.getByLabel('Also read sitemap.xml').click();
  await page.getByRole('button', { name: 'Create schedule' }).click();

  await expect(page).toHaveURL(/\/dashboard\/schedules\/[0-9a-f-]{36}$/);
  const id = page.url().split('/').at(-1)!;
  await expect(page.getByTestId('schedule-crawl-limits')).toHaveText('A crawl of up to 2 pages, 1 link deep');

  await page.getByRole('link', { name: 'Edit', exact: true }).click();
  await expect(page.getByLabel('Max pages')).toHaveValue('2');
  await expect(page.getByLabel('Include paths')).toHaveValue('/page\n/other/**');
  await expect(page.getByLabel('Also read sitemap.xml')).toHaveAttribute('aria-checked', 'true');
  await page.getByLabel('Max pages').fill('3');
  await page.getByRole('button', { name: 'Save schedule' }).click();
  await expect(page.getByTestId('schedule-crawl-limits')).toHaveText('A crawl of up to 3 pages, 1 link deep');

  await db.execute(sql`UPDATE schedules SET next_run_at = now() - interval '1 second' WHERE id = ${id}`);
  const run = page.getByTestId('schedule-run-row');
  await expect(run).toHaveCount(1, { timeout: 30_000 });
  await expect(run.getByTestId('run-outcome')).toHaveText('Created');
  const link = run.getByRole('link', { name: /^Crawl [0-9a-f]{8}$/ });
  await expect(link).toHaveAttribute('href', /^\/dashboard\/crawls\/[0-9a-f-]{36}$/);
  await link.click();
  await expect(page).toHaveURL(/\/dashboard\/crawls\/[0-9a-f-]{36}$/);
  await expect(page.getByText('At most 3 pages, 1 link deep')).toBeVisible();
});
