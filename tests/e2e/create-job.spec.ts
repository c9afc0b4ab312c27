import type { Page } from '@playwright/test';
import { expect, fixtureUrl, test, type JobJson } from './support/fixtures';

const field = (page: Page, label: string) => page.getByLabel(label, { exact: true });
const jobPage = /\/dashboard\/jobs\/[0-9a-f-]{36}$/;

test('create a job: errors from the shared schema and from the API, then the job page; the choices stay as defaults until cleared', async ({ page, user }) => {
  await user.signIn(page);
  await page.goto('/dashboard/jobs');
  await page.getByRole('link', { name: 'New job' }).click();
  await expect(page).toHaveURL(/\/dashboard\/jobs\/new$/);
  await expect(page.getByTestId('job-cost')).toHaveText('1 credit');
  await expect(page.getByTestId('job-available')).toHaveText('1,000 credits');
  await page.getByRole('radio', { name: 'Browser' }).click();
  await expect(page.getByTestId('job-cost')).toHaveText('5 credits');
  await page.getByRole('radio', { name: 'HTTP' }).click();

  // Checked in the browser with createJobBodySchema: nothing is sent.
  let posts = 0;
  page.on('request', (request) => {
    if (request.method() === 'POST' && new URL(request.url()).pathname === '/api/v1/jobs') posts += 1;
  });
  await field(page, 'URL').fill('example.com/no-scheme');
  await field(page, 'Timeout (ms)').fill('50');
  await page.getByRole('button', { name: 'Submit job' }).click();
  await expect(page.getByText('URL must be an absolute http:// or https:// URL')).toBeVisible();
  await expect(page.getByText('Must be at least 1,000')).toBeVisible();
  await expect(field(page, 'URL')).toHaveAttribute('aria-invalid', 'true');
  await expect(field(page, 'URL')).toBeFocused();
  await expect(page.getByText('2 fields need your attention.')).toBeVisible();
  expect(posts).toBe(0);

  // The API's 400 names its fields; they land on the same inputs.
  await field(page, 'URL').fill(`${fixtureUrl()}/page`);
  await field(page, 'Timeout (ms)').fill('20000');
  await page.route(
    (url) => url.pathname === '/api/v1/jobs',
    (route) =>
      route.fulfill({
        status: 400,
        json: { error: { code: 'validation_error', message: 'Invalid body', details: { fields: [{ field: 'url', message: 'url is not reachable from here' }] } } },
      }),
    { times: 1 },
  );
  await page.getByRole('button', { name: 'Submit job' }).click();
  await expect(page.getByText('URL is not reachable from here')).toBeVisible();
  await expect(field(page, 'URL')).toHaveAttribute('aria-invalid', 'true');

  await page.getByRole('combobox', { name: 'Response format' }).click();
  await page.getByRole('option', { name: 'Markdown' }).click();
  await page.getByRole('button', { name: 'Add header' }).click();
  await field(page, 'Header 1 name').fill('X-Trace');
  await field(page, 'Header 1 value').fill('from-the-form');
  await page.getByRole('button', { name: 'Submit job' }).click();
  await expect(page).toHaveURL(jobPage);
  const id = page.url().split('/').at(-1)!;
  await expect(page.getByTestId('job-status')).toHaveAttribute('data-status', 'completed');
  const job = (await user.getJob(id)) as JobJson & { config: { format: string; timeoutMs: number; headers: Record<string, string> } };
  expect(job.config).toMatchObject({ format: 'markdown', timeoutMs: 20_000, headers: { 'X-Trace': 'from-the-form' } });
  // The chrome's balance follows the charge.
  await expect(page.locator('[data-testid="balance"]:visible')).toHaveAttribute('data-available', '999');

  await page.goto('/dashboard/jobs/new');
  await expect(field(page, 'URL')).toHaveValue('');
  await expect(page.getByRole('combobox', { name: 'Response format' })).toHaveText('Markdown');
  await expect(field(page, 'Header 1 value')).toHaveValue('from-the-form');
  await expect(field(page, 'Timeout (ms)')).toHaveValue('20000');
  await expect(page.getByTestId('defaults-status')).toContainText('Options filled in from your saved defaults');

  await page.getByRole('button', { name: 'Clear saved defaults' }).click();
  await expect(page.getByText('Saved defaults cleared')).toBeVisible();
  await expect(page.getByRole('combobox', { name: 'Response format' })).toHaveText('HTML');
  await expect(field(page, 'Header 1 name')).toHaveCount(0);
  await page.reload();
  await expect(page.getByRole('combobox', { name: 'Response format' })).toHaveText('HTML');
  await expect(field(page, 'Timeout (ms)')).toHaveValue('30000');
  await expect(page.getByTestId('defaults-status')).toHaveText('The options you submit with are remembered for your next job.');
});

test('clone a job: the form opens pre-filled, submits a new job, and the original is unchanged', async ({ page, user }) => {
  const original = await user.submit({
    url: `${fixtureUrl()}/echo`,
    name: 'Echo check',
    tags: ['e2e', 'clone'],
    priority: 'high',
    method: 'POST',
    headers: { 'X-Trace': 'clone-me' },
    cookies: { session: 'abcdef' },
    body: '{"a":1}',
    format: 'text',
    timeoutMs: 15_000,
  });
  const before = await user.waitForStatus(original.id, 'completed');
  await user.signIn(page);
  await page.goto(`/dashboard/jobs/${original.id}`);
  await expect(page.getByTestId('overview-name')).toHaveText('Echo check');
  await page.getByRole('link', { name: 'Clone Job' }).click();

  await expect(page).toHaveURL(new RegExp(`/dashboard/jobs/new\\?from=${original.id}$`));
  await expect(page.getByRole('heading', { name: 'Clone job' })).toBeVisible();
  await expect(page.getByTestId('clone-source')).toContainText(original.id.slice(0, 8));
  await expect(field(page, 'URL')).toHaveValue(`${fixtureUrl()}/echo`);
  await expect(field(page, 'Name')).toHaveValue('Echo check');
  await expect(field(page, 'Tags')).toHaveValue('e2e, clone');
  await expect(page.getByRole('combobox', { name: 'Priority' })).toHaveText('High');
  await expect(page.getByRole('combobox', { name: 'Method' })).toHaveText('POST');
  await expect(page.getByRole('combobox', { name: 'Response format' })).toHaveText('Text');
  await expect(field(page, 'Header 1 name')).toHaveValue('X-Trace');
  await expect(field(page, 'Header 1 value')).toHaveValue('clone-me');
  await expect(field(page, 'Cookie 1 name')).toHaveValue('session');
  // Cookie values never reach the browser: the field keeps the saved value on the server.
  await expect(field(page, 'Cookie 1 value')).toHaveValue('');
  await expect(field(page, 'Cookie 1 value')).toHaveAttribute('placeholder', 'Saved value kept (type to replace)');
  await expect(field(page, 'Body')).toHaveValue('{"a":1}');
  await expect(field(page, 'Timeout (ms)')).toHaveValue('15000');

  await field(page, 'Header 1 value').fill('changed');
  await page.getByRole('button', { name: 'Submit job' }).click();
  await expect(page).toHaveURL(jobPage);
  const cloneId = page.url().split('/').at(-1)!;
  expect(cloneId).not.toBe(original.id);
  const clone = (await user.getJob(cloneId)) as JobJson & { url: string; config: Record<string, unknown> };
  expect(clone.url).toBe(`${fixtureUrl()}/echo`);
  expect(clone).toMatchObject({ name: 'Echo check', tags: ['e2e', 'clone'], priority: 'high' });
  expect(clone.config).toMatchObject({ method: 'POST', headers: { 'X-Trace': 'changed' }, cookies: { session: 'abcdef' }, body: '{"a":1}', format: 'text' });
  expect(clone.parentJobId).toBeNull();

  const after = await user.getJob(original.id);
  expect(after.config).toEqual(before.config);
  expect(after.url).toBe(before.url);
  expect(after.status).toBe('completed');
  expect(after.childJobIds).toEqual([]);
});
