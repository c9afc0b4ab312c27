import { randomBytes } from 'node:crypto';
import type { Page } from '@playwright/test';
import { sql } from 'drizzle-orm';
import { appendLogs } from '@/db/queries/logs';
import { jobs } from '@/db/schema';
import { createAccount, createApiKey } from '@/lib/server/accounts';
import { expect, expectNotReloaded, fixtureUrl, markPage, test } from './support/fixtures';

const logEntries = (page: Page) => page.getByTestId('log-entry');
const status = (page: Page) => page.getByTestId('job-status');

test('the execution log fills in live, fetching only new entries, until the job completes', async ({ page, user }) => {
  await user.signIn(page);
  const job = await user.submit({ url: `${fixtureUrl()}/slow?ms=4000` });
  const logRequests: string[] = [];
  page.on('request', (request) => {
    if (request.url().includes(`/api/v1/jobs/${job.id}/logs`)) logRequests.push(new URL(request.url()).searchParams.get('after') ?? '');
  });
  await page.goto(`/dashboard/jobs/${job.id}`);
  await markPage(page);
  await expect(logEntries(page).first()).toContainText('Job queued');
  await expect(status(page)).toHaveAttribute('data-status', 'processing');
  await expect(page.getByRole('progressbar', { name: 'Processing' })).toBeVisible();
  await expect(page.getByText('Auto-scroll: ON')).toBeVisible();
  await expect(page.getByTestId('result-message')).toHaveText('Job is processing...');

  await expect(page.getByTestId('log-entries')).toContainText('Job completed successfully', { timeout: 15_000 });
  await expect(status(page)).toHaveAttribute('data-status', 'completed');
  await expect(page.getByTestId('log-entries')).toContainText('Credits charged: 1');
  await expect(page.getByText('Auto-scroll: ON')).toBeHidden();
  await expect(page.getByTestId('overview-card')).toContainText('Completed');
  await expect(page.getByTestId('code-view')).toContainText('Finally.');
  const total = await logEntries(page).count();
  await expect(page.getByTestId('log-count')).toHaveText(`Showing ${total} of ${total} log entries`);
  expect(logRequests.length).toBeGreaterThan(0);
  expect(logRequests.every((after) => Number(after) > 0), 'polls ask only for entries after the last one shown').toBe(true);
  await expectNotReloaded(page);
  // Entries carry their time to the millisecond, in the viewer's timezone.
  await expect(logEntries(page).first().locator('time')).toHaveText(/^\d{2}:\d{2}:\d{2}\.\d{3}$/);
});

test('log level filter, expandable metadata, and auto-scroll that yields to the reader', async ({ page, user, db }) => {
  await user.signIn(page);
  const failed = await user.submit({ url: `${fixtureUrl()}/status/503` });
  await user.waitForStatus(failed.id, 'failed');
  await page.goto(`/dashboard/jobs/${failed.id}`);
  const total = await logEntries(page).count();

  await page.getByRole('combobox', { name: 'Log level filter' }).click();
  await page.getByRole('option', { name: 'Errors only' }).click();
  const errors = await logEntries(page).count();
  expect(errors).toBeGreaterThan(2);
  expect(new Set(await logEntries(page).evaluateAll((els) => els.map((el) => el.getAttribute('data-level'))))).toEqual(new Set(['ERROR']));
  await expect(page.getByTestId('log-count')).toHaveText(`Showing ${errors} of ${total} log entries`);
  await page.getByRole('combobox', { name: 'Log level filter' }).click();
  await page.getByRole('option', { name: 'Warnings + above' }).click();
  expect(new Set(await logEntries(page).evaluateAll((els) => els.map((el) => el.getAttribute('data-level'))))).toEqual(new Set(['ERROR', 'WARN']));
  await page.getByRole('combobox', { name: 'Log level filter' }).click();
  await page.getByRole('option', { name: 'All' }).click();

  await logEntries(page).filter({ hasText: 'Worker picked up job' }).getByRole('button').click();
  await expect(page.getByTestId('log-metadata').first()).toContainText('workerId');
  await expect(page.getByText('Auto-scroll')).toBeHidden();

  // A long log of a job still waiting: the view follows the end until the reader scrolls up.
  const waiting = (await user.seed([{ status: 'queued', engine: 'stealth' }]))[0];
  await appendLogs(
    db,
    waiting.id,
    Array.from({ length: 60 }, (_, i) => ({ timestamp: new Date(), level: 'DEBUG' as const, message: `Padding entry ${i}` })),
  );
  await page.goto(`/dashboard/jobs/${waiting.id}`);
  const scroller = page.getByTestId('log-entries');
  await expect.poll(() => scroller.evaluate((el) => el.scrollHeight - el.scrollTop - el.clientHeight)).toBeLessThan(5);
  await expect(page.getByText('Auto-scroll: ON')).toBeVisible();
  await scroller.hover();
  await page.mouse.wheel(0, -400);
  await expect(page.getByText('Auto-scroll: OFF')).toBeVisible();
  await page.getByRole('switch', { name: /Auto-scroll/ }).click();
  await expect(page.getByText('Auto-scroll: ON')).toBeVisible();
});

test('result viewer: HTML with line numbers, copy and download; JSON; markdown; text', async ({ page, user, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await user.signIn(page);
  const html = await user.submit({ url: `${fixtureUrl()}/page` });
  const json = await user.submit({ url: `${fixtureUrl()}/json`, format: 'json' });
  const markdown = await user.submit({ url: `${fixtureUrl()}/page`, format: 'markdown' });
  const text = await user.submit({ url: `${fixtureUrl()}/text`, format: 'text' });
  for (const job of [html, json, markdown, text]) await user.waitForStatus(job.id, 'completed');

  await page.goto(`/dashboard/jobs/${html.id}`);
  const viewer = page.getByTestId('code-view');
  await expect(page.getByTestId('result-format')).toHaveText('HTML');
  await expect(viewer).toHaveAttribute('data-language', 'markup');
  await expect(viewer).toContainText('<title>Fixture Page</title>');
  await expect(viewer.locator('.token.tag').first()).toBeVisible();
  await expect(viewer.locator('.table-row').first().locator('span').first()).toHaveText('1');
  await expect(page.getByRole('switch', { name: 'Word wrap' })).toBeChecked();
  await page.getByRole('switch', { name: 'Word wrap' }).click();
  await expect(viewer.locator('.whitespace-pre').first()).toBeVisible();
  await page.getByRole('button', { name: 'Copy', exact: true }).click();
  await expect(page.getByRole('button', { name: 'Copied' })).toBeVisible();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toContain('<h1>Fixture Heading</h1>');
  await expect(page.getByRole('button', { name: 'Copy', exact: true })).toBeVisible({ timeout: 3000 });
  const download = page.waitForEvent('download');
  await page.getByTestId('download-result').click();
  expect((await download).suggestedFilename()).toBe(`scrapifie-${html.id.slice(0, 8)}-html.html`);

  await page.goto(`/dashboard/jobs/${json.id}`);
  await expect(page.getByTestId('result-format')).toHaveText('JSON');
  await expect(viewer).toHaveAttribute('data-language', 'json');
  await expect(viewer.locator('.table-row').nth(1)).toContainText('"name": "fixture",');

  await page.goto(`/dashboard/jobs/${markdown.id}`);
  await expect(page.getByTestId('result-format')).toHaveText('Markdown');
  await expect(page.getByTestId('markdown-view').getByRole('heading', { name: 'Fixture Heading' })).toBeVisible();
  await page.getByRole('switch', { name: 'Raw' }).click();
  await expect(viewer).toHaveAttribute('data-language', 'markdown');
  await expect(viewer).toContainText('# Fixture Heading');

  await page.goto(`/dashboard/jobs/${text.id}`);
  await expect(page.getByTestId('result-format')).toHaveText('Text');
  await expect(viewer).toHaveAttribute('data-language', 'text');
  await expect(viewer).toContainText('Second line.');
});

test('result viewer: empty, binary, past the preview size, and too large to preview', async ({ page, user }) => {
  await user.signIn(page);
  const empty = await user.submit({ url: `${fixtureUrl()}/empty` });
  const binary = await user.submit({ url: `${fixtureUrl()}/binary.png` });
  const large = await user.submit({ url: `${fixtureUrl()}/large?kb=150` });
  const huge = await user.submit({ url: `${fixtureUrl()}/large?kb=5200&length=1`, timeoutMs: 60_000 });
  for (const job of [empty, binary, large, huge]) await user.waitForStatus(job.id, 'completed', 40_000);

  await page.goto(`/dashboard/jobs/${empty.id}`);
  await expect(page.getByTestId('result-message')).toHaveText(
    'Job completed but returned no content. The target page may be empty or require different configuration.',
  );

  await page.goto(`/dashboard/jobs/${binary.id}`);
  await expect(page.getByTestId('result-message')).toHaveText('Binary content cannot be previewed. Use the download button.');
  await expect(page.getByTestId('download-result')).toHaveAttribute('download', `scrapifie-${binary.id.slice(0, 8)}-html.png`);

  await page.goto(`/dashboard/jobs/${large.id}`);
  await expect(page.getByText('Showing the first 100.0 KB of 150.0 KB.')).toBeVisible();
  await page.getByRole('button', { name: 'Show full response' }).click();
  await expect(page.getByRole('button', { name: 'Show full response' })).toBeHidden();

  await page.goto(`/dashboard/jobs/${huge.id}`);
  await expect(page.getByTestId('result-message')).toHaveText('Result too large to preview (5.1 MB). Use the download button.');
  await expect(page.getByTestId('download-result')).toBeVisible();
});

test('request configuration: masked secrets, masked cookies, long bodies, open for failed jobs', async ({ page, user }) => {
  await user.signIn(page);
  const body = JSON.stringify({ items: Array.from({ length: 400 }, (_, i) => `item-${i}`) });
  const echo = await user.submit({
    url: `${fixtureUrl()}/echo`,
    method: 'POST',
    headers: { Authorization: 'Bearer top-secret-value', 'X-Api-Key': 'another-secret', 'X-Trace': 'visible-value' },
    cookies: { session: 'abcdefghijkl', theme: 'dark' },
    body,
  });
  await user.waitForStatus(echo.id, 'completed');
  await page.goto(`/dashboard/jobs/${echo.id}`);
  const toggle = page.getByRole('button', { name: 'Request Configuration' });
  await expect(toggle).toHaveAttribute('aria-expanded', 'false');
  await toggle.click();
  const config = page.getByTestId('request-config');
  await expect(config.getByTestId('config-headers')).toContainText('visible-value');
  await expect(config).not.toContainText('top-secret-value');
  await expect(config).not.toContainText('another-secret');
  await expect(config.getByTestId('config-cookies')).toContainText('abcd••••');
  await expect(config.getByTestId('config-cookies')).not.toContainText('abcdefghijkl');
  await expect(config.getByTestId('config-cookies')).toContainText('dark');
  await expect(config).toContainText('POST');
  const bodyView = config.getByTestId('config-body');
  await expect(bodyView).not.toContainText('item-399');
  await config.getByRole('button', { name: 'Show more' }).click();
  await expect(bodyView).toContainText('item-399');

  const failed = await user.submit({ url: `${fixtureUrl()}/blocked` });
  await user.waitForStatus(failed.id, 'failed');
  await page.goto(`/dashboard/jobs/${failed.id}`);
  await expect(page.getByRole('button', { name: 'Request Configuration' })).toHaveAttribute('aria-expanded', 'true');
  const errorPanel = page.getByTestId('error-details');
  await expect(errorPanel.getByTestId('error-type')).toHaveText('TARGET_BLOCKED');
  await expect(errorPanel.getByTestId('error-attempts')).toHaveText('1 of 3');
  await expect(errorPanel.getByTestId('error-suggestions')).toContainText('Use the Stealth engine');
  await expect(page.getByTestId('overview-retries')).toHaveText('0 of 2');
});

test('a test-key job is labelled Test and costs 0 credits', async ({ page, user }) => {
  const testKey = await user.addKey({ name: 'Sandbox', kind: 'test' });
  await user.signIn(page);
  const job = await user.submit({ url: `${fixtureUrl()}/page` }, testKey.secret);
  await user.waitForStatus(job.id, 'completed');
  await page.goto(`/dashboard/jobs/${job.id}`);
  await expect(page.getByTestId('overview-card').getByText('Test', { exact: true })).toBeVisible();
  await expect(page.getByTestId('overview-credits')).toHaveText('0');
  await expect(page.getByTestId('overview-key')).toHaveText('Sandbox');
  await page.goto('/dashboard/jobs');
  await expect(page.locator(`[data-job-id="${job.id}"]`)).toContainText('Test');
});

test("another account's job, an unknown job, and a job deleted while open each say so, with a way back", async ({ page, user, db }) => {
  const other = await createAccount(db, { email: `other-${randomBytes(4).toString('hex')}@example.com`, password: 'another password', credits: 10 });
  const otherKey = await createApiKey(db, { accountId: other.id, name: 'Theirs', kind: 'live' });
  const theirs = await user.submit({ url: `${fixtureUrl()}/page` }, otherKey.secret);
  await user.signIn(page);

  await page.goto(`/dashboard/jobs/${theirs.id}`);
  await expect(page.getByTestId('job-unavailable')).toContainText('You do not have permission to view this job.');
  await expect(page.getByRole('link', { name: 'Back to Jobs' })).toHaveAttribute('href', '/dashboard/jobs');

  await page.goto('/dashboard/jobs/2b1f3c4d-0000-4000-8000-000000000000');
  await expect(page.getByTestId('job-unavailable')).toContainText('Job not found. It may have been deleted or the ID is incorrect.');
  await page.getByRole('link', { name: 'Back to Jobs' }).click();
  await expect(page).toHaveURL(/\/dashboard\/jobs$/);

  const [waiting] = await user.seed([{ status: 'queued', engine: 'stealth' }]);
  await page.goto(`/dashboard/jobs/${waiting.id}`);
  await expect(status(page)).toHaveAttribute('data-status', 'queued');
  // Deleted elsewhere (another tab, the API): the next poll's 410 says so, and so does the URL from then on.
  await db.update(jobs).set({ deletedAt: new Date() }).where(sql`${jobs.id} = ${waiting.id}`);
  await expect(page.getByTestId('job-unavailable')).toContainText('This job was deleted.');
  await page.reload();
  await expect(page.getByTestId('job-unavailable')).toContainText('This job was deleted.');
  await expect(page.getByRole('link', { name: 'Back to Jobs' })).toHaveAttribute('href', '/dashboard/jobs');
});

test('Back to Jobs returns to the list as it was left, through the browser history', async ({ page, user }) => {
  await user.seed(Array.from({ length: 30 }, (_, i) => ({ status: 'completed' as const, minutesAgo: i })));
  await user.signIn(page);
  await page.goto('/dashboard/jobs?page=2&sort=duration&order=desc');
  const row = page.getByTestId('job-row').first();
  const id = await row.getAttribute('data-job-id');
  await row.locator('td').nth(2).click();
  await expect(page).toHaveURL(new RegExp(`/dashboard/jobs/${id}$`));
  await expect(page.getByRole('navigation', { name: 'Breadcrumb' })).toContainText(`Dashboard›Jobs›${id!.slice(0, 8)}`);
  await page.getByRole('link', { name: 'Back to Jobs' }).click();
  await expect(page).toHaveURL(/\/dashboard\/jobs\?page=2&sort=duration&order=desc$/);
  await expect(page.getByTestId('page-indicator')).toHaveText('Page 2 of 2');
});
