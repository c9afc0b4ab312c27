import { getEnv } from '@/lib/env';
import { startWorker } from '@/workers/worker';

// The long-running worker process (`npm run worker`). SIGTERM/SIGINT stop fetching, let running
// jobs finish within WORKER_SHUTDOWN_GRACE_SECONDS, hand back the rest, close pools, exit 0.

async function main() {
  const env = getEnv();
  if (!env.DATABASE_URL) {
    console.error('[worker] DATABASE_URL is not set. Run `npm run dev` (which starts everything) or set DATABASE_URL.');
    process.exit(1);
  }
  const worker = await startWorker({ ...env, databaseUrl: env.DATABASE_URL });
  let signals = 0;
  const shutdown = (signal: string) => {
    signals += 1;
    if (signals > 1) {
      console.error(`[worker] ${signal} again: exiting now`);
      process.exit(1);
    }
    worker.stop().then(
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
