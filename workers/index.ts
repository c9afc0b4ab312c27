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
  const worker = await startWorker({ ...env, databaseUrl: env.DATABASE_URL_DIRECT ?? env.DATABASE_URL });
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

main().catch((error) => {
  log.error('worker failed to start', { err: error });
  process.exit(1);
});
