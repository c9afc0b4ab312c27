import { sql } from 'drizzle-orm';
import { createJobBodySchema } from '@/lib/schemas/jobs';
import { submitJob } from '@/lib/server/jobs/submit';
import type { BenchEnvironment } from './environment';
import { summarize, type Summary } from './stats';

// Queue pickup latency with an idle worker: one job at a time, the next submitted only once the
// previous one has finished, so every sample is a cold wake-up of a waiting worker.
//
// Status changes are observed without polling: a trigger installed for this phase only (in the
// benchmark's own throwaway database) NOTIFYs every status change of a job as it commits.

export type PickupResult = {
  /** Submit resolved (committed) → the `processing` commit seen by a listener, Node clock. */
  observed: Summary;
  /** Submit resolved → the claim's now() (started_at); one system clock, µs in Postgres. */
  commitToClaim: Summary;
  /** started_at − created_at, both Postgres time; includes the submit transaction itself. */
  database: Summary;
  /** How long submitJob itself took (the submit transaction, commit included). */
  submit: Summary;
  timeouts: number;
};

const channel = 'bench_job_status';
const terminal = new Set(['completed', 'failed', 'cancelled', 'expired']);

async function installStatusTrigger(env: BenchEnvironment) {
  await env.db.execute(sql.raw(`
    CREATE OR REPLACE FUNCTION bench_notify_status() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN PERFORM pg_notify('${channel}', NEW.id::text || ':' || NEW.status); RETURN NEW; END $$;
    CREATE TRIGGER bench_job_status AFTER UPDATE OF status ON jobs FOR EACH ROW
      WHEN (OLD.status IS DISTINCT FROM NEW.status) EXECUTE FUNCTION bench_notify_status();`));
  return async () => {
    await env.db.execute(sql.raw(`DROP TRIGGER IF EXISTS bench_job_status ON jobs; DROP FUNCTION IF EXISTS bench_notify_status();`));
  };
}

type Seen = { processing?: number; terminal?: number };

export async function measurePickup(
  env: BenchEnvironment,
  { warmup, samples, jobTimeoutMs = 10_000 }: { warmup: number; samples: number; jobTimeoutMs?: number },
): Promise<PickupResult> {
  const apiKey = await env.newKey('bench pickup');
  const uninstall = await installStatusTrigger(env);
  const seen = new Map<string, Seen>();
  let wake: (() => void) | undefined;
  const listener = await env.client.listen(channel, (payload) => {
    const at = performance.now();
    const [id, status] = payload.split(':');
    const entry = seen.get(id) ?? {};
    if (status === 'processing') entry.processing ??= at;
    if (terminal.has(status)) entry.terminal ??= at;
    seen.set(id, entry);
    wake?.();
  });

  const until = async (done: () => boolean, timeoutMs: number) => {
    const deadline = performance.now() + timeoutMs;
    while (!done()) {
      const left = deadline - performance.now();
      if (left <= 0) return false;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(left, 1000));
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      wake = undefined;
    }
    return true;
  };

  const measured: { id: string; submittedAt: number; committedAt: number }[] = [];
  let timeouts = 0;
  try {
    for (let i = 0; i < warmup + samples; i++) {
      const body = createJobBodySchema.parse({ url: `${env.fixture.url}/page?pickup=${i}`, engine: 'http' });
      const submittedAt = performance.now();
      const job = await submitJob(env.db, { account: env.account, apiKey, body });
      const committedAt = performance.now();
      const finished = await until(() => seen.get(job.id)?.terminal !== undefined, jobTimeoutMs);
      if (!finished) timeouts += 1;
      if (i >= warmup) measured.push({ id: job.id, submittedAt, committedAt });
    }
  } finally {
    await listener.unlisten();
    await uninstall();
  }

  const rows = await env.db.execute<{ id: string; db_ms: string; started_ms: string }>(sql`
    SELECT id, extract(epoch FROM started_at - created_at) * 1000 AS db_ms, extract(epoch FROM started_at) * 1000 AS started_ms
    FROM jobs WHERE id = ANY(${`{${measured.map((m) => m.id).join(',')}}`}::uuid[]) AND started_at IS NOT NULL`);
  const byId = new Map(rows.map((row) => [row.id, row]));
  const observed: number[] = [];
  const commitToClaim: number[] = [];
  const database: number[] = [];
  for (const sample of measured) {
    const processing = seen.get(sample.id)?.processing;
    if (processing !== undefined) observed.push(processing - sample.committedAt);
    const row = byId.get(sample.id);
    if (!row) continue;
    database.push(Number(row.db_ms));
    commitToClaim.push(Number(row.started_ms) - (performance.timeOrigin + sample.committedAt));
  }
  return {
    observed: summarize(observed),
    commitToClaim: summarize(commitToClaim),
    database: summarize(database),
    submit: summarize(measured.map((m) => m.committedAt - m.submittedAt)),
    timeouts,
  };
}
