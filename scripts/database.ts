import { readFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { getEnv } from '@/lib/env';
import { startEmbeddedPostgres, type EmbeddedDatabase } from './embedded-postgres';

/**
 * DATABASE_URL when set; otherwise the embedded Postgres, started here unless another
 * process (such as `npm run dev`) already runs it on EMBEDDED_PG_PORT.
 */
export async function resolveDatabase(options: { quiet?: boolean } = {}): Promise<{ url: string; embedded?: EmbeddedDatabase }> {
  const env = getEnv();
  if (env.DATABASE_URL) return { url: env.DATABASE_URL };
  const url = `postgres://postgres:postgres@127.0.0.1:${env.EMBEDDED_PG_PORT}/scrapifie`;
  if (await portOpen(env.EMBEDDED_PG_PORT)) return { url };
  // Already running from this data directory on another port (started with another
  // EMBEDDED_PG_PORT): use that server, since a second one cannot start on the same files.
  const runningPort = runningServerPort(env.EMBEDDED_PG_DIR);
  if (runningPort !== undefined && (await portOpen(runningPort))) {
    return { url: `postgres://postgres:postgres@127.0.0.1:${runningPort}/scrapifie` };
  }
  const embedded = await startEmbeddedPostgres({ dir: env.EMBEDDED_PG_DIR, port: env.EMBEDDED_PG_PORT, quiet: options.quiet });
  return { url: embedded.url, embedded };
}

function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host: '127.0.0.1' });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
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
