import type { Page } from '@playwright/test';
import { expect, fixtureUrl, test } from './support/fixtures';

const engineRow = (page: Page, engine: string) => page.getByTestId('queue-panel').getByTestId(`queue-engine-${engine}`);
const cell = async (page: Page, engine: string, column: 'queued' | 'processing') =>
  Number(await engineRow(page, engine).getByTestId(column).textContent());

test('the overview’s queue panel shows the live worker and follows submitted jobs until they finish', async ({ page, user }) => {
  await user.signIn(page);
  await page.goto('/dashboard');
  const panel = page.getByTestId('queue-panel');
  await expect(panel.getByRole('heading', { name: 'Queue' })).toBeVisible();

  // The suite's worker: alive, with its load out of 8 HTTP + 1 Browser + 1 Stealth slots, and its memory.
  await expect(panel.getByTestId('queue-workers-summary')).toHaveText(/^\d+ workers? alive/);
  const worker = panel.locator('[data-testid="queue-worker"][data-status="alive"]').first();
  await expect(worker.getByTestId('worker-load')).toHaveText(/^\d+\/10 running$/);
  await expect(worker.getByTestId('worker-memory')).toHaveText(/^\d[\d,]* MB$/);
  await expect(panel.getByTestId('queue-stuck')).toHaveAttribute('data-count', '0');
  await expect(engineRow(page, 'http').getByTestId('queued')).toHaveText('0');
  await expect(engineRow(page, 'http').getByTestId('processing')).toHaveText('0');
  await expect(panel.getByTestId('queue-jobs-per-minute')).toHaveText('0 jobs/min');

  // Three slow jobs: the panel counts them (queued or already running) without a reload...
  const jobs = await Promise.all([1, 2, 3].map((n) => user.submit({ url: `${fixtureUrl()}/slow?ms=3000&n=${n}` })));
  await expect.poll(async () => (await cell(page, 'http', 'queued')) + (await cell(page, 'http', 'processing')), { timeout: 15_000 }).toBe(3);

  // ...and once they are done, nothing is queued or running and the throughput shows them:
  // 3 jobs in the last 5 minutes.
  for (const job of jobs) await user.waitForStatus(job.id, 'completed');
  await expect(engineRow(page, 'http').getByTestId('processing')).toHaveText('0', { timeout: 15_000 });
  await expect(engineRow(page, 'http').getByTestId('queued')).toHaveText('0');
  await expect(panel.getByTestId('queue-jobs-per-minute')).toHaveText('0.6 jobs/min');
});
