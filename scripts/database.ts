import net from 'node:net';
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
