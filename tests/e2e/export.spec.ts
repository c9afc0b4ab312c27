import { readFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { exportColumns } from '@/lib/export';
import { expect, test } from './support/fixtures';

const exportUrl = (param: 'format' | 'count') => (url: URL) => url.pathname === '/api/v1/jobs/export' && url.searchParams.has(param);

// The spec's fields first (section 10), then whatever the export adds after them.
const specHeader = 'Job ID,Status,Target URL,Engine,API Key Name,Credits,Duration (seconds),Created At,Completed At,Error Type';
const fields = exportColumns.map(([key]) => key);

async function exportAs(page: Page, label: 'CSV' | 'JSON') {
  await page.getByRole('button', { name: 'Export' }).click();
  const download = page.waitForEvent('download');
  await page.getByRole('menuitem', { name: `Export as ${label}` }).click();
  const file = await download;
  return { name: file.suggestedFilename(), bytes: readFileSync((await file.path())!) };
}

test('export the filtered list as CSV (BOM, header, quoting) and everything as JSON', async ({ page, user }) => {
  const failed = await user.seed([
    { status: 'failed', url: 'https://shop.example.com/search?q=a,b', minutesAgo: 1, durationMs: 1250 },
    { status: 'failed', url: 'https://shop.example.com/item', minutesAgo: 2, durationMs: 800 },
  ]);
  const others = await user.seed([{ status: 'completed', minutesAgo: 3 }, { status: 'cancelled', minutesAgo: 4 }]);
  await user.signIn(page);
  await page.goto('/dashboard/jobs?status=failed');
  await expect(page.getByTestId('job-row')).toHaveCount(2);

  await page.getByRole('button', { name: 'Export' }).click();
  await expect(page.getByTestId('export-summary')).toContainText('2 jobs match the current filters.');
  await expect(page.getByTestId('export-summary')).toContainText('5 of 5 exports left this hour.');
  await page.keyboard.press('Escape');

  const csv = await exportAs(page, 'CSV');
  expect(csv.name).toMatch(/^scrapifie-jobs-\d{4}-\d{2}-\d{2}\.csv$/);
  expect([...csv.bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  const lines = csv.bytes.toString('utf8').slice(1).trimEnd().split('\r\n');
  expect(lines[0]).toBe(exportColumns.map(([, label]) => label).join(','));
  expect(lines[0].startsWith(specHeader)).toBe(true);
  expect(lines).toHaveLength(3);
  expect(lines[1].startsWith(
    [failed[0].id, 'failed', '"https://shop.example.com/search?q=a,b"', 'http', 'Production key', 1, 1.25, failed[0].createdAt.toISOString(), failed[0].finishedAt!.toISOString(), 'TARGET_BLOCKED'].join(','),
  )).toBe(true);
  expect(lines[2]).toContain(failed[1].id);
  await expect(page.getByText('Exported 2 jobs as CSV')).toBeVisible();

  await page.goto('/dashboard/jobs');
  // Slowed down, the export shows that the server is still generating it.
  await page.route(exportUrl('format'), async (route) => {
    await new Promise((resolve) => setTimeout(resolve, 700));
    await route.continue();
  });
  const json = exportAs(page, 'JSON');
  await expect(page.getByTestId('export-status')).toHaveText('Generating export...');
  const { name, bytes } = await json;
  expect(name).toMatch(/^scrapifie-jobs-\d{4}-\d{2}-\d{2}\.json$/);
  const text = bytes.toString('utf8');
  const rows = JSON.parse(text) as Record<string, unknown>[];
  expect(text).toBe(`${JSON.stringify(rows, null, 2)}\n`);
  expect(rows.map((row) => row.jobId)).toEqual([...failed, ...others].map((job) => job.id));
  for (const row of rows) expect(Object.keys(row)).toEqual(fields);
  expect(rows[2]).toMatchObject({ status: 'completed', engine: 'http', apiKeyName: 'Production key', credits: 1, errorType: null });
  expect(rows[3]).toMatchObject({ status: 'cancelled', credits: 0, durationSeconds: null });
  await expect(page.getByTestId('export-status')).toHaveText('Export');
});

test('export: the 10,000-row warning, the hourly limit, a failure, and nothing to export', async ({ page, user }) => {
  await user.seed([{ status: 'completed' }]);
  await user.signIn(page);
  await page.goto('/dashboard/jobs');

  await page.route(exportUrl('count'), (route) =>
    route.fulfill({ json: { count: 12_345, rows: 10_000, maxRows: 10_000, warning: 'Your filters match 12,345 jobs. Only the most recent 10,000 will be exported.', exportsRemaining: 3, retryAfterSeconds: null } }),
  );
  await page.getByRole('button', { name: 'Export' }).click();
  await expect(page.getByTestId('export-warning')).toHaveText('Your filters match 12,345 jobs. Only the most recent 10,000 will be exported.');
  await page.keyboard.press('Escape');

  await page.route(exportUrl('format'), (route) =>
    route.fulfill({
      status: 429,
      headers: { 'Retry-After': '1500' },
      json: { error: { code: 'rate_limited', message: 'Export limit reached: at most 5 exports per hour. Try again in 25 minutes.' } },
    }),
  );
  await page.getByRole('button', { name: 'Export' }).click();
  await page.getByRole('menuitem', { name: 'Export as CSV' }).click();
  await expect(page.getByText('Export limit reached: at most 5 exports per hour. Try again in 25 minutes.')).toBeVisible();

  await page.unrouteAll();
  await page.route(exportUrl('format'), (route) => route.fulfill({ status: 500, json: { error: { code: 'internal_error', message: 'boom' } } }));
  await page.getByRole('button', { name: 'Export' }).click();
  await page.getByRole('menuitem', { name: 'Export as JSON' }).click();
  await expect(page.getByText('Export failed. Please try again or reduce your date range.')).toBeVisible();

  await page.goto('/dashboard/jobs?engine=stealth');
  await expect(page.getByTestId('empty-state')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Export' })).toBeDisabled();
});
