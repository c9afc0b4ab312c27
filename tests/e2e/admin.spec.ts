import { randomBytes } from 'node:crypto';
import type { Page } from '@playwright/test';
import { createAccount } from '@/lib/server/accounts';
import { expect, fixtureUrl, password, test } from './support/fixtures';

// The admin page: an admin (role granted as `grant-admin` does) acting on another account's jobs.

async function signInAsNewAdmin(page: Page, db: Parameters<typeof createAccount>[0]) {
  const email = `e2e-admin-${randomBytes(5).toString('hex')}@example.com`;
  await createAccount(db, { email, password, role: 'admin' });
  const csrf = await page.request.get('/api/auth/csrf');
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const response = await page.request.post('/api/auth/callback/credentials', {
    form: { email, password, csrfToken, callbackUrl: '/dashboard' },
    maxRedirects: 0,
  });
  expect(response.status()).toBe(302);
  return email;
}

test("an admin cancels two of another account's jobs from the admin page, and the audit log shows it", async ({ page, user, db }) => {
  const [done] = await user.seed([{ status: 'completed' }]);
  const slow = [await user.submit({ url: `${fixtureUrl()}/slow?ms=30000` }), await user.submit({ url: `${fixtureUrl()}/slow?ms=30000` })];
  const adminEmail = await signInAsNewAdmin(page, db);

  await page.goto('/dashboard');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Admin' }).click();
  await expect(page).toHaveURL(/\/dashboard\/admin$/);
  await expect(page.getByRole('heading', { name: 'Admin' })).toBeVisible();

  // The list reloads for the account filter 300 ms after typing; check rows only in that list.
  const filtered = page.waitForResponse((response) => response.url().includes('/api/v1/admin/jobs?') && response.url().includes('account='));
  await page.getByRole('searchbox', { name: 'Filter by account' }).fill(user.email);
  await filtered;
  const rows = page.getByTestId('job-row');
  await expect(rows).toHaveCount(3);
  await expect(rows.first().getByTestId('job-account')).toHaveText(user.email);

  for (const job of slow) await page.locator(`[data-testid="job-row"][data-job-id="${job.id}"]`).getByRole('checkbox').check();
  const bulk = page.getByRole('region', { name: 'Bulk actions' });
  await expect(bulk.getByTestId('selection-summary')).toHaveText('2 selected');
  await bulk.getByRole('button', { name: 'Cancel' }).click();

  const dialog = page.getByTestId('bulk-action-dialog');
  await expect(dialog.getByRole('heading')).toHaveText('Cancel 2 jobs?');
  await dialog.getByRole('button', { name: 'Cancel 2 jobs' }).click();
  await expect(page.getByText('Cancelled 2 jobs')).toBeVisible();
  await expect(bulk).toBeHidden();
  for (const job of slow) {
    expect((await user.getJob(job.id)).status).toBe('cancelled');
    await expect(page.locator(`[data-testid="job-row"][data-job-id="${job.id}"]`)).toHaveAttribute('data-status', 'cancelled');
  }
  expect((await user.getJob(done.id)).status).toBe('completed');

  await page.getByRole('link', { name: 'Audit log' }).click();
  await expect(page).toHaveURL(/\/dashboard\/admin\/audit$/);
  await page.getByRole('searchbox', { name: 'Filter by target ID' }).fill(slow[0].id);
  const entries = page.getByTestId('audit-row');
  await expect(entries).toHaveCount(2);
  const cancel = page.locator('[data-testid="audit-row"][data-action="job.cancel"]');
  await expect(cancel).toContainText('Admin');
  await expect(cancel).toContainText(adminEmail);
  await expect(cancel).toContainText(user.email);
  const create = page.locator('[data-testid="audit-row"][data-action="job.create"]');
  await expect(create).toContainText('API key');

  await page.getByRole('link', { name: 'Queue & workers' }).click();
  await expect(page.locator('[data-testid="queue-worker"][data-status="alive"]').first()).toBeVisible();
  await expect(page.getByTestId('queue-stuck')).toBeVisible();
});

test('a normal user has no Admin link, and the admin page is a 404 for them', async ({ page, user }) => {
  await user.signIn(page);
  await page.goto('/dashboard');
  const nav = page.getByRole('navigation', { name: 'Main' });
  await expect(nav.getByRole('link', { name: 'Jobs' })).toBeVisible();
  await expect(nav.getByRole('link', { name: 'Admin' })).toHaveCount(0);
  for (const path of ['/dashboard/admin', '/dashboard/admin/audit']) {
    const response = await page.goto(path);
    expect(response?.status()).toBe(404);
  }
  expect((await page.request.get('/api/v1/admin/jobs')).status()).toBe(403);
});
