import { drizzle, type PostgresJsDatabase } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import { getEnv } from '@/lib/env';
import * as schema from './schema';

export type Database = PostgresJsDatabase<typeof schema>;
export type Transaction = Parameters<Parameters<Database['transaction']>[0]>[0];
/** Query functions take either, so a caller can compose them inside one transaction. */
export type Db = Database | Transaction;

export function createDatabase(url: string, options: { max?: number } = {}) {
  const client = postgres(url, {
    max: options.max ?? 10,
    onnotice: () => {},
  });
  return { db: drizzle(client, { schema }), client };
}

type Shared = ReturnType<typeof createDatabase>;
const globalForDb = globalThis as unknown as { scrapifieDb?: Shared };

/** The process-wide pool (kept across Next.js hot reloads in development). */
export function getDatabase(): Shared {
  if (!globalForDb.scrapifieDb) {
    const env = getEnv();
    if (!env.DATABASE_URL) throw new Error('DATABASE_URL is not set; start the app with `npm run dev` or `npm start`');
    globalForDb.scrapifieDb = createDatabase(env.DATABASE_URL, { max: env.DATABASE_POOL_MAX });
  }
  return globalForDb.scrapifieDb;
}

export function getDb(): Database {
  return getDatabase().db;
}

export async function closeDatabase(): Promise<void> {
  const shared = globalForDb.scrapifieDb;
  globalForDb.scrapifieDb = undefined;
  await shared?.client.end({ timeout: 5 });
}
