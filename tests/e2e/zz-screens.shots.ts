import { expect, fixtureUrl, test } from './support/fixtures';
import { seedCatalogue } from './support/list';

const out = '/tmp/shots/img';

test('screenshots', async ({ page, user }) => {
  await seedCatalogue(user);
  const a = await user.submit({ url: `${fixtureUrl()}/page` });
  const b = await user.submit({ url: `${fixtureUrl()}/blocked`, engine: 'http' });
  await user.waitForStatus(a.id, 'completed');
  await user.waitForStatus(b.id, 'failed');
  await user.addKey({ name: 'Sandbox', kind: 'test' });
  await user.signIn(page);
  for (const width of [1280, 768]) {
    await page.setViewportSize({ width, height: 900 });
    const shot = async (name: string, path: string, full = true) => {
      await page.goto(path);
      await page.waitForLoadState('networkidle');
      await page.screenshot({ path: `${out}/${name}-${width}.png`, fullPage: full });
    };
    await shot('overview', '/dashboard');
    await shot('jobs', '/dashboard/jobs');
    await page.getByRole('button', { name: 'Export' }).click();
    await page.waitForTimeout(500);
    await page.screenshot({ path: `${out}/export-menu-${width}.png` });
    await page.keyboard.press('Escape');
    await page.getByRole('button', { name: 'Delete matching jobs…' }).click();
    await page.waitForTimeout(800);
    await page.screenshot({ path: `${out}/delete-matching-${width}.png` });
    await page.keyboard.press('Escape');
    await shot('new-job', '/dashboard/jobs/new');
    await page.getByRole('button', { name: 'Submit job' }).click();
    await page.waitForTimeout(300);
    await page.screenshot({ path: `${out}/new-job-errors-${width}.png`, fullPage: true });
    await shot('clone', `/dashboard/jobs/new?from=${a.id}`);
    await shot('detail', `/dashboard/jobs/${a.id}`);
    await shot('detail-failed', `/dashboard/jobs/${b.id}`);
    await shot('api-keys', '/dashboard/api-keys');
    await page.getByRole('button', { name: 'Create API key' }).click();
    await page.waitForTimeout(300);
    await page.screenshot({ path: `${out}/create-key-${width}.png` });
    await page.getByLabel('Name').fill(`Shot key ${width}`);
    await page.getByRole('button', { name: 'Create key' }).click();
    await expect(page.getByTestId('key-secret')).toBeVisible();
    await page.screenshot({ path: `${out}/key-secret-${width}.png` });
    await page.getByRole('button', { name: 'Done' }).click();
    await shot('billing', '/dashboard/billing');
    await shot('settings', '/dashboard/settings');
  }
});
