import type { Page } from '@playwright/test';
import { sql } from 'drizzle-orm';
import { creditLedger, jobs } from '@/db/schema';
import { expect, test } from './support/fixtures';

const stat = (page: Page, id: string) => page.getByTestId(`stat-${id}`).getByTestId('stat-value');

test('the overview shows the account’s own figures, its jobs per day and recent jobs, live while a job is active', async ({ page, user, db }) => {
  const finished = await user.seed([
    { status: 'completed', minutesAgo: 10, durationMs: 1000 },
    { status: 'completed', daysAgo: 2, durationMs: 2000 },
    { status: 'completed', daysAgo: 5, durationMs: 3000 },
    { status: 'failed', daysAgo: 1, durationMs: 2000 },
  ]);
  await user.seed([
    { status: 'cancelled', daysAgo: 3 },
    // Counted in all time, not in the last 30 days.
    { status: 'completed', daysAgo: 45, durationMs: 9000 },
  ]);
  const [waiting] = await user.seed([{ status: 'queued', engine: 'stealth', minutesAgo: 1 }]);
  // What the worker would have charged for the four finished jobs, 1 credit each.
  let balance = 1000;
  for (const job of finished) {
    balance -= 1;
    await db.insert(creditLedger).values({ accountId: user.id, jobId: job.id, amount: -1, reason: 'job_charge', balanceAfter: balance });
  }

  await user.signIn(page);
  await page.goto('/dashboard/jobs');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Dashboard' }).click();
  await expect(page).toHaveURL(/\/dashboard$/);
  await expect(page.getByRole('heading', { name: 'Dashboard' })).toBeVisible();

  await expect(stat(page, 'totalJobs')).toHaveText('7');
  await expect(stat(page, 'activeNow')).toHaveText('1');
  await expect(stat(page, 'queued')).toHaveText('1');
  await expect(stat(page, 'completed30d')).toHaveText('3');
  await expect(stat(page, 'failed30d')).toHaveText('1');
  await expect(stat(page, 'creditsUsed30d')).toHaveText('4');
  await expect(stat(page, 'successRate30d')).toHaveText('75.0%');
  await expect(stat(page, 'avgDuration30d')).toHaveText('2.0s');
  // The chart holds the six jobs of the last 30 days, stacked by status.
  const chart = page.getByTestId('jobs-per-day-chart');
  await expect(chart).toHaveAttribute('data-total', '6');
  await expect(chart.locator('.recharts-bar-rectangle path, .recharts-bar-rectangle rect').first()).toBeVisible();

  const recent = page.getByTestId('recent-jobs').getByTestId('job-row');
  await expect(recent).toHaveCount(7);
  await expect(recent.first()).toHaveAttribute('data-job-id', waiting.id);
  await expect(page.getByTestId('live-indicator')).toHaveCSS('opacity', '1');

  // The waiting job ends elsewhere: the cards follow without a reload, and polling stops.
  await db.update(jobs).set({ status: 'cancelled', finishedAt: new Date() }).where(sql`${jobs.id} = ${waiting.id}`);
  await expect(stat(page, 'activeNow')).toHaveText('0');
  await expect(recent.first()).toHaveAttribute('data-status', 'cancelled');
  await expect(page.getByTestId('live-indicator')).toHaveCSS('opacity', '0');

  // The failed card opens the list with the same filter and window.
  await page.getByTestId('stat-failed30d').click();
  await expect(page).toHaveURL(/\/dashboard\/jobs\?status=failed&from=\d{4}-\d{2}-\d{2}&to=\d{4}-\d{2}-\d{2}$/);
  await expect(page.getByTestId('list-summary')).toHaveText('Showing 1-1 of 1 job');
});
