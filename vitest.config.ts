import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: { alias: { '@': fileURLToPath(new URL('./', import.meta.url)) } },
  test: {
    include: ['tests/unit/**/*.test.ts', 'tests/integration/**/*.test.ts', 'tests/cli/**/*.test.ts', 'tests/sdk/**/*.test.ts'],
    globalSetup: ['tests/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    maxWorkers: 2,
    // next-auth (imported by the route wrapper's session helper) imports `next/server` without
    // a file extension, which Node's ESM resolver refuses; Vite resolves it when inlined.
    server: { deps: { inline: ['next-auth'] } },
  },
});
