import type { SQL } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import { drizzle, type PostgresJsDatabase, type PostgresJsSession } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import { getEnv } from '@/lib/env';
import * as schema from './schema';

export type Database = PostgresJsDatabase<typeof schema>;
export type Transaction = Parameters<Parameters<Database['transaction']>[0]>[0];
/** Query functions take either, so a caller can compose them inside one transaction. */
export type Db = Database | Transaction;

/**
 * The timeouts every connection gets (.env.example explains them): a connection that cannot open
 * fails within the connect timeout instead of the client's default 30 s, and the server cancels a
 * statement past the statement timeout and closes a session left idle inside a transaction.
 */
export function databaseTimeouts() {
  const env = getEnv();
  const statementMs = Math.round(env.DATABASE_STATEMENT_TIMEOUT_SECONDS * 1000);
  return {
    connectSeconds: env.DATABASE_CONNECT_TIMEOUT_SECONDS,
    statementMs,
    idleInTransactionMs: statementMs * 2,
  };
}

/**
 * Seconds before a connection that failed is opened again: 0.02, 0.04, 0.08, then every 0.1 s.
 * postgres.js queues a query that finds every connection of the pool failing, and each new
 * attempt of a connection takes one query off that queue: with its own backoff (growing to 20 s)
 * requests waited tens of seconds after a Postgres restart, and even a 1 s cap let the queue drain
 * at only a pool's worth of queries a second, so under load a request waited 4 s and more for its
 * 503. A connection retries only while queries wait, and each try answers one of them (a refused
 * connection fails in a millisecond), so a short backoff is no busy loop.
 */
export function reconnectBackoffSeconds(attempt: number): number {
  return Math.min(0.02 * 2 ** Math.max(0, attempt - 1), 0.1);
}

/** The same timeouts as server options on connect, for pg (under pg-boss). */
export function queueConnectionOptions() {
  const timeouts = databaseTimeouts();
  return {
    connectionTimeoutMillis: Math.round(timeouts.connectSeconds * 1000),
    options: `-c statement_timeout=${timeouts.statementMs} -c idle_in_transaction_session_timeout=${timeouts.idleInTransactionMs}`,
  };
}

/** `statementTimeout: false` for migrations, whose index builds on a large table may take minutes. */
export function createDatabase(url: string, options: { max?: number; statementTimeout?: false } = {}) {
  const timeouts = databaseTimeouts();
  const client = postgres(url, {
    max: options.max ?? 10,
    connect_timeout: timeouts.connectSeconds,
    connection:
      options.statementTimeout === false
        ? {}
        : { statement_timeout: timeouts.statementMs, idle_in_transaction_session_timeout: timeouts.idleInTransactionMs },
    backoff: reconnectBackoffSeconds,
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

const dialect = new PgDialect();

/**
 * Runs a statement as a prepared statement of its connection. Drizzle sends every query unnamed,
 * so Postgres parses and plans it on each call and postgres.js needs two round trips (describe,
 * then execute). Prepared, it is planned a few times per connection and sent in one round trip.
 * For the statements that run for every job (submit, claim, finish), whose text does not vary
 * from call to call: each distinct text is kept on every connection that ran it. A URL with
 * `?prepare=false` (for a pooler that cannot hold prepared statements) turns this off too.
 */
export async function executePrepared<T extends Record<string, unknown>>(db: Db, query: SQL): Promise<T[]> {
  const { sql: text, params } = dialect.sqlToQuery(query);
  return runPrepared<T>(db, text, params);
}

/**
 * pg-boss's database adapter for a transaction, its statements prepared as executePrepared's are
 * (pg-boss's own `fromDrizzle` sends them unnamed). Its SQL uses $n placeholders already.
 */
export function preparedQueueDb(tx: Transaction) {
  return { executeSql: async (text: string, values: unknown[] = []) => ({ rows: await runPrepared(tx, text, values) }) };
}

async function runPrepared<T>(db: Db, text: string, params: unknown[]): Promise<T[]> {
  const { client } = db._.session as unknown as PostgresJsSession<postgres.Sql, Record<string, never>, never>;
  return (await client.unsafe(text, params as postgres.ParameterOrJSON<never>[], { prepare: true })) as unknown as T[];
}
