import { describe, expect, it } from 'vitest';
import * as metricsRoute from '@/app/api/metrics/route';
import { resetEnvCache } from '@/lib/env';
import { createTestAccount } from '@/tests/helpers/accounts';
import { api, waitForStatus } from '@/tests/helpers/api';
import { useJobsEnvironment } from '@/tests/helpers/environment';
import { waitFor } from '@/tests/helpers/worker';

// GET /api/metrics as an operator's Prometheus reads it: behind METRICS_TOKEN, in the text
// format, with figures that come from what really happened (jobs a real worker ran, a lease the
// sweeper recovered, a rate-limit refusal), not from counters kept in the web process.

const token = 'metrics-token-for-tests-0123456789';
process.env.METRICS_TOKEN = token;
process.env.RATE_LIMIT_CREATE_BURST = '3';
process.env.RATE_LIMIT_CREATE_PER_SECOND = '0.001';
resetEnvCache();

const env = useJobsEnvironment({}, { worker: false });

async function scrape(authorization?: string) {
  const headers: Record<string, string> = authorization ? { authorization } : {};
  const res = await metricsRoute.GET(new Request('http://localhost:3000/api/metrics', { headers }), undefined);
  return { status: res.status, type: res.headers.get('content-type') ?? '', text: await res.text() };
}

/** The value of one sample line (`name{labels} value`), or undefined. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  const want = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  for (const line of text.split('\n')) {
    const match = /^([a-z_]+)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const have = (match[2] ?? '').split(',').filter(Boolean);
    if (want.every((pair) => have.includes(pair)) && have.length === want.length) return Number(match[3]);
  }
  return undefined;
}

describe('GET /api/metrics', () => {
  it('refuses a caller without the token, and an API key', async () => {
    const { secret } = await createTestAccount(env.database.db);
    expect((await scrape()).status).toBe(401);
    expect((await scrape(`Bearer ${secret}`)).status).toBe(401);
    expect((await scrape('Bearer wrong-token-wrong-token')).status).toBe(401);
  });

  it('reports queue, outcomes, attempt durations, retries, recoveries, refusals and heartbeats from the database', async () => {
    const { secret } = await createTestAccount(env.database.db, { credits: 100 });
    const submit = async (url: string) => (await api('POST', '/api/v1/jobs', { key: secret, body: { url } })).body;
    const completed = await submit(`${env.fixture.url}/page`);
    const retried = await submit(`${env.fixture.url}/flaky?fail=1&key=metrics`);
    const lost = await submit(`${env.fixture.url}/page?lost=1`);
    // The fourth submit is past the burst of 3.
    expect((await api('POST', '/api/v1/jobs', { key: secret, body: { url: `${env.fixture.url}/page` } })).status).toBe(429);

    const before = await scrape(`Bearer ${token}`);
    expect(before.status).toBe(200);
    expect(before.type).toContain('text/plain');
    expect(before.text).toContain('# TYPE scrapifie_attempt_duration_seconds histogram');
    expect(sample(before.text, 'scrapifie_queue_depth', { engine: 'http' })).toBe(3);
    expect(sample(before.text, 'scrapifie_queue_oldest_wait_seconds', { engine: 'http' })).toBeGreaterThanOrEqual(0);
    expect(sample(before.text, 'scrapifie_rate_limit_refusals_total', { limit: 'create' })).toBe(1);

    // A worker that died holding `lost`: processing, its lease lapsed, its attempt still running.
    await env.database.client`
      UPDATE jobs SET status = 'processing', attempts = 1, started_at = now(), worker_id = 'gone-worker', lease_expires_at = now() - interval '1 second'
      WHERE id = ${lost.id}`;
    await env.database.client`INSERT INTO job_attempts (job_id, attempt, started_at, outcome) VALUES (${lost.id}, 1, now(), 'running')`;
    await env.startWorker();
    for (const job of [completed, retried, lost]) await waitForStatus(job.id, secret, ['completed']);

    // The snapshot is cached for a few seconds: wait for one taken after the jobs finished.
    const final = await waitFor(async () => {
      const reply = await scrape(`Bearer ${token}`);
      return sample(reply.text, 'scrapifie_jobs_finished_total', { engine: 'http', outcome: 'completed' }) === 3 ? reply : undefined;
    }, { what: 'the finished jobs in the metrics', timeoutMs: 20_000 });
    const text = final.text;
    expect(sample(text, 'scrapifie_queue_depth', { engine: 'http' })).toBe(0);
    expect(sample(text, 'scrapifie_jobs_finished_total', { engine: 'http', outcome: 'failed' })).toBe(0);
    expect(sample(text, 'scrapifie_attempt_retries_total', { engine: 'http' })).toBe(1);
    expect(sample(text, 'scrapifie_lease_recoveries_total', { engine: 'http' })).toBe(1);
    // Three jobs completed; besides, one attempt was retried and one lost with its worker.
    const count = (outcome: string) => sample(text, 'scrapifie_attempt_duration_seconds_count', { engine: 'http', outcome }) ?? 0;
    expect(count('completed')).toBe(3);
    expect(count('retrying')).toBe(1);
    expect(count('lost')).toBe(1);
    expect(sample(text, 'scrapifie_attempt_duration_seconds_bucket', { engine: 'http', outcome: 'completed', le: '+Inf' })).toBe(3);
    expect(text).toMatch(new RegExp(`scrapifie_worker_heartbeat_age_seconds\\{worker="${env.worker!.id}",hostname="[^"]+"\\} [0-9.]+`));
    expect(sample(text, 'scrapifie_rate_limit_refusals_total', { limit: 'create' })).toBe(1);
  });
});
