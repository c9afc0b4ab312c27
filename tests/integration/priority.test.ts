import { describe, expect, it } from 'vitest';
import { createTestAccount } from '@/tests/helpers/accounts';
import { api, waitForStatus } from '@/tests/helpers/api';
import { useJobsEnvironment } from '@/tests/helpers/environment';

// No worker runs while the jobs are submitted, so the queue holds them all when one starts.
const env = useJobsEnvironment({}, { worker: false });

describe('priority', () => {
  it('picks up urgent jobs before low ones submitted earlier', async () => {
    const { secret } = await createTestAccount(env.database.db, { credits: 20 });
    const submit = async (priority: string, n: number) => {
      const reply = await api('POST', '/api/v1/jobs', { key: secret, body: { url: `${env.fixture.url}/slow?ms=50&n=${n}`, priority } });
      expect(reply.status).toBe(202);
      expect(reply.body.priority).toBe(priority);
      return reply.body.id as string;
    };
    const low: string[] = [];
    for (let n = 0; n < 5; n += 1) low.push(await submit('low', n));
    const urgent: string[] = [];
    for (let n = 0; n < 5; n += 1) urgent.push(await submit('urgent', n));

    const worker = await env.startWorker({ WORKER_CONCURRENCY_HTTP: 1 });
    const jobs = await Promise.all([...low, ...urgent].map((id) => waitForStatus(id, secret, ['completed', 'failed'])));
    const order = jobs
      .sort((a, b) => Date.parse(a.startedAt) - Date.parse(b.startedAt))
      .map((job) => job.priority);
    // A fetch takes the queue's head in batches of two, so the fifth urgent and the first low job
    // may share one delivery: only the middle pair may come in either order.
    expect(order.slice(0, 4)).toEqual(['urgent', 'urgent', 'urgent', 'urgent']);
    expect(order.slice(6)).toEqual(['low', 'low', 'low', 'low']);
    expect(order.slice(4, 6).sort()).toEqual(['low', 'urgent']);
  });

  it('filters by priority, tag and name, and a retry keeps all three', async () => {
    const { secret } = await createTestAccount(env.database.db, { credits: 20 });
    const labelled = await api('POST', '/api/v1/jobs', {
      key: secret,
      body: { url: `${env.fixture.url}/page`, name: 'Nightly Catalog 50%', tags: ['shop:eu', 'daily', 'daily'], priority: 'high' },
    });
    expect(labelled.body).toMatchObject({ name: 'Nightly Catalog 50%', tags: ['shop:eu', 'daily'], priority: 'high' });
    const plain = await api('POST', '/api/v1/jobs', { key: secret, body: { url: `${env.fixture.url}/text`, tags: ['weekly'] } });
    expect(plain.body).toMatchObject({ name: null, tags: ['weekly'], priority: 'normal' });

    const ids = async (query: string) => (await api('GET', `/api/v1/jobs?${query}`, { key: secret })).body.data.map((j: any) => j.id);
    expect(await ids('priority=high')).toEqual([labelled.body.id]);
    expect(await ids('tag=daily')).toEqual([labelled.body.id]);
    expect((await ids('tag=weekly,daily')).sort()).toEqual([labelled.body.id, plain.body.id].sort());
    expect(await ids('name=catalog%2050%25')).toEqual([labelled.body.id]);
    expect(await ids('name=50_')).toEqual([]);
    const counts = await api('GET', '/api/v1/jobs/counts?tag=daily', { key: secret });
    expect(counts.body.engine).toEqual({ http: 1 });
    const csv = await api('GET', '/api/v1/jobs/export?format=csv&priority=high', { key: secret });
    expect(csv.body.split('\r\n')[1]).toMatch(/,Nightly Catalog 50%,shop:eu daily,high$/);

    const bad = await api('POST', '/api/v1/jobs', {
      key: secret,
      body: { url: `${env.fixture.url}/page`, name: 'x'.repeat(201), tags: ['Upper Case'], priority: 'asap' },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.fields.map((f: any) => f.field).sort()).toEqual(['name', 'priority', 'tags.0']);
    expect((await api('GET', '/api/v1/jobs?priority=asap', { key: secret })).status).toBe(400);

    await waitForStatus(labelled.body.id, secret, ['completed']);
    const retried = await api('POST', `/api/v1/jobs/${labelled.body.id}/retry`, { key: secret });
    expect(retried.body).toMatchObject({ name: 'Nightly Catalog 50%', tags: ['shop:eu', 'daily'], priority: 'high', parentJobId: labelled.body.id });
  });
});
