import { expect, expectNotReloaded, fixtureUrl, markPage, pollMs, test } from './support/fixtures';
import { countListRequests, setTabVisibility } from './support/list';

test('jobs submitted through the API appear and change state without a reload', async ({ page, user }) => {
  await user.signIn(page);
  // A job waiting in the queue (seeded without a queue entry, so it stays queued) keeps the page live.
  const [waiting] = await user.seed([{ status: 'queued', engine: 'stealth', minutesAgo: 1 }]);
  await page.goto('/dashboard/jobs');
  await expect(page.locator(`[data-job-id="${waiting.id}"]`)).toHaveAttribute('data-status', 'queued');
  await markPage(page);

  const slow = await user.submit({ url: `${fixtureUrl()}/slow?ms=5000` });
  const row = page.locator(`[data-job-id="${slow.id}"]`);
  await expect(row).toHaveAttribute('data-status', 'processing');
  await expect(row).toHaveAttribute('data-status', 'completed', { timeout: 15_000 });
  await expect(row.getByRole('cell').nth(6)).toHaveText(/^\d+\.\ds$/);
  await expect(page.getByTestId('list-summary')).toHaveText('Showing 1-2 of 2 jobs');

  const quick = await user.submit({ url: `${fixtureUrl()}/json` });
  await expect(page.locator(`[data-job-id="${quick.id}"]`)).toHaveAttribute('data-status', 'completed');
  await expect(page.getByTestId('job-row').first()).toHaveAttribute('data-job-id', quick.id);
  await expectNotReloaded(page);
});

test('the list polls only while it shows an active job, pauses while hidden and refreshes on return', async ({ page, user }) => {
  await user.signIn(page);
  await user.seed([{ status: 'completed' }, { status: 'failed' }]);
  const requests = countListRequests(page);
  await page.goto('/dashboard/jobs');
  await expect(page.getByTestId('job-row')).toHaveCount(2);
  await expect(page.getByTestId('live-indicator')).toHaveCSS('opacity', '0');
  await page.waitForTimeout(pollMs() * 2.5);
  expect(requests.value, 'no polling when every job shown is terminal').toBe(0);

  await user.seed([{ status: 'queued', engine: 'stealth' }]);
  await page.reload();
  await expect(page.getByTestId('job-row')).toHaveCount(3);
  await expect(page.getByTestId('live-indicator')).toHaveCSS('opacity', '1');
  requests.reset();
  await expect.poll(() => requests.value, { timeout: pollMs() * 3 }).toBeGreaterThan(0);

  await setTabVisibility(page, false);
  await page.waitForTimeout(300);
  requests.reset();
  await page.waitForTimeout(pollMs() * 2.5);
  expect(requests.value, 'no polling while the tab is hidden').toBe(0);

  await setTabVisibility(page, true);
  await expect.poll(() => requests.value, { timeout: pollMs() / 2 }).toBeGreaterThan(0);
});

test('the list asks the server for a job page only when its row is pointed at, and the row then opens it', async ({ page, user }) => {
  await user.signIn(page);
  const jobs = await user.seed([{ status: 'completed' }, { status: 'failed' }, { status: 'completed' }]);
  const detailRequests: string[] = [];
  page.on('request', (request) => {
    const match = new URL(request.url()).pathname.match(/^\/dashboard\/jobs\/([0-9a-f-]{36})$/);
    if (match) detailRequests.push(match[1]);
  });
  await page.goto('/dashboard/jobs');
  await expect(page.getByTestId('job-row')).toHaveCount(3);
  await page.waitForTimeout(1000);
  expect(detailRequests, 'no job page fetched for rows merely shown').toEqual([]);

  const target = jobs[1];
  await page.locator(`[data-job-id="${target.id}"]`).hover();
  // Only that row's page (Next may ask for it again when the list re-renders on a poll).
  await expect.poll(() => [...new Set(detailRequests)]).toEqual([target.id]);
  await page.locator(`[data-job-id="${target.id}"]`).click();
  await expect(page).toHaveURL(`/dashboard/jobs/${target.id}`);
  await expect(page.getByRole('heading', { name: new RegExp(`Job ${target.id}`) })).toBeVisible();
});
