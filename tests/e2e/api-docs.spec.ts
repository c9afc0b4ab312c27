import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { expect, fixtureUrl, test } from './support/fixtures';

// The API documentation and the CLI against the built app (`next start`): /docs renders the
// served OpenAPI document without reaching any other origin, the empty jobs list leads there,
// and the `scrapifie` binary drives a job through the real server.

const run = promisify(execFile);

test('/docs renders the API reference offline, from the document the API serves', async ({ page, baseURL }) => {
  const elsewhere: string[] = [];
  page.on('request', (request) => {
    if (!request.url().startsWith(baseURL!) && !request.url().startsWith('data:')) elsewhere.push(request.url());
  });
  const served = await (await page.request.get('/api/v1/openapi.json')).json();
  // The operations, and the events of the `webhooks` section, which Swagger UI lists the same way.
  const count = (items: Record<string, object> = {}) => Object.values(items).reduce<number>((n, item) => n + Object.keys(item).length, 0);
  const operations = count(served.paths) + count(served.webhooks);

  await page.goto('/docs');
  // Swagger UI resolves the whole OpenAPI 3.1 document (its named components, shared headers and
  // webhooks) in the page before it shows anything: many seconds on a busy machine.
  await expect(page.getByRole('heading', { name: /Scrapifie API/ })).toBeVisible({ timeout: 60_000 });
  await expect(page.locator('.opblock')).toHaveCount(operations);
  await expect(page.getByText('the scraping engine does not sanitize URLs', { exact: false })).toBeVisible();

  await page.locator('.opblock-summary', { hasText: 'Submit a scrape job' }).click();
  await expect(page.locator('.opblock.is-open').getByText('insufficient_credits').first()).toBeVisible();
  expect(elsewhere).toEqual([]);
});

test('the empty jobs list links to the API reference', async ({ page, user }) => {
  await user.signIn(page);
  await page.goto('/dashboard/jobs');
  await page.getByRole('link', { name: 'View API Documentation' }).click();
  await expect(page).toHaveURL(/\/docs$/);
  await expect(page.getByRole('heading', { name: /Scrapifie API/ })).toBeVisible({ timeout: 60_000 });
});

test('the scrapifie CLI submits, waits for and reads a job through the running app', async ({ user, baseURL }) => {
  const cli = (...args: string[]) =>
    run(process.execPath, [path.join(process.cwd(), 'bin/scrapifie.mjs'), ...args], {
      env: { NODE_ENV: 'test', PATH: process.env.PATH, HOME: '/nonexistent', SCRAPIFIE_API_URL: baseURL, SCRAPIFIE_API_KEY: user.key.secret, TZ: 'UTC' },
    });
  const { stdout } = await cli('submit', `${fixtureUrl()}/page`, '--format', 'markdown', '--wait', '--interval', '0.5', '-o', 'json');
  const [job] = JSON.parse(stdout) as { id: string; status: string }[];
  expect(job.status).toBe('completed');
  expect((await cli('logs', job.id.slice(0, 8), '--grep', '^Credits')).stdout).toContain('Credits charged: 1');
  expect((await cli('results', job.id)).stdout).toContain('# Fixture Heading');
  await expect(cli('status', '00000000-0000-4000-8000-000000000000')).rejects.toMatchObject({ code: 4 });
});
