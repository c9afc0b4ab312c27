import { sql } from 'drizzle-orm';
import { setAccountSuspended } from '@/db/queries/accounts';
import { jobResults, jobs } from '@/db/schema';
import { expect, fixtureUrl, test } from './support/fixtures';

test('a suspended account sees a banner, cannot create jobs and has no Retry', async ({ page, user, db }) => {
  const [failed] = await user.seed([{ status: 'failed' }]);
  await setAccountSuspended(db, { accountId: user.id, suspended: true });
  await user.signIn(page);
  await page.goto('/dashboard/jobs');
  await expect(page.getByTestId('suspended-banner')).toContainText('Your account is suspended.');
  await expect(page.getByRole('button', { name: 'New job' })).toBeDisabled();
  await expect(page.getByRole('button', { name: 'Delete matching jobs…' })).toHaveCount(0);

  await page.goto(`/dashboard/jobs/${failed.id}`);
  await expect(page.getByTestId('job-status')).toHaveAttribute('data-status', 'failed');
  await expect(page.getByRole('button', { name: 'Retry Job' })).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Delete Job' })).toHaveCount(0);

  await page.goto('/dashboard/jobs/new');
  await expect(page.getByRole('button', { name: 'Submit job' })).toBeDisabled();
});

test('retention: purged result and logs, and the advance notice, use the server’s texts', async ({ page, user, db }) => {
  const purged = await user.submit({ url: `${fixtureUrl()}/page` });
  const ageing = await user.submit({ url: `${fixtureUrl()}/text`, format: 'text' });
  await user.waitForStatus(purged.id, 'completed');
  await user.waitForStatus(ageing.id, 'completed');
  await db.update(jobResults).set({ purgedAt: new Date() }).where(sql`${jobResults.jobId} = ${purged.id}`);
  await db.update(jobs).set({ logsPurgedAt: new Date() }).where(sql`${jobs.id} = ${purged.id}`);
  await db
    .update(jobResults)
    .set({ createdAt: new Date(Date.now() - 25.5 * 86_400_000) })
    .where(sql`${jobResults.jobId} = ${ageing.id}`);

  const logRequests: string[] = [];
  page.on('request', (request) => {
    if (request.url().includes(`/api/v1/jobs/${purged.id}/logs`)) logRequests.push(request.url());
  });
  await user.signIn(page);
  await page.goto(`/dashboard/jobs/${purged.id}`);
  await expect(page.getByTestId('result-message')).toHaveText(
    'Result data is no longer available for jobs older than 30 days. Download results promptly after job completion.',
  );
  await expect(page.getByTestId('log-message')).toHaveText('Logs are no longer available for jobs older than 90 days');
  expect(logRequests).toEqual([]);

  await page.goto(`/dashboard/jobs/${ageing.id}`);
  await expect(page.getByTestId('retention-notice')).toHaveText('Result data will be deleted in 5 days. Download now to preserve it.');
  await expect(page.getByTestId('code-view')).toContainText('Second line.');
});

test('delete the account from settings: it explains that active jobs finish first, then signs out', async ({ page, user }) => {
  await user.signIn(page);
  await page.goto('/dashboard');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Settings' }).click();
  await expect(page.getByTestId('settings-email')).toHaveText(user.email);
  await page.getByRole('button', { name: 'Delete account…' }).click();
  const dialog = page.getByTestId('delete-account-dialog');
  await expect(dialog).toContainText('Jobs that are queued or processing are not cancelled: they finish first');
  const confirm = dialog.getByRole('button', { name: 'Delete account' });
  await expect(confirm).toBeDisabled();
  await dialog.getByLabel(/Type .* to confirm/).fill(user.email);
  await confirm.click();
  await expect(page).toHaveURL(/\/sign-in/);
  // Signed out: the dashboard asks for a sign-in again.
  expect((await page.request.get('/api/v1/account')).status()).toBe(401);
});
