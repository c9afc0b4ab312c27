import { expect, fixtureUrl, test } from './support/fixtures';

test('a Browser job with a screenshot shows it inline, with its size and dimensions, a lightbox and a PNG download', async ({ page, user }) => {
  await user.signIn(page);
  const job = await user.submit({ url: `${fixtureUrl()}/page`, engine: 'browser', screenshot: true });
  await page.goto(`/dashboard/jobs/${job.id}`);
  const shot = page.getByTestId('screenshot');
  await expect(shot).toBeVisible({ timeout: 45_000 });
  await expect(page.getByTestId('job-status')).toHaveAttribute('data-status', 'completed');
  await expect(page.getByTestId('log-entries')).toContainText(/Screenshot captured \(\d+x\d+\)/);
  await expect(shot).toContainText(/Size: \d+(\.\d)? (B|KB|MB)/);
  await expect(shot.getByText(/^\d+ x \d+ pixels$/)).toBeVisible();
  const image = shot.getByRole('img');
  await expect.poll(() => image.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBeGreaterThan(0);

  await shot.getByRole('button', { name: 'Open the screenshot at full resolution' }).click();
  await expect(page.getByRole('dialog').getByRole('img')).toBeVisible();
  await page.keyboard.press('Escape');

  const [download] = await Promise.all([page.waitForEvent('download'), shot.getByRole('link', { name: 'Download' }).click()]);
  expect(download.suggestedFilename()).toBe(`scrapifie-${job.id.slice(0, 8)}-screenshot.png`);
});
