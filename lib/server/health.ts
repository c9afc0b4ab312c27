import { getDatabase } from '@/db/client';
import journal from '@/db/migrations/meta/_journal.json';
import { log } from '@/lib/log';
import { queueNames, retentionQueue, webhookDeliveryQueue } from '@/lib/queue';

// GET /api/health: is this deployment able to serve? The database answers, the queue is installed
// with our queues, and every migration this build was made with has been applied. Cheap enough
// for a load balancer or an uptime check every few seconds: four small reads, each time-boxed.

export type HealthReport = {
  status: 'ok' | 'unavailable';
  database: { ok: boolean; latencyMs: number | null; error?: string };
  queue: { ok: boolean; schemaVersion: number | null; queues: { present: number; expected: number }; error?: string };
  migrations: { ok: boolean; applied: number; expected: number; pending: string[]; error?: string };
};

const checkTimeoutMs = 5000;
const expectedQueues = [...Object.values(queueNames), retentionQueue.name, webhookDeliveryQueue.name];

/** The journal is bundled into the build: "expected" is what this code was written against. */
const expectedMigrations = journal.entries.map((entry) => ({ tag: entry.tag, when: entry.when }));

function timeBoxed<T>(work: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not answer within ${checkTimeoutMs / 1000}s`)), checkTimeoutMs);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

/** The reply names the failing part without leaking connection details. */
function describe(error: unknown): string {
  const code = (error as { code?: string })?.code;
  if (code === '42P01' || code === '3F000') return 'not installed';
  if (error instanceof Error && /did not answer/.test(error.message)) return error.message;
  return code ? `unavailable (${code})` : 'unavailable';
}

export async function checkHealth(): Promise<HealthReport> {
  let client: ReturnType<typeof getDatabase>['client'];
  try {
    client = getDatabase().client;
  } catch (error) {
    // DATABASE_URL unset: nothing below can be checked.
    const reason = error instanceof Error ? error.message.split(';')[0] : 'no database configured';
    return {
      status: 'unavailable',
      database: { ok: false, latencyMs: null, error: reason },
      queue: { ok: false, schemaVersion: null, queues: { present: 0, expected: expectedQueues.length }, error: 'database unavailable' },
      migrations: { ok: false, applied: 0, expected: expectedMigrations.length, pending: expectedMigrations.map((m) => m.tag), error: 'database unavailable' },
    };
  }

  const database = await (async (): Promise<HealthReport['database']> => {
    const started = performance.now();
    try {
      await timeBoxed(client`SELECT 1`, 'the database');
      return { ok: true, latencyMs: Math.round(performance.now() - started) };
    } catch (error) {
      log.error('health check: database failed', { err: error });
      return { ok: false, latencyMs: null, error: describe(error) };
    }
  })();

  const [queue, migrations] = await Promise.all([
    (async (): Promise<HealthReport['queue']> => {
      const queues = { present: 0, expected: expectedQueues.length };
      if (!database.ok) return { ok: false, schemaVersion: null, queues, error: 'database unavailable' };
      try {
        const [row] = await timeBoxed(
          client<{ version: number | null; present: number }[]>`
            SELECT (SELECT version FROM pgboss.version LIMIT 1)::int AS version,
                   (SELECT count(*) FROM pgboss.queue WHERE name = ANY(${expectedQueues}))::int AS present`,
          'the queue',
        );
        queues.present = row.present;
        return { ok: row.version !== null && row.present === queues.expected, schemaVersion: row.version, queues };
      } catch (error) {
        log.error('health check: queue failed', { err: error });
        return { ok: false, schemaVersion: null, queues, error: describe(error) };
      }
    })(),
    (async (): Promise<HealthReport['migrations']> => {
      const expected = expectedMigrations.length;
      if (!database.ok) return { ok: false, applied: 0, expected, pending: [], error: 'database unavailable' };
      try {
        // Drizzle records each applied migration with its journal timestamp as created_at.
        const rows = await timeBoxed(client<{ createdAt: string }[]>`SELECT created_at::text AS "createdAt" FROM drizzle.__drizzle_migrations`, 'the migrations table');
        const applied = new Set(rows.map((row) => Number(row.createdAt)));
        const pending = expectedMigrations.filter((migration) => !applied.has(migration.when)).map((migration) => migration.tag);
        return { ok: pending.length === 0, applied: expected - pending.length, expected, pending };
      } catch (error) {
        log.error('health check: migrations failed', { err: error });
        return { ok: false, applied: 0, expected, pending: expectedMigrations.map((migration) => migration.tag), error: describe(error) };
      }
    })(),
  ]);

  const ok = database.ok && queue.ok && migrations.ok;
  return { status: ok ? 'ok' : 'unavailable', database, queue, migrations };
}
