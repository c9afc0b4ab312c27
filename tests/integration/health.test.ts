import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeDatabase } from '@/db/client';
import journal from '@/db/migrations/meta/_journal.json';
import { resetEnvCache } from '@/lib/env';
import { api } from '@/tests/helpers/api';
import { createTestDatabase } from '@/tests/helpers/database';
import { startTestWorker } from '@/tests/helpers/worker';
import { startHealthServer } from '@/workers/health-server';

// GET /api/health as a load balancer or uptime check sees it, and the worker's own health
// endpoint as the container's health check sees it.

let database: Awaited<ReturnType<typeof createTestDatabase>>;

beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database?.close();
});

const lastTag = journal.entries.at(-1)!.tag;

describe('GET /api/health', () => {
  it('is 200 with the database, the queue and every migration of this build in place; public and uncached', async () => {
    const reply = await api('GET', '/api/health');
    expect(reply.status).toBe(200);
    expect(reply.headers.get('cache-control')).toBe('no-store');
    expect(reply.body).toMatchObject({
      status: 'ok',
      database: { ok: true },
      queue: { ok: true, queues: { present: 5, expected: 5 } },
      migrations: { ok: true, applied: journal.entries.length, expected: journal.entries.length, pending: [] },
    });
    expect(reply.body.database.latencyMs).toBeGreaterThanOrEqual(0);
    expect(reply.body.queue.schemaVersion).toBeGreaterThan(0);
  });

  it('is 503 naming the pending migration when the database is behind this build', async () => {
    const [removed] = await database.client`
      DELETE FROM drizzle.__drizzle_migrations
      WHERE id = (SELECT max(id) FROM drizzle.__drizzle_migrations) RETURNING *`;
    try {
      const reply = await api('GET', '/api/health');
      expect(reply.status).toBe(503);
      expect(reply.body).toMatchObject({
        status: 'unavailable',
        database: { ok: true },
        queue: { ok: true },
        migrations: { ok: false, applied: journal.entries.length - 1, expected: journal.entries.length, pending: [lastTag] },
      });
    } finally {
      await database.client`INSERT INTO drizzle.__drizzle_migrations ${database.client(removed)}`;
    }
    expect((await api('GET', '/api/health')).status).toBe(200);
  });

  it('is 503 when a queue is missing', async () => {
    const [queue] = await database.client`SELECT name FROM pgboss.queue WHERE name = 'retention-purge'`;
    expect(queue).toBeDefined();
    await database.client`ALTER TABLE pgboss.queue RENAME TO queue_hidden`;
    try {
      const reply = await api('GET', '/api/health');
      expect(reply.status).toBe(503);
      expect(reply.body.queue).toMatchObject({ ok: false, error: 'not installed' });
      expect(reply.body.migrations.ok).toBe(true);
    } finally {
      await database.client`ALTER TABLE pgboss.queue_hidden RENAME TO queue`;
    }
  });

  it('is 503 without leaking connection details when the database cannot be reached', async () => {
    const url = process.env.DATABASE_URL;
    await closeDatabase();
    process.env.DATABASE_URL = 'postgres://scrapifie:secret-password@127.0.0.1:1/nowhere';
    resetEnvCache();
    try {
      const reply = await api('GET', '/api/health');
      expect(reply.status).toBe(503);
      expect(reply.body).toMatchObject({ status: 'unavailable', database: { ok: false, latencyMs: null }, queue: { ok: false }, migrations: { ok: false } });
      expect(JSON.stringify(reply.body)).not.toMatch(/secret-password|127\.0\.0\.1/);
    } finally {
      await closeDatabase();
      process.env.DATABASE_URL = url;
      resetEnvCache();
    }
    expect((await api('GET', '/api/health')).status).toBe(200);
  });
});

describe('worker health endpoint', () => {
  it('answers 200 with the worker id while it runs, 503 once it is stopping, 404 elsewhere', async () => {
    const worker = await startTestWorker(database.url);
    const server = await startHealthServer({ port: 0, host: '127.0.0.1', health: () => worker.health() });
    try {
      const base = `http://127.0.0.1:${server.port}`;
      const healthy = await fetch(`${base}/health`);
      expect(healthy.status).toBe(200);
      expect(await healthy.json()).toMatchObject({ status: 'ok', workerId: worker.id, running: 0 });
      expect((await fetch(`${base}/metrics`)).status).toBe(404);

      const stopping = worker.stop();
      const draining = await fetch(`${base}/health`);
      expect(draining.status).toBe(503);
      expect(await draining.json()).toMatchObject({ status: 'stopping', workerId: worker.id });
      await stopping;
    } finally {
      await worker.stop();
      await server.close();
    }
  });
});
