import type { Page } from '@playwright/test';
import { expect, fixtureUrl, test, type JobJson } from './support/fixtures';

// Issue 16 in the New job form: extraction rules typed as JSON (checked in the browser, and by the
// API with the same field names), change tracking, and a clone that keeps both.

const field = (page: Page, label: string) => page.getByLabel(label, { exact: true });
const jobPage = /\/dashboard\/jobs\/[0-9a-f-]{36}$/;
const submitButton = (page: Page) => page.getByRole('button', { name: 'Submit job' });

type JobWithConfig = JobJson & { config: { extract?: unknown; trackChanges?: boolean; cookies: Record<string, string> } };

/** Counts the job submissions that leave the browser. */
function countPosts(page: Page) {
  const posts = { count: 0 };
  page.on('request', (request) => {
    if (request.method() === 'POST' && new URL(request.url()).pathname === '/api/v1/jobs') posts.count += 1;
  });
  return posts;
}

test('extraction rules from the form: a syntax error and a bad rule send nothing, the API names its field, and the job page shows the extracted table', async ({ page, user }) => {
  await user.signIn(page);
  await page.goto('/dashboard/jobs/new');
  const posts = countPosts(page);
  const rules = field(page, 'Rules (JSON)');
  await field(page, 'URL').fill(`${fixtureUrl()}/products`);

  // JSON that does not parse: the error says where, and nothing is sent.
  await rules.fill('{\n  "title": "h1",\n}');
  await rules.blur();
  await expect(page.getByText('Invalid JSON at line 3, column 1: expected a field name in double quotes, found "}"')).toBeVisible();
  await expect(rules).toHaveAttribute('aria-invalid', 'true');
  await submitButton(page).click();
  await expect(page.getByText('One field needs your attention.')).toBeVisible();
  await expect(rules).toBeFocused();
  expect(posts.count).toBe(0);

  // Valid JSON, but a rule the API's schema refuses: checked in the browser with that schema.
  await rules.fill('{"title": "h1", "price": "  "}');
  await expect(page.getByText(/Invalid JSON/)).toHaveCount(0);
  await submitButton(page).click();
  await expect(page.getByText('price: a selector must not be empty')).toBeVisible();
  await expect(rules).toHaveAttribute('aria-invalid', 'true');
  expect(posts.count).toBe(0);

  // A rule the browser lets through but the API refuses (here the sent rules are altered on the
  // way): the API's 400 names `extract.title`, and its message lands on the rules, not the form.
  await rules.fill('{"title": "h1"}');
  await page.route(
    (url) => url.pathname === '/api/v1/jobs',
    (route) => {
      const body = route.request().postDataJSON() as Record<string, unknown>;
      return route.continue({ postData: JSON.stringify({ ...body, extract: { title: 'h1[' } }) });
    },
    { times: 1 },
  );
  await submitButton(page).click();
  await expect(page.getByText('title: invalid CSS selector "h1["', { exact: false })).toBeVisible();
  await expect(rules).toHaveAttribute('aria-invalid', 'true');
  expect(posts.count).toBe(1);

  // The example fills an empty editor; with Track changes it makes a job whose page shows the table.
  await rules.fill('');
  await page.getByRole('button', { name: 'Insert example' }).click();
  await expect(rules).toHaveValue(/"products": \{/);
  await expect(page.getByRole('button', { name: 'Insert example' })).toBeDisabled();
  await page.getByRole('checkbox', { name: 'Track changes' }).check();
  await expect(page.getByText("Compare each run's content with the previous run of the same URL")).toBeVisible();
  await submitButton(page).click();
  await expect(page).toHaveURL(jobPage);
  const id = page.url().split('/').at(-1)!;
  await expect(page.getByTestId('job-status')).toHaveAttribute('data-status', 'completed');
  const section = page.getByTestId('extracted-section');
  await expect(section.getByTestId('extracted-table')).toContainText('Fixture Products');
  const rows = section.getByTestId('extracted-list').locator('tbody tr');
  await expect(rows).toHaveCount(3);
  await expect(rows.nth(0)).toContainText('Alpha Lamp');
  await expect(rows.nth(0)).toContainText('/products/a-1');
  await expect(rows.nth(1)).toContainText('$1,299.00');
  await expect(page.getByTestId('change-status')).toHaveText('New');
  const job = (await user.getJob(id)) as JobWithConfig;
  expect(job.config.trackChanges).toBe(true);
  expect(job.config.extract).toMatchObject({ title: 'h1', products: { selector: '.product', fields: { link: { selector: 'a', attr: 'href' } } } });

  // Rules belong to the page they were written for: the next new job starts without them.
  await page.goto('/dashboard/jobs/new');
  await expect(page.getByTestId('defaults-status')).toContainText('Options filled in from your saved defaults');
  await expect(field(page, 'Rules (JSON)')).toHaveValue('');
  await expect(page.getByRole('checkbox', { name: 'Track changes' })).not.toBeChecked();
});

test('a clone keeps the extraction rules and Track changes, also when it keeps a secret on the server', async ({ page, user }) => {
  const extract = { title: 'h1', products: { selector: '.product', fields: { name: 'h2', sku: { selector: 'h2', attr: 'class', required: false } } } };
  const original = await user.submit({ url: `${fixtureUrl()}/products`, format: 'markdown', cookies: { session: 'abcdef' }, extract, trackChanges: true });
  await user.waitForStatus(original.id, 'completed');
  await user.signIn(page);
  await page.goto(`/dashboard/jobs/${original.id}`);
  await page.getByRole('link', { name: 'Clone Job' }).click();

  await expect(page).toHaveURL(new RegExp(`/dashboard/jobs/new\\?from=${original.id}$`));
  // The same rules (their field order is the stored one), each rule starting with its selector.
  const rules = field(page, 'Rules (JSON)');
  await expect.poll(async () => JSON.parse(await rules.inputValue())).toEqual(extract);
  await expect(rules).toHaveValue(/"products": \{\n {4}"selector": "\.product",\n {4}"fields": \{/);
  await expect(page.getByRole('checkbox', { name: 'Track changes' })).toBeChecked();
  await expect(field(page, 'Cookie 1 value')).toHaveAttribute('placeholder', 'Saved value kept (type to replace)');

  // Submitted through the server action, which fills in the kept cookie.
  await submitButton(page).click();
  await expect(page).toHaveURL(jobPage);
  const cloneId = page.url().split('/').at(-1)!;
  expect(cloneId).not.toBe(original.id);
  await expect(page.getByTestId('job-status')).toHaveAttribute('data-status', 'completed');
  await expect(page.getByTestId('extracted-section').getByTestId('extracted-table')).toContainText('Fixture Products');
  // Tracked like the original, the clone is compared with it: the page and its extracted data have not changed.
  await expect(page.getByTestId('change-status')).toHaveText('Same');
  const clone = (await user.getJob(cloneId)) as JobWithConfig;
  expect(clone.config).toMatchObject({ extract, trackChanges: true, cookies: { session: 'abcdef' } });
});
