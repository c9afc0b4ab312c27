import { defineConfig } from '@playwright/test';
import { serverChromiumArgs } from './workers/browser/chromium';

// End-to-end tests of the dashboard in a real Chromium against the built app (`npm run test:e2e`).
// tests/e2e/global-setup.ts starts everything (Postgres, the app, a worker, a fixture site) and
// passes the addresses to the tests through the environment.

export default defineConfig({
  testDir: 'tests/e2e',
  testMatch: '**/*.spec.ts',
  globalSetup: './tests/e2e/global-setup.ts',
  fullyParallel: true,
  workers: 2,
  // Generous: a slow shared machine stretches these click-through flows; nothing here is a timing check.
  timeout: 120_000,
  expect: { timeout: 10_000 },
  forbidOnly: Boolean(process.env.CI),
  reporter: [['list']],
  outputDir: 'test-results',
  use: {
    baseURL: process.env.E2E_BASE_URL,
    viewport: { width: 1280, height: 900 },
    launchOptions: { executablePath: process.env.CHROMIUM_PATH, args: serverChromiumArgs },
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
  },
  projects: [{ name: 'chromium', use: { browserName: 'chromium' } }],
});
