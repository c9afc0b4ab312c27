import { expect, fixtureUrl, test } from './support/fixtures';

test('cancel a processing job: the modal, the toast, the cancelled state and its log', async ({ page, user }) => {
  await user.signIn(page);
  const job = await user.submit({ url: `${fixtureUrl()}/slow?ms=30000`, timeoutMs: 60_000 });
  await user.waitForStatus(job.id, 'processing');
  await page.goto(`/dashboard/jobs/${job.id}`);

  await page.getByRole('button', { name: 'Cancel Job' }).click();
  const dialog = page.getByTestId('cancel-dialog');
  await expect(dialog.getByRole('heading', { name: 'Cancel This Job?' })).toBeVisible();
  await expect(dialog).toContainText('This will cancel the job. No credits will be charged for cancelled jobs.');
  await expect(dialog).toContainText(
    'The job is currently processing. Cancellation will be attempted but the job may complete before cancellation takes effect.',
  );
  await dialog.getByRole('button', { name: 'Keep Running' }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByTestId('job-status')).toHaveAttribute('data-status', 'processing');

  await page.getByRole('button', { name: 'Cancel Job' }).click();
  await page.getByTestId('cancel-dialog').getByRole('button', { name: 'Cancel Job' }).click();
  await expect(page.getByText('Job cancellation requested')).toBeVisible();
  await expect(page.getByTestId('job-status')).toHaveAttribute('data-status', 'cancelled');
  await expect(page.getByRole('button', { name: 'Cancel Job' })).toBeHidden();
  await expect(page.getByRole('button', { name: 'Retry Job' })).toBeVisible();
  await expect(page.getByTestId('overview-credits')).toHaveText('0');
  await expect(page.getByTestId('log-entries')).toContainText('Cancellation requested by user');
  await expect(page.getByTestId('log-entries')).toContainText('Job cancelled during processing, resources released', { timeout: 10_000 });
  await expect(page.getByTestId('result-message')).toHaveText('Job was cancelled before producing a result');
  expect((await user.getJob(job.id)).status).toBe('cancelled');
});

test('a failed cancel reverts the optimistic update; a job that completed first says so', async ({ page, user }) => {
  await user.signIn(page);
  const [job] = await user.seed([{ status: 'queued', engine: 'stealth' }]);
  await page.goto(`/dashboard/jobs/${job.id}`);
  await expect(page.getByTestId('job-status')).toHaveAttribute('data-status', 'queued');

  let release: () => void = () => {};
  const held = new Promise<void>((resolve) => (release = resolve));
  await page.route(`**/api/v1/jobs/${job.id}/cancel`, async (route) => {
    await held;
    await route.fulfill({ status: 500, json: { error: { code: 'internal_error', message: 'Something went wrong on our side.' } } });
  });
  await page.getByRole('button', { name: 'Cancel Job' }).click();
  await page.getByTestId('cancel-dialog').getByRole('button', { name: 'Cancel Job' }).click();
  // Optimistic: grey status and no Cancel button while the request is out.
  await expect(page.getByTestId('job-status')).toHaveAttribute('data-status', 'cancelled');
  await expect(page.getByRole('button', { name: 'Cancel Job' })).toBeHidden();
  release();
  await expect(page.getByText('Cancellation failed. Please try again.')).toBeVisible();
  await expect(page.getByTestId('job-status')).toHaveAttribute('data-status', 'queued');
  await expect(page.getByRole('button', { name: 'Cancel Job' })).toBeVisible();

  // The race: the server answers with the job's real final state, completed.
  await page.unroute(`**/api/v1/jobs/${job.id}/cancel`);
  await page.route(`**/api/v1/jobs/${job.id}/cancel`, async (route) => {
    const actual = await user.getJob(job.id);
    await route.fulfill({ status: 200, json: { ...actual, status: 'completed', credits: 5 } });
  });
  await page.getByRole('button', { name: 'Cancel Job' }).click();
  await page.getByTestId('cancel-dialog').getByRole('button', { name: 'Cancel Job' }).click();
  await expect(page.getByText('Job completed before cancellation could take effect. Credits have been charged.')).toBeVisible();
});

test('retry a failed job: confirmation with cost and balance, then the new job with its parent link', async ({ page, user }) => {
  await user.signIn(page);
  const failed = await user.submit({ url: `${fixtureUrl()}/blocked` });
  await user.waitForStatus(failed.id, 'failed');
  await page.goto(`/dashboard/jobs/${failed.id}`);

  await page.getByRole('button', { name: 'Retry Job' }).click();
  const dialog = page.getByTestId('retry-dialog');
  await expect(dialog.getByRole('heading', { name: 'Retry This Job?' })).toBeVisible();
  await expect(dialog).toContainText('This will create a new job with the same configuration. 1 credit will be charged upon completion.');
  await expect(dialog.getByTestId('retry-balance')).toHaveText('999 credits');
  await dialog.getByRole('button', { name: 'Retry' }).click();

  await expect(page.getByText('Job retry submitted. Redirecting to new job...')).toBeVisible();
  await expect(page).not.toHaveURL(new RegExp(`/dashboard/jobs/${failed.id}$`));
  await expect(page).toHaveURL(/\/dashboard\/jobs\/[0-9a-f-]{36}$/);
  const childId = page.url().split('/').at(-1)!;
  const parentLink = page.getByTestId('parent-job').getByRole('link');
  await expect(parentLink).toHaveText(`${failed.id.slice(0, 8)}…`);
  await expect(page.getByTestId('job-status')).toHaveAttribute('data-status', 'failed');

  await parentLink.click();
  await expect(page).toHaveURL(new RegExp(`/dashboard/jobs/${failed.id}$`));
  await expect(page.getByTestId('child-jobs').getByRole('link')).toHaveText(`${childId.slice(0, 8)}…`);
  expect((await user.getJob(childId)).parentJobId).toBe(failed.id);
});

test('retry restrictions: insufficient credits, a revoked key, and no active key', async ({ page, user }) => {
  const staging = await user.addKey({ name: 'Staging key' });
  const [onProduction, onStaging] = await user.seed([{ status: 'failed', engine: 'browser' }, { status: 'completed', keyId: staging.id }]);
  await user.signIn(page);

  await user.setCredits(3);
  await page.goto(`/dashboard/jobs/${onProduction.id}`);
  await page.getByRole('button', { name: 'Retry Job' }).click();
  let dialog = page.getByTestId('retry-dialog');
  await expect(dialog).toContainText('5 credits will be charged upon completion.');
  await expect(dialog).toContainText('Insufficient credits. You need 5 credits but have 3.');
  await expect(dialog.getByRole('link', { name: 'Add credits' })).toHaveAttribute('href', '/dashboard/billing');
  await expect(dialog.getByRole('button', { name: 'Retry' })).toBeDisabled();
  await dialog.getByRole('button', { name: 'Cancel' }).click();

  await user.setCredits(100);
  await user.revokeKey(staging.id);
  await page.goto(`/dashboard/jobs/${onStaging.id}`);
  await expect(page.getByTestId('overview-key')).toHaveText('Staging key (revoked)');
  await page.getByRole('button', { name: 'Retry Job' }).click();
  dialog = page.getByTestId('retry-dialog');
  await expect(dialog).toContainText('The API key used for this job has been revoked. The retry will use your default active key.');
  await expect(dialog.getByRole('button', { name: 'Retry' })).toBeEnabled();
  await dialog.getByRole('button', { name: 'Cancel' }).click();

  await user.revokeKey(user.key.id);
  await page.getByRole('button', { name: 'Retry Job' }).click();
  await expect(dialog).toContainText('No active API keys. Create a new key to retry.');
  await expect(dialog.getByRole('button', { name: 'Retry' })).toBeDisabled();
});
