import { sql } from 'drizzle-orm';
import { accounts } from '@/db/schema';
import { expect, fixtureUrl, test } from './support/fixtures';

test('delete a job from its page: its URL then says it was deleted, and the ledger keeps its charge, marked', async ({ page, user }) => {
  const job = await user.submit({ url: `${fixtureUrl()}/page` });
  await user.waitForStatus(job.id, 'completed');
  await user.signIn(page);
  await page.goto(`/dashboard/jobs/${job.id}`);

  await page.getByRole('button', { name: 'Delete Job' }).click();
  const dialog = page.getByTestId('delete-dialog');
  await expect(dialog.getByRole('heading', { name: 'Delete This Job?' })).toBeVisible();
  await dialog.getByRole('button', { name: 'Keep Job' }).click();
  await expect(dialog).toBeHidden();
  await page.getByRole('button', { name: 'Delete Job' }).click();
  await dialog.getByRole('button', { name: 'Delete Job' }).click();

  await expect(page.getByText('Job deleted')).toBeVisible();
  await expect(page.getByTestId('job-unavailable')).toHaveText(/This job was deleted\./);
  await page.reload();
  await expect(page.getByTestId('job-unavailable')).toHaveText(/This job was deleted\./);
  await page.getByRole('link', { name: 'Back to Jobs' }).click();
  await expect(page).toHaveURL(/\/dashboard\/jobs$/);
  await expect(page.getByTestId('empty-state')).toBeVisible();

  await page.goto('/dashboard/billing');
  const charge = page.locator(`[data-testid="ledger-row"][data-job-id="${job.id}"]`);
  await expect(charge).toContainText('−1');
  await expect(charge.getByTestId('deleted-badge')).toHaveText('Deleted');
  await expect(charge.getByRole('link')).toHaveCount(0);
  await expect(page.getByTestId('ledger-row')).toHaveCount(2);
  await expect(page.getByTestId('prices').locator('[data-engine="stealth"]')).toHaveText('10 credits');
  await expect(page.getByTestId('credits-available').getByTestId('figure-value')).toHaveText('999');
  await expect(page.getByTestId('balance-chart').locator('svg').first()).toBeVisible();
  await expect(page.getByTestId('storage-total')).toBeVisible();
});

test('delete matching jobs: the dry run counts them and the active ones, which are cancelled first', async ({ page, user, db }) => {
  await user.seed([
    { status: 'failed', url: 'https://alpha.example.com/1' },
    { status: 'completed', url: 'https://alpha.example.com/2' },
    { status: 'completed', url: 'https://alpha.example.com/3' },
    { status: 'queued', engine: 'stealth', url: 'https://alpha.example.com/4' },
    { status: 'completed', url: 'https://beta.example.com/1' },
    { status: 'failed', url: 'https://beta.example.com/2' },
  ]);
  // The waiting Stealth job holds its price, as a submitted one would; cancelling it releases them.
  await db.update(accounts).set({ reservedCredits: 10 }).where(sql`${accounts.id} = ${user.id}`);
  await user.signIn(page);
  await page.goto('/dashboard/jobs?q=alpha');
  await expect(page.getByTestId('job-row')).toHaveCount(4);

  await page.getByRole('button', { name: 'Delete matching jobs…' }).click();
  const dialog = page.getByTestId('delete-matching-dialog');
  await expect(dialog.getByRole('heading')).toHaveText('Delete 4 jobs?');
  await expect(dialog).toContainText('4 jobs match your current filters.');
  await expect(dialog.getByTestId('delete-active-note')).toContainText('1 of them is still queued or processing and will be cancelled first');
  await dialog.getByRole('button', { name: 'Delete 4 jobs' }).click();

  await expect(page.getByText('Deleted 4 jobs (1 cancelled first)')).toBeVisible();
  await expect(page.getByText("No jobs found matching 'alpha'.")).toBeVisible();
  await page.getByTestId('empty-state').getByRole('button', { name: 'Clear search' }).click();
  await expect(page.getByTestId('job-row')).toHaveCount(2);
  await expect(page.getByTestId('list-summary')).toHaveText('Showing 1-2 of 2 jobs');
});
