import { isDatabaseUnavailable } from '@/lib/database-errors';
import { getEnv } from '@/lib/env';
import { log } from '@/lib/log';
import { startHealthServer } from '@/workers/health-server';
import { startWorker } from '@/workers/worker';

// The long-running worker process (`npm run worker`). SIGTERM/SIGINT stop fetching, let running
// jobs finish within WORKER_SHUTDOWN_GRACE_SECONDS, hand back the rest, close pools, exit 0.

async function main() {
  const env = getEnv();
  if (!env.DATABASE_URL) {
    log.error('DATABASE_URL is not set. Run `npm run dev` (which starts everything) or set DATABASE_URL.');
    process.exit(1);
  }
  // The worker LISTENs (cancels, pg-boss notifications): a session connection, never a transaction pooler.
  const worker = await startWhenDatabaseAnswers(() => startWorker({ ...env, databaseUrl: env.DATABASE_URL_DIRECT ?? env.DATABASE_URL! }));
  // Containers set WORKER_HEALTH_PORT (8080 in the image) for their health checks; unset locally.
  const healthServer = env.WORKER_HEALTH_PORT ? await startHealthServer({ port: env.WORKER_HEALTH_PORT, health: () => worker.health() }) : undefined;
  if (healthServer) log.info('health endpoint listening', { workerId: worker.id, port: healthServer.port, path: '/health' });
  let signals = 0;
  const shutdown = (signal: string) => {
    signals += 1;
    if (signals > 1) {
      log.warn('second signal: exiting now', { workerId: worker.id, signal });
      process.exit(1);
    }
    worker
      .stop()
      .then(() => healthServer?.close())
      .then(
        () => process.exit(0),
        (error) => {
          log.error('worker shutdown failed', { workerId: worker.id, err: error });
          process.exit(1);
        },
      );
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

/**
 * A worker started while the database is down or restarting waits for it (as a running worker
 * does) instead of exiting; any other failure to start still exits.
 */
async function startWhenDatabaseAnswers<T>(start: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await start();
    } catch (error) {
      if (!isDatabaseUnavailable(error)) throw error;
      log.warn('database unavailable at start; retrying', { attempt, err: error });
      await new Promise((resolve) => setTimeout(resolve, Math.min(500 * attempt, 5000)));
    }
  }
}

main().catch((error) => {
  log.error('worker failed to start', { err: error });
  process.exit(1);
});
