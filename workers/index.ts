import { getEnv } from '@/lib/env';
import { startHealthServer } from '@/workers/health-server';
import { startWorker } from '@/workers/worker';

// The long-running worker process (`npm run worker`). SIGTERM/SIGINT stop fetching, let running
// jobs finish within WORKER_SHUTDOWN_GRACE_SECONDS, hand back the rest, close pools, exit 0.

async function main() {
  const env = getEnv();
  if (!env.DATABASE_URL) {
    console.error('[worker] DATABASE_URL is not set. Run `npm run dev` (which starts everything) or set DATABASE_URL.');
    process.exit(1);
  }
  // The worker LISTENs (cancels, pg-boss notifications): a session connection, never a transaction pooler.
  const worker = await startWorker({ ...env, databaseUrl: env.DATABASE_URL_DIRECT ?? env.DATABASE_URL });
  // Containers set WORKER_HEALTH_PORT (8080 in the image) for their health checks; unset locally.
  const healthServer = env.WORKER_HEALTH_PORT ? await startHealthServer({ port: env.WORKER_HEALTH_PORT, health: () => worker.health() }) : undefined;
  if (healthServer) console.log(`[worker] health endpoint on :${healthServer.port}/health`);
  let signals = 0;
  const shutdown = (signal: string) => {
    signals += 1;
    if (signals > 1) {
      console.error(`[worker] ${signal} again: exiting now`);
      process.exit(1);
    }
    worker
      .stop()
      .then(() => healthServer?.close())
      .then(
        () => process.exit(0),
        (error) => {
          console.error('[worker] shutdown failed', error);
          process.exit(1);
        },
      );
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

main().catch((error) => {
  console.error('[worker] failed to start', error);
  process.exit(1);
});
