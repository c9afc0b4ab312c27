import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// `npm run test:faults`: the fault suite (tests/faults), which starts its own Postgres, the web app
// (`next start`) and worker processes, restarts Postgres and SIGKILLs workers. Kept out of `npm test` (.ci/run runs it after): it needs the
// machine to itself for a couple of minutes and its processes must not share a Postgres.
export default defineConfig({
  resolve: { alias: { '@': fileURLToPath(new URL('./', import.meta.url)) } },
  test: {
    include: ['tests/faults/**/*.test.ts'],
    globalSetup: ['tests/faults/global-setup.ts'],
    testTimeout: 180_000,
    hookTimeout: 120_000,
    pool: 'forks',
    maxWorkers: 1,
    fileParallelism: false,
    // As in vitest.config.ts: next-auth imports `next/server` without an extension.
    server: { deps: { inline: ['next-auth'] } },
  },
});
