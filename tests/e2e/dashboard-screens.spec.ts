import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { expect, fixtureUrl, test } from './support/fixtures';

// Every main screen at 1280, 768 and 390 px, in light and dark (the system preference, which the
// theme follows until the user picks one): what must hold on each, and a screenshot of each in
// test-results/screenshots for a person to look at.

const viewports = [
  { name: '1280', width: 1280, height: 900 },
  { name: '768', width: 768, height: 1024 },
  { name: '390', width: 390, height: 844 },
] as const;
const shots = 'test-results/screenshots';

/** Nothing on the page is wider than the window: no sideways scrolling on any screen. */
async function expectNoSidewaysScroll(page: Page, what: string) {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow, `${what} scrolls sideways`).toBeLessThanOrEqual(0);
}

// One test per theme, so the two run side by side.
for (const theme of ['light', 'dark'] as const) {
  test(`every screen at 1280, 768 and 390 px, ${theme}`, async ({ page, user }) => {
    test.setTimeout(240_000);
    mkdirSync(shots, { recursive: true });
    const missing: string[] = [];
    page.on('response', (response) => {
      if (response.status() === 404) missing.push(response.url());
    });
    await user.signIn(page);

    const long = (i: number) => `https://shop.example.com/catalog/electronics/laptops/gaming-notebooks?page=${i}&sort=price-desc`;
    const [first] = await user.seed([
      ...Array.from({ length: 8 }, (_, i) => ({ status: 'completed' as const, url: long(i + 1), minutesAgo: 10 + i, durationMs: 800 + i * 311 })),
      { status: 'cancelled', url: long(90), minutesAgo: 30, durationMs: 26_600 },
      { status: 'queued', engine: 'stealth', url: long(91), minutesAgo: 1 },
      { status: 'expired', url: long(92), daysAgo: 2 },
    ]);
    const [processing] = await user.seed([{ status: 'processing', engine: 'browser', url: long(93) }]);
    const completed = await user.submit({ url: `${fixtureUrl()}/page`, format: 'markdown' });
    // A fast 503 on every attempt: a failed job whose WARN lines carry a long URL.
    const failed = await user.submit({ url: `${fixtureUrl()}/flaky?key=${randomBytes(4).toString('hex')}&fail=5&trace=${'a1b2c3d4'.repeat(12)}` });
    await user.waitForStatus(completed.id, 'completed');
    await user.waitForStatus(failed.id, 'failed');

    await page.emulateMedia({ colorScheme: theme });
    for (const viewport of viewports) {
      await page.setViewportSize({ width: viewport.width, height: viewport.height });
      const shot = (name: string) => page.screenshot({ path: `${shots}/${name}-${viewport.name}-${theme}.png`, fullPage: true });

      await page.goto('/dashboard/jobs');
      await expect(page.locator('html')).toHaveClass(theme === 'dark' ? /\bdark\b/ : /^(?!.*\bdark\b)/);
      const row = page.locator(`[data-testid="job-row"][data-job-id="${first.id}"]`);
      await expect(row).toBeVisible();
      // Spec section 3: "--" for a job cancelled while it ran.
      await expect(page.locator('[data-testid="job-row"][data-status="cancelled"]').getByTestId('job-duration')).toHaveText('--');
      const url = row.getByTestId('job-url');
      if (viewport.width < 640) {
        // A card: status, id and time, the URL on its own line, then engine, credits and duration.
        await expect(page.getByRole('columnheader').first()).toBeHidden();
        expect(await row.evaluate((element) => getComputedStyle(element).display)).toBe('grid');
        expect((await url.boundingBox())!.width).toBeGreaterThan(300);
        await expect(row).toContainText(/\d+ credits?/);
      } else {
        expect((await page.getByRole('columnheader').first().boundingBox())!.width).toBe(40);
        if (viewport.width === 1280) {
          const height = (await row.boundingBox())!.height;
          expect(height).toBeGreaterThanOrEqual(34);
          expect(height).toBeLessThanOrEqual(38);
          expect((await url.boundingBox())!.width).toBeGreaterThan(280);
        }
      }
      // The URL column gets what the fixed ones leave: the host and the path's end both show.
      await expect(url).toContainText('shop.example.com');
      await expect(url).toContainText('sort=price-desc');
      // ... and is visible, not clipped away past the cell's edge.
      expect(await url.evaluate((element) => element.lastElementChild!.getBoundingClientRect().right <= element.getBoundingClientRect().right + 0.5)).toBe(true);
      await expectNoSidewaysScroll(page, `jobs list at ${viewport.name}`);
      await shot('jobs-list');

      for (const [name, id] of [
        ['job-completed', completed.id],
        ['job-failed', failed.id],
        ['job-processing', processing.id],
      ] as const) {
        await page.goto(`/dashboard/jobs/${id}`);
        await expect(page.getByTestId('job-status')).toBeVisible();
        if (name === 'job-failed') {
          await expect(page.getByTestId('error-type')).toHaveText('TARGET_UNAVAILABLE');
          await expect(page.getByTestId('error-details')).not.toContainText('timeoutMs');
          // The log wraps its WARN lines instead of clipping them.
          const log = page.getByTestId('log-entries');
          await expect(log.locator('[data-level="WARN"]').first()).toBeVisible();
          expect(await log.evaluate((element) => element.scrollWidth - element.clientWidth)).toBeLessThanOrEqual(0);
        }
        await expectNoSidewaysScroll(page, `${name} at ${viewport.name}`);
        await shot(name);
      }

      await page.goto('/dashboard');
      await expect(page.getByTestId('queue-panel').getByRole('table')).toBeVisible({ timeout: 30_000 });
      await expectNoSidewaysScroll(page, `overview at ${viewport.name}`);
      await shot('overview');
    }
    // The favicon (and anything else) is there: no page asked for something missing.
    expect(missing).toEqual([]);
  });
}
