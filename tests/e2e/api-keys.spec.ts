import { expect, test } from './support/fixtures';

test('create a key: the secret is shown once, copies, works; the key is listed; revoking it stops it', async ({ page, user, context, playwright, baseURL }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await user.signIn(page);
  await page.goto('/dashboard/api-keys');
  await expect(page.getByTestId('key-row')).toHaveCount(1);
  await expect(page.getByTestId('key-row')).toContainText('Production key');

  await page.getByRole('button', { name: 'Create API key' }).click();
  const dialog = page.getByTestId('create-key-dialog');
  await dialog.getByRole('button', { name: 'Create key' }).click();
  await expect(dialog.getByRole('alert')).toHaveText('Name is required');
  await dialog.getByLabel('Name').fill('CI runner');
  await dialog.getByRole('radio', { name: 'Test' }).click();
  await dialog.getByRole('button', { name: 'Create key' }).click();

  const secretField = dialog.getByTestId('key-secret');
  await expect(secretField).toHaveValue(/^sk_test_\S+$/);
  const secret = await secretField.inputValue();
  await expect(dialog).toContainText("You won't see this key again.");
  await dialog.getByRole('button', { name: 'Copy', exact: true }).click();
  await expect(dialog.getByRole('button', { name: 'Copied' })).toBeVisible();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(secret);
  // Clicking outside does not lose the secret by accident; Done does close it.
  await page.mouse.click(5, 5);
  await expect(secretField).toBeVisible();
  await dialog.getByRole('button', { name: 'Done' }).click();
  await expect(dialog).toBeHidden();

  const row = page.getByTestId('key-row').filter({ hasText: 'CI runner' });
  await expect(row).toContainText('Test');
  await expect(row).toContainText(`${secret.slice(0, 12)}…`);
  await expect(row).toHaveAttribute('data-status', 'active');
  // Shown once: neither this page nor a reload has it again.
  expect(await page.content()).not.toContain(secret);
  await page.reload();
  expect(await page.content()).not.toContain(secret);

  const api = await playwright.request.newContext({ baseURL });
  expect((await api.get('/api/v1/account', { headers: { Authorization: `Bearer ${secret}` } })).status()).toBe(200);

  await page.getByTestId('key-row').filter({ hasText: 'CI runner' }).getByRole('button', { name: 'Revoke' }).click();
  const confirm = page.getByTestId('revoke-key-dialog');
  await expect(confirm.getByRole('heading')).toHaveText('Revoke “CI runner”?');
  await confirm.getByRole('button', { name: 'Revoke key' }).click();
  await expect(page.getByText('API key "CI runner" revoked')).toBeVisible();
  const revoked = page.getByTestId('key-row').filter({ hasText: 'CI runner' });
  await expect(revoked).toHaveAttribute('data-status', 'revoked');
  await expect(revoked.getByRole('button', { name: 'Revoke' })).toHaveCount(0);
  expect((await api.get('/api/v1/account', { headers: { Authorization: `Bearer ${secret}` } })).status()).toBe(401);
  await api.dispose();
});
