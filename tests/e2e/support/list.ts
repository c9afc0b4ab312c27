import type { Page } from '@playwright/test';
import { addDays } from '@/lib/date-ranges';
import type { TestUser } from './fixtures';

/** Today's date where the browser is (the tests run the browser in the runner's timezone). */
export function today(): string {
  const now = new Date();
  return new Date(now.getTime() - now.getTimezoneOffset() * 60_000).toISOString().slice(0, 10);
}

export const daysAgo = (n: number) => addDays(today(), -n);

/**
 * A catalogue of 30 jobs over three keys (one revoked), every status and engine, several days:
 * enough for each filter, the counts, sorting and two pages of 25.
 */
export async function seedCatalogue(user: TestUser) {
  const staging = await user.addKey({ name: 'Staging key' });
  const old = await user.addKey({ name: 'Old key' });
  const failed = await user.seed([
    { status: 'failed', url: 'https://alpha.example.com/one', minutesAgo: 5, durationMs: 900 },
    { status: 'failed', url: 'https://alpha.example.com/two', minutesAgo: 6, durationMs: 800 },
    { status: 'failed', url: 'https://ALPHA.example.com/three', minutesAgo: 7, durationMs: 700 },
  ]);
  await user.seed([
    { status: 'completed', engine: 'browser', keyId: staging.id, daysAgo: 3, durationMs: 4200 },
    { status: 'completed', engine: 'browser', keyId: staging.id, daysAgo: 3, minutesAgo: 30, durationMs: 5100 },
    { status: 'queued', engine: 'stealth', minutesAgo: 1 },
    { status: 'processing', minutesAgo: 2 },
    { status: 'cancelled', keyId: old.id, daysAgo: 10 },
    { status: 'cancelled', keyId: old.id, daysAgo: 10, minutesAgo: 5 },
    { status: 'expired', daysAgo: 40 },
    { status: 'completed', daysAgo: 100, durationMs: 300 },
    ...Array.from({ length: 19 }, (_, i) => ({ status: 'completed' as const, daysAgo: i % 3, minutesAgo: 20 + i, durationMs: 1000 + i * 137 })),
  ]);
  await user.revokeKey(old.id);
  return { staging, old, failed };
}

/** Counts the list requests the page makes, to see polling start, pause and stop. */
export function countListRequests(page: Page) {
  let count = 0;
  page.on('request', (request) => {
    if (/\/api\/v1\/jobs\?/.test(request.url())) count += 1;
  });
  return {
    get value() {
      return count;
    },
    reset() {
      count = 0;
    },
  };
}

export async function setTabVisibility(page: Page, visible: boolean) {
  await page.evaluate((isVisible) => {
    Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => (isVisible ? 'visible' : 'hidden') });
    Object.defineProperty(document, 'hidden', { configurable: true, get: () => !isVisible });
    document.dispatchEvent(new Event('visibilitychange'));
  }, visible);
}
