import { defineConfig } from 'drizzle-kit';

// Migrations are generated with `npm run db:generate` and committed; they run on start.
export default defineConfig({
  dialect: 'postgresql',
  schema: './db/schema/index.ts',
  out: './db/migrations',
  dbCredentials: { url: process.env.DATABASE_URL ?? 'postgres://localhost:54329/scrapifie' },
});
