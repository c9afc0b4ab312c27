import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendLogs } from '@/db/queries/logs';
import { resetEnvCache } from '@/lib/env';
import { getProducerBoss } from '@/lib/server/queue';
import { createTestAccount } from '@/tests/helpers/accounts';
import { api } from '@/tests/helpers/api';
import { createTestDatabase } from '@/tests/helpers/database';
import { sweep } from '@/workers/sweeper';

// No worker runs here: expiry must happen without one.

let database: Awaited<ReturnType<typeof createTestDatabase>>;

beforeAll(async () => {
  process.env.MAX_QUEUE_WAIT_SECONDS = '1';
  resetEnvCache();
  database = await createTestDatabase();
});
afterAll(async () => database?.close());

describe('queue expiry', () => {
  it('expires a job that waited past the maximum, uncharged, with no worker running', async () => {
    const { secret, account } = await createTestAccount(database.db, { credits: 5 });
    const { body } = await api('POST', '/api/v1/jobs', { key: secret, body: { url: 'https://example.com', engine: 'browser' } });
    const [reserved] = await database.client`SELECT reserved_credits FROM accounts WHERE id = ${account.id}`;
    expect(reserved.reserved_credits).toBe(5);
    await new Promise((r) => setTimeout(r, 1200));
    const { body: job } = await api('GET', `/api/v1/jobs/${body.id}`, { key: secret });
    expect(job).toMatchObject({ status: 'expired', credits: 0, startedAt: null, durationMs: null });
    const logs = await api('GET', `/api/v1/jobs/${body.id}/logs`, { key: secret });
    expect(logs.body.data.at(-1)).toMatchObject({ level: 'WARN', message: expect.stringMatching(/^Job expired after waiting \ds in queue/) });
    const [balance] = await database.client`SELECT credits, reserved_credits FROM accounts WHERE id = ${account.id}`;
    expect(balance).toEqual({ credits: 5, reserved_credits: 0 });
    const list = await api('GET', '/api/v1/jobs?status=expired', { key: secret });
    expect(list.body.total).toBe(1);
  });

  it('logs "Job waiting in queue" at each 30-second mark', async () => {
    process.env.MAX_QUEUE_WAIT_SECONDS = '300';
    resetEnvCache();
    const { secret } = await createTestAccount(database.db, { credits: 5 });
    const { body } = await api('POST', '/api/v1/jobs', { key: secret, body: { url: 'https://example.com', engine: 'browser' } });
    await database.client`UPDATE jobs SET created_at = now() - interval '65 seconds' WHERE id = ${body.id}`;
    const boss = await getProducerBoss();
    await sweep(database.db, boss, { maxWaitSeconds: 300 });
    await sweep(database.db, boss, { maxWaitSeconds: 300 });
    const logs = await api('GET', `/api/v1/jobs/${body.id}/logs`, { key: secret });
    const waits = logs.body.data.filter((e: any) => e.message.startsWith('Job waiting'));
    expect(waits).toEqual([expect.objectContaining({ level: 'WARN', message: 'Job waiting in queue for 1m' })]);
  });
});

describe('job logs', () => {
  it('keeps at most 200 entries, pruning the oldest DEBUG entries first', async () => {
    const { secret } = await createTestAccount(database.db, { credits: 5 });
    const { body } = await api('POST', '/api/v1/jobs', { key: secret, body: { url: 'https://example.com', engine: 'browser' } });
    const base = Date.now();
    for (let batch = 0; batch < 5; batch++) {
      await appendLogs(
        database.db,
        body.id,
        Array.from({ length: 50 }, (_, i) => ({
          timestamp: new Date(base + batch * 50 + i),
          level: i % 2 === 0 ? ('DEBUG' as const) : ('INFO' as const),
          message: `entry ${batch * 50 + i}`,
        })),
      );
    }
    const { body: logs } = await api('GET', `/api/v1/jobs/${body.id}/logs`, { key: secret });
    expect(logs.total).toBe(200);
    expect(logs.data).toHaveLength(200);
    const messages = logs.data.map((e: any) => e.message);
    expect(messages[0]).toBe('Job queued'); // INFO entries survive while DEBUG ones remain
    const debugLeft = logs.data.filter((e: any) => e.level === 'DEBUG').map((e: any) => e.message);
    expect(debugLeft[0]).toBe('entry 104'); // the 52 oldest DEBUG entries went first
    expect(logs.data.filter((e: any) => e.level === 'INFO')).toHaveLength(127);
    const seqs = logs.data.map((e: any) => e.seq);
    expect([...seqs].sort((a, b) => a - b)).toEqual(seqs);

    const after = await api('GET', `/api/v1/jobs/${body.id}/logs?after=${seqs.at(-3)}`, { key: secret });
    expect(after.body.data.map((e: any) => e.seq)).toEqual(seqs.slice(-2));
    expect(after.body.total).toBe(200);
  });
});
