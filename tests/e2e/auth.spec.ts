import { expect, password, test } from './support/fixtures';

test('a signed-out visitor is sent to sign-in and back to the page they asked for', async ({ page, user }) => {
  await page.goto('/dashboard/jobs?status=failed');
  await expect(page).toHaveURL(/\/sign-in\?callbackUrl=/);
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();

  await page.getByLabel('Email').fill(user.email);
  await page.getByLabel('Password').fill('not the password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.locator('form').getByRole('alert')).toHaveText('Invalid email or password.');

  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/dashboard\/jobs\?status=failed$/);
  await expect(page.getByRole('heading', { name: 'Jobs' })).toBeVisible();
  await expect(page.getByText(user.email)).toBeVisible();
});

test('sign out ends the session and protects the dashboard again', async ({ page, user }) => {
  await user.signIn(page);
  await page.goto('/dashboard/jobs');
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/sign-in/);
  await page.goto('/dashboard/jobs/00000000-0000-4000-8000-000000000000');
  await expect(page).toHaveURL(/\/sign-in\?callbackUrl=/);
});

test('the API accepts the dashboard session and refuses requests without one', async ({ page, user, playwright }) => {
  await user.signIn(page);
  const withSession = await page.request.get('/api/v1/account');
  expect(withSession.status()).toBe(200);
  expect(await withSession.json()).toMatchObject({ email: user.email, credits: 1000, available: 1000 });

  const anonymous = await playwright.request.newContext({ baseURL: process.env.E2E_BASE_URL });
  const refused = await anonymous.get('/api/v1/jobs');
  expect(refused.status()).toBe(401);
  await anonymous.dispose();
});
