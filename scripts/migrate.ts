import { getEnv } from '@/lib/env';
import { runMigrations } from '@/lib/server/migrate';

// `npm run db:migrate` (or `node migrate.mjs` in the worker image): applies the committed Drizzle
// migrations in ./db/migrations and installs the pg-boss queues. Idempotent; safe to run on every
// deploy. Uses DATABASE_URL_DIRECT when set: through a transaction-mode pooler, the migrators'
// session-level locks would not hold.

async function main() {
  const env = getEnv();
  const url = env.DATABASE_URL_DIRECT ?? env.DATABASE_URL;
  if (!url) {
    console.error('[migrate] DATABASE_URL is not set.');
    process.exit(1);
  }
  const started = Date.now();
  await runMigrations(url);
  console.log(`[migrate] migrations applied in ${Date.now() - started} ms`);
}

main().catch((error) => {
  console.error('[migrate] failed:', error instanceof Error ? error.message : error);
  process.exit(1);
});
