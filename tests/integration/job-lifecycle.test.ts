import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFixtureServer, type FixtureServer } from '@/tests/fixtures/server';
import { createTestAccount } from '@/tests/helpers/accounts';
import { api } from '@/tests/helpers/api';
import { createTestDatabase } from '@/tests/helpers/database';
import { startTestWorker, waitFor } from '@/tests/helpers/worker';
import type { RunningWorker } from '@/workers/worker';

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let fixture: FixtureServer;
let worker: RunningWorker;

beforeAll(async () => {
  database = await createTestDatabase();
  fixture = await startFixtureServer();
  worker = await startTestWorker(database.url);
});

afterAll(async () => {
  await worker?.stop();
  await fixture?.close();
  await database?.close();
});

async function waitForStatus(id: string, key: string, statuses: string[]) {
  return waitFor(async () => {
    const { body } = await api('GET', `/api/v1/jobs/${id}`, { key });
    return statuses.includes(body.status) ? body : undefined;
  }, { what: `job ${id} to reach ${statuses.join('/')}` });
}

async function logMessages(id: string, key: string): Promise<string[]> {
  const { body } = await api('GET', `/api/v1/jobs/${id}/logs`, { key });
  return body.data.map((entry: { message: string }) => entry.message);
}

describe('a job from submission to result', () => {
  it('runs an HTTP job end to end and charges 1 credit', async () => {
    const { secret } = await createTestAccount(database.db, { credits: 10 });
    const submitted = await api('POST', '/api/v1/jobs', { key: secret, body: { url: `${fixture.url}/page` } });
    expect(submitted.status).toBe(202);
    expect(submitted.headers.get('location')).toBe(`/api/v1/jobs/${submitted.body.id}`);
    expect(submitted.body).toMatchObject({ status: 'queued', engine: 'http', credits: 1, attempts: 0, maxAttempts: 3 });

    const job = await waitForStatus(submitted.body.id, secret, ['completed', 'failed']);
    expect(job.status).toBe('completed');
    expect(job.credits).toBe(1);
    expect(job.durationMs).toBeGreaterThanOrEqual(0);
    expect(job.result).toMatchObject({ format: 'html', contentType: expect.stringContaining('text/html') });
    expect(job.attemptHistory).toEqual([expect.objectContaining({ attempt: 1, outcome: 'completed', error: null })]);

    const result = await api('GET', `/api/v1/jobs/${job.id}/result`, { key: secret });
    expect(result.status).toBe(200);
    expect(result.body).toContain('<title>');
    expect(result.headers.get('content-disposition')).toContain(`scrapifie-${job.id.slice(0, 8)}-html.html`);

    const messages = await logMessages(job.id, secret);
    expect(messages).toEqual(
      expect.arrayContaining(['Job queued', 'Worker picked up job', 'Engine: HTTP', 'Job completed successfully', 'Credits charged: 1']),
    );
    expect(messages.indexOf('Job queued')).toBeLessThan(messages.indexOf('Worker picked up job'));
    expect(messages.at(-1)).toBe('Credits charged: 1');
  });
});
