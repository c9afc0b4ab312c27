import { readFileSync, realpathSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import postgres from 'postgres';
import { getEnv } from '@/lib/env';
import { DatabaseStartError, startEmbeddedPostgres, type EmbeddedDatabase } from './embedded-postgres';

/**
 * DATABASE_URL when set; otherwise the embedded Postgres of this checkout, started here unless it
 * already runs (`npm run dev` in another terminal). Something else on EMBEDDED_PG_PORT, another
 * program or another checkout's Postgres, is refused with a message that names it, never used.
 */
export async function resolveDatabase(options: { quiet?: boolean } = {}): Promise<{ url: string; embedded?: EmbeddedDatabase }> {
  const env = getEnv();
  if (env.DATABASE_URL) return { url: env.DATABASE_URL };
  const dataDir = path.resolve(env.EMBEDDED_PG_DIR);
  // Already running from this data directory, on EMBEDDED_PG_PORT or on another port (started
  // with another EMBEDDED_PG_PORT): use that server, since a second one cannot start on the same files.
  const runningPort = runningServerPort(dataDir);
  for (const port of new Set([...(runningPort === undefined ? [] : [runningPort]), env.EMBEDDED_PG_PORT])) {
    const url = `postgres://postgres:postgres@127.0.0.1:${port}/scrapifie`;
    const found = await probe(port);
    if (found === 'closed') continue;
    if (found === 'not-postgres') {
      throw new DatabaseStartError(
        `Port ${port} (EMBEDDED_PG_PORT) is taken by a program that is not Postgres. Stop it, or set EMBEDDED_PG_PORT to a free port (or DATABASE_URL).`,
      );
    }
    const served = await serverDataDirectory(url);
    if (served && sameDirectory(served, dataDir)) return { url };
    throw new DatabaseStartError(
      `The Postgres on port ${port} (EMBEDDED_PG_PORT) is not this checkout's: it serves ${served ?? 'a data directory it would not name'}, ` +
        `and this checkout's is ${dataDir}. Using it would share another database. Stop that server, or set EMBEDDED_PG_PORT ` +
        'to a free port for this checkout (or DATABASE_URL to use that database on purpose).',
    );
  }
  const embedded = await startEmbeddedPostgres({ dir: dataDir, port: env.EMBEDDED_PG_PORT, quiet: options.quiet });
  return { url: embedded.url, embedded };
}

/**
 * What listens on the port: nothing, a Postgres (it answers the 8-byte SSLRequest with one byte,
 * S or N), or something else (it answers otherwise, or not within 2 s).
 */
function probe(port: number): Promise<'closed' | 'postgres' | 'not-postgres'> {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host: '127.0.0.1' });
    const done = (result: 'closed' | 'postgres' | 'not-postgres') => {
      clearTimeout(timer);
      socket.destroy();
      resolve(result);
    };
    const timer = setTimeout(() => done('not-postgres'), 2000);
    socket.once('connect', () => socket.write(Buffer.from([0, 0, 0, 8, 4, 210, 22, 47])));
    socket.once('data', (data) => done(data.length === 1 && (data[0] === 0x53 || data[0] === 0x4e) ? 'postgres' : 'not-postgres'));
    socket.once('error', () => done('closed'));
    socket.once('end', () => done('not-postgres'));
  });
}

/** The server's data_directory (the embedded server's superuser may read it), or null if it will not say. */
async function serverDataDirectory(url: string): Promise<string | null> {
  const sql = postgres(url.replace(/\/scrapifie$/, '/postgres'), { max: 1, connect_timeout: 3, onnotice: () => {} });
  try {
    const [row] = await sql<{ data_directory: string }[]>`SELECT current_setting('data_directory') AS data_directory`;
    return row.data_directory;
  } catch {
    return null;
  } finally {
    await sql.end({ timeout: 1 });
  }
}

function sameDirectory(a: string, b: string): boolean {
  const real = (dir: string) => {
    try {
      return realpathSync(dir);
    } catch {
      return path.resolve(dir);
    }
  };
  return real(a) === real(b);
}

/** The port in the data directory's postmaster.pid (its fourth line) while its server process lives. */
function runningServerPort(dataDir: string): number | undefined {
  try {
    const [pid, , , port] = readFileSync(path.join(dataDir, 'postmaster.pid'), 'utf8').split('\n');
    process.kill(Number(pid), 0);
    return Number(port) || undefined;
  } catch {
    return undefined;
  }
}
