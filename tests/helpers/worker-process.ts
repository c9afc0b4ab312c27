import { spawn, type ChildProcess } from 'node:child_process';
import type { Sql } from 'postgres';
import { waitFor } from '@/tests/helpers/worker';

export type WorkerProcess = {
  child: ChildProcess;
  /** The worker's id (as in the `workers` table and jobs.worker_id), once it has started. */
  id: string;
  /** Resolves with the exit code (null when killed by a signal). */
  exited: Promise<number | null>;
  output(): string;
};

/**
 * The worker as operators run it (`npm run worker`), in its own OS process on the test's
 * database, with the egress allow-list opened for the local fixture site. Resolves once the
 * worker has registered itself: its first heartbeat row is written after it listens on the queues.
 */
export async function spawnWorkerProcess(
  database: { url: string; client: Sql },
  env: Record<string, string> = {},
): Promise<WorkerProcess> {
  // node with the tsx loader, not the tsx CLI: one process, so signals reach the worker itself.
  const { DATABASE_URL_DIRECT: _direct, ...inherited } = process.env;
  const child = spawn(process.execPath, ['--import', 'tsx', 'workers/index.ts'], {
    env: {
      ...inherited,
      DATABASE_URL: database.url,
      EGRESS_ALLOWLIST: '127.0.0.1/32',
      RETRY_DELAY_SCALE: '0.05',
      LOG_FLUSH_MS: '50',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const id = await waitFor(async () => {
    if (child.exitCode !== null) throw new Error(`The worker exited with ${child.exitCode} before starting:\n${output}`);
    const [row] = await database.client<{ id: string }[]>`SELECT id FROM workers WHERE pid = ${child.pid!} AND stopped_at IS NULL`;
    return row?.id;
  }, { what: 'the worker process to start', timeoutMs: 60_000, intervalMs: 100 });
  return { child, id, exited, output: () => output };
}

/** SIGTERM, then wait for the drain; SIGKILL if it has not exited in `timeoutMs`. */
export async function stopWorkerProcess(worker: WorkerProcess, timeoutMs = 30_000): Promise<number | null> {
  if (worker.child.exitCode !== null || worker.child.signalCode !== null) return worker.exited;
  worker.child.kill('SIGTERM');
  const timer = setTimeout(() => worker.child.kill('SIGKILL'), timeoutMs);
  try {
    return await worker.exited;
  } finally {
    clearTimeout(timer);
  }
}
