import { describe, expect, it } from 'vitest';
import { localToday } from '@/lib/date-ranges';
import { createTestAccount } from '@/tests/helpers/accounts';
import { api } from '@/tests/helpers/api';
import { useJobsEnvironment } from '@/tests/helpers/environment';
import { waitFor } from '@/tests/helpers/worker';

const env = useJobsEnvironment();

const dayMs = 86_400_000;
/** The viewer's date of an instant, for a `tz` as Date#getTimezoneOffset gives it. */
const localDate = (at: number, tz: number) => new Date(at - tz * 60_000).toISOString().slice(0, 10);

describe('GET /api/v1/stats', () => {
  it('counts cards over 30 local days, charts jobs per day by status, and lists the recent jobs', async () => {
    const { account, key, secret } = await createTestAccount(env.database.db, { credits: 20 });
    const submit = async (path: string) => (await api('POST', '/api/v1/jobs', { key: secret, body: { url: `${env.fixture.url}${path}` } })).body.id;
    const done = [await submit('/page'), await submit('/page'), await submit('/status/404')];
    await waitFor(async () => {
      const { body } = await api('GET', '/api/v1/jobs?status=active', { key: secret });
      return body.total === 0;
    }, { what: 'the jobs to finish' });
    const running = await submit('/slow?ms=10000');
    await waitFor(async () => (await api('GET', `/api/v1/jobs/${running}`, { key: secret })).body.status === 'processing', { what: 'processing' });

    // History the worker did not run: 3 and 12 days ago, one 40 days ago (outside the window),
    // and a job still waiting in the queue.
    const insert = (status: string, daysAgo: number, durationMs: number | null) => env.database.client`
      INSERT INTO jobs (id, account_id, api_key_id, url, engine, config, status, max_attempts, credit_cost, credits_charged, created_at, duration_ms)
      VALUES (gen_random_uuid(), ${account.id}, ${key.id}, 'https://example.com/h', 'http', '{}'::jsonb, ${status}, 3, 1, 0,
              now() - make_interval(days => ${daysAgo}), ${durationMs})
      RETURNING created_at`;
    const [threeDays] = await insert('completed', 3, 400);
    const [twelveDays] = await insert('failed', 12, 800);
    await insert('cancelled', 12, null);
    await insert('completed', 40, 100);
    await insert('queued', 0, null);
    // A deleted job counts nowhere.
    await api('DELETE', `/api/v1/jobs/${done[0]}`, { key: secret });

    const tz = 300;
    const reply = await api('GET', `/api/v1/stats?tz=${tz}`, { key: secret });
    expect(reply.status).toBe(200);
    const stats = reply.body;
    const finished = await Promise.all(done.slice(1).map(async (id) => (await api('GET', `/api/v1/jobs/${id}`, { key: secret })).body));
    const durations = [...finished.map((job) => job.durationMs), 400, 800];
    expect(stats).toMatchObject({
      totalJobs: 8,
      activeNow: 2,
      queued: 1,
      processing: 1,
      completed30d: 2,
      failed30d: 2,
      creditsUsed30d: 3, // the ledger's charges for the three finished jobs, the deleted one's included: they were spent
      successRate30d: 0.5,
      avgDurationMs30d: Math.round(durations.reduce((a, b) => a + b, 0) / durations.length),
    });

    expect(stats.perDay).toHaveLength(30);
    expect(stats.perDay.at(-1).date).toBe(localToday(tz));
    expect(stats.perDay[0].date).toBe(localDate(Date.now() - 29 * dayMs, tz));
    const on = (date: string) => stats.perDay.find((day: any) => day.date === date);
    expect(on(localToday(tz))).toEqual({ date: localToday(tz), completed: 1, failed: 1, cancelled: 0, expired: 0, queued: 1, processing: 1 });
    expect(on(localDate(Date.parse(threeDays.created_at), tz))).toMatchObject({ completed: 1, failed: 0 });
    expect(on(localDate(Date.parse(twelveDays.created_at), tz))).toMatchObject({ failed: 1, cancelled: 1 });
    const chartTotal = stats.perDay.reduce((n: number, day: any) => n + day.completed + day.failed + day.cancelled + day.expired + day.queued + day.processing, 0);
    expect(chartTotal).toBe(7); // all but the 40-day-old job

    expect(stats.recent).toHaveLength(8);
    expect(stats.recent[0]).toMatchObject({ status: 'queued', url: 'https://example.com/h' });
    expect(stats.recent.map((job: any) => job.id)).not.toContain(done[0]);
    const times = stats.recent.map((job: any) => Date.parse(job.createdAt));
    expect([...times].sort((a, b) => b - a)).toEqual(times);

    const bad = await api('GET', '/api/v1/stats?tz=east', { key: secret });
    expect(bad.status).toBe(400);
    await api('POST', `/api/v1/jobs/${running}/cancel`, { key: secret });
  });

  it('answers an account with no jobs with zeros and nulls', async () => {
    const { secret } = await createTestAccount(env.database.db);
    const { body } = await api('GET', '/api/v1/stats', { key: secret });
    expect(body).toMatchObject({ totalJobs: 0, activeNow: 0, completed30d: 0, creditsUsed30d: 0, successRate30d: null, avgDurationMs30d: null, recent: [] });
    expect(body.perDay.every((day: any) => day.completed + day.failed + day.queued === 0)).toBe(true);
  });
});
