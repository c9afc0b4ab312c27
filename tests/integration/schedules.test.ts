import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { scheduleListSchema, scheduleRunListSchema, scheduleSchema } from '@/lib/schemas/schedules';
import { triggerDueSchedules } from '@/lib/server/schedules/trigger';
import { startFixtureServer, type FixtureServer } from '@/tests/fixtures/server';
import { createTestAccount } from '@/tests/helpers/accounts';
import { api } from '@/tests/helpers/api';
import { createTestDatabase } from '@/tests/helpers/database';
import { startTestWorker } from '@/tests/helpers/worker';

vi.mock('@/lib/server/session', () => import('@/tests/helpers/session'));

// Schedules against real Postgres and the real queue. The trigger takes its clock as an argument
// (workers inject theirs), so these tests walk through simulated minutes instead of waiting.
let database: Awaited<ReturnType<typeof createTestDatabase>>;
let fixture: FixtureServer;

beforeAll(async () => {
  database = await createTestDatabase();
  fixture = await startFixtureServer();
});

afterAll(async () => {
  await fixture?.close();
  await database?.close();
});

// Every test's schedules are its own: a later test's simulated clock must not run them.
afterEach(async () => {
  await database.client`DELETE FROM schedules`;
});

const minute = 60_000;
const at = (time: string | Date, plusMs = 0) => new Date(new Date(time).getTime() + plusMs);

async function createSchedule(secret: string, body: Record<string, unknown>) {
  const created = await api('POST', '/api/v1/schedules', { key: secret, body: { name: 'Every minute', cron: '* * * * *', ...body } });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  return created.body as { id: string; nextRunAt: string };
}

async function runsOf(id: string, secret: string) {
  const { body } = await api('GET', `/api/v1/schedules/${id}/runs?size=100`, { key: secret });
  expect(scheduleRunListSchema.safeParse(body).error).toBeUndefined();
  return body.data as { scheduledFor: string; ranAt: string; outcome: string; reason: string | null; jobId: string | null; batchId: string | null }[];
}

const trigger = (now: Date) => triggerDueSchedules(database.db, { now });

describe('schedules', () => {
  it('validates the cron expression, the time zone and the target, naming the field', async () => {
    const { secret } = await createTestAccount(database.db);
    const target = { type: 'job', url: `${fixture.url}/page` };
    const fieldsOf = async (body: Record<string, unknown>) => {
      const reply = await api('POST', '/api/v1/schedules', { key: secret, body: { name: 'x', cron: '0 * * * *', target, ...body } });
      expect(reply.status).toBe(400);
      return reply.body.error.details.fields.map((f: { field: string }) => f.field);
    };
    expect(await fieldsOf({ cron: '61 * * * *' })).toEqual(['cron']);
    expect(await fieldsOf({ cron: '* * * * * *' })).toEqual(['cron']);
    expect(await fieldsOf({ timezone: 'Mars/Olympus' })).toEqual(['timezone']);
    expect(await fieldsOf({ target: { type: 'job', url: 'ftp://example.com' } })).toEqual(['target.url']);
    expect(await fieldsOf({ target: { type: 'sitemap', url: `${fixture.url}/page` } })).toEqual(['target.type']);
    expect(await fieldsOf({ target: { type: 'batch', urls: [] } })).toEqual(['target.urls']);
    expect(await fieldsOf({ overlap: 'sometimes' })).toEqual(['overlap']);
  });

  it('creates, lists, reads, edits and deletes a schedule, showing the next 5 runs in its time zone', async () => {
    const { secret, key } = await createTestAccount(database.db);
    const created = await api('POST', '/api/v1/schedules', {
      key: secret,
      body: { name: 'Mornings', cron: '30 7 * * 1-5', timezone: 'Europe/Paris', target: { type: 'job', url: `${fixture.url}/page`, format: 'markdown' } },
    });
    expect(created.status).toBe(201);
    expect(scheduleSchema.safeParse(created.body).error).toBeUndefined();
    expect(created.headers.get('location')).toBe(`/api/v1/schedules/${created.body.id}`);
    expect(created.body).toMatchObject({ name: 'Mornings', overlap: 'skip', status: 'active', apiKeyId: key.id, lastRun: null, description: expect.stringContaining('07:30') });
    expect(created.body.target).toMatchObject({ type: 'job', format: 'markdown', engine: 'http' });
    const nextRuns = created.body.nextRuns as string[];
    expect(nextRuns).toHaveLength(5);
    const paris = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Paris', hour: '2-digit', minute: '2-digit', weekday: 'short' });
    for (const time of nextRuns) {
      expect(paris.format(new Date(time))).toMatch(/^(Mon|Tue|Wed|Thu|Fri) 07:30$/);
      expect(new Date(time).getTime()).toBeGreaterThan(Date.now());
    }
    expect(nextRuns[0]).toBe(created.body.nextRunAt);

    const listed = await api('GET', '/api/v1/schedules', { key: secret });
    expect(scheduleListSchema.safeParse(listed.body).error).toBeUndefined();
    expect(listed.body.data.map((s: { id: string }) => s.id)).toEqual([created.body.id]);

    const edited = await api('PATCH', `/api/v1/schedules/${created.body.id}`, { key: secret, body: { cron: '0 */6 * * *', timezone: 'UTC', overlap: 'queue' } });
    expect(edited.status).toBe(200);
    expect(edited.body).toMatchObject({ cron: '0 */6 * * *', timezone: 'UTC', overlap: 'queue', name: 'Mornings' });
    for (const time of edited.body.nextRuns as string[]) expect(new Date(time).getUTCHours() % 6).toBe(0);
    expect((await api('PATCH', `/api/v1/schedules/${created.body.id}`, { key: secret, body: { cron: 'every day' } })).status).toBe(400);

    const other = await createTestAccount(database.db);
    expect((await api('GET', `/api/v1/schedules/${created.body.id}`, { key: other.secret })).status).toBe(403);
    expect((await api('DELETE', `/api/v1/schedules/${created.body.id}`, { key: secret })).body).toEqual({ id: created.body.id, deleted: true });
    expect((await api('GET', `/api/v1/schedules/${created.body.id}`, { key: secret })).status).toBe(404);
  });

  it('after downtime runs once to catch up, not once per missed minute, then goes on from the next time', async () => {
    const { secret } = await createTestAccount(database.db);
    const schedule = await createSchedule(secret, { overlap: 'queue', target: { type: 'job', url: `${fixture.url}/page` } });
    // The workers were down for ten minutes past its first time.
    const late = at(schedule.nextRunAt, 10 * minute + 20_000);
    expect(await trigger(late)).toBe(1);
    expect(await trigger(late)).toBe(0);
    let runs = await runsOf(schedule.id, secret);
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({ scheduledFor: schedule.nextRunAt, ranAt: late.toISOString(), outcome: 'created' });
    const { body } = await api('GET', `/api/v1/schedules/${schedule.id}`, { key: secret });
    expect(body.nextRunAt).toBe(at(schedule.nextRunAt, 11 * minute).toISOString());

    expect(await trigger(at(schedule.nextRunAt, 11 * minute + 1000))).toBe(1);
    runs = await runsOf(schedule.id, secret);
    expect(runs.map((run) => run.scheduledFor)).toEqual([at(schedule.nextRunAt, 11 * minute).toISOString(), schedule.nextRunAt]);
  });

  it('a run that fails midway leaves nothing behind: no run row, no job, the time still due', async () => {
    const { secret, account } = await createTestAccount(database.db);
    const schedule = await createSchedule(secret, { target: { type: 'job', url: `${fixture.url}/page?crash=1` } });
    // The job's insert fails inside the run's transaction, as a worker dying there would leave it.
    await database.client.unsafe(`
      CREATE FUNCTION test_refuse_job() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'worker died'; END $$;
      CREATE TRIGGER test_refuse_job BEFORE INSERT ON jobs FOR EACH ROW WHEN (NEW.url LIKE '%crash=1') EXECUTE FUNCTION test_refuse_job();`);
    const failures: string[] = [];
    try {
      expect(await triggerDueSchedules(database.db, { now: at(schedule.nextRunAt, 1000), onError: (id) => failures.push(id) })).toBe(0);
    } finally {
      await database.client.unsafe('DROP TRIGGER test_refuse_job ON jobs; DROP FUNCTION test_refuse_job();');
    }
    expect(failures).toEqual([schedule.id]);
    expect(await runsOf(schedule.id, secret)).toEqual([]);
    const [jobs] = await database.client`SELECT count(*)::int AS n FROM jobs WHERE account_id = ${account.id}`;
    expect(jobs.n).toBe(0);
    // The next pass runs it, once.
    expect(await trigger(at(schedule.nextRunAt, 2000))).toBe(1);
    expect((await runsOf(schedule.id, secret)).map((run) => [run.scheduledFor, run.outcome])).toEqual([[schedule.nextRunAt, 'created']]);
  });

  it('overlap skip records a run as skipped while the previous job is unfinished; queue starts it anyway', async () => {
    const { secret } = await createTestAccount(database.db);
    const skip = await createSchedule(secret, { target: { type: 'job', url: `${fixture.url}/page` } });
    const queue = await createSchedule(secret, { overlap: 'queue', target: { type: 'job', url: `${fixture.url}/page` } });
    // No worker runs here: each run's job stays queued until it is cancelled.
    await trigger(at(skip.nextRunAt, 1000));
    await trigger(at(skip.nextRunAt, minute + 1000));
    const [skipped, first] = await runsOf(skip.id, secret);
    expect(first).toMatchObject({ outcome: 'created', jobId: expect.any(String) });
    expect(skipped).toMatchObject({ outcome: 'skipped', jobId: null, reason: expect.stringContaining('has not finished') });
    expect((await runsOf(queue.id, secret)).map((run) => run.outcome)).toEqual(['created', 'created']);

    // Once the previous job is finished (here: cancelled), the next run starts again.
    expect((await api('POST', `/api/v1/jobs/${first.jobId}/cancel`, { key: secret })).status).toBe(200);
    await trigger(at(skip.nextRunAt, 2 * minute + 1000));
    expect((await runsOf(skip.id, secret)).map((run) => run.outcome)).toEqual(['created', 'skipped', 'created']);
  });

  it('records a run refused for credits, a revoked key or a suspended account, and creates nothing', async () => {
    const poor = await createTestAccount(database.db, { credits: 0 });
    const schedule = await createSchedule(poor.secret, { target: { type: 'job', url: `${fixture.url}/page` } });
    await trigger(at(schedule.nextRunAt, 1000));
    const [refused] = await runsOf(schedule.id, poor.secret);
    expect(refused).toMatchObject({ outcome: 'refused', jobId: null, reason: expect.stringContaining('Insufficient credits') });
    const [jobs] = await database.client`SELECT count(*)::int AS n FROM jobs WHERE account_id = ${poor.account.id}`;
    expect(jobs.n).toBe(0);
    const [balance] = await database.client`SELECT credits, reserved_credits FROM accounts WHERE id = ${poor.account.id}`;
    expect(balance).toEqual({ credits: 0, reserved_credits: 0 });

    const revoked = await createTestAccount(database.db);
    const second = await createSchedule(revoked.secret, { target: { type: 'job', url: `${fixture.url}/page` } });
    await database.client`UPDATE api_keys SET revoked_at = now() WHERE id = ${revoked.key.id}`;
    await trigger(at(second.nextRunAt, 1000));
    const [row] = await database.client`SELECT outcome, reason, job_id FROM schedule_runs WHERE schedule_id = ${second.id}`;
    expect(row).toMatchObject({ outcome: 'refused', job_id: null, reason: expect.stringContaining('has been revoked') });

    const suspended = await createTestAccount(database.db);
    const third = await createSchedule(suspended.secret, { target: { type: 'job', url: `${fixture.url}/page` } });
    await database.client`UPDATE accounts SET suspended_at = now() WHERE id = ${suspended.account.id}`;
    await trigger(at(third.nextRunAt, 1000));
    const [suspendedRun] = await database.client`SELECT outcome, reason FROM schedule_runs WHERE schedule_id = ${third.id}`;
    expect(suspendedRun).toMatchObject({ outcome: 'refused', reason: expect.stringContaining('suspended') });
  });

  it('pause stops its runs; resume starts again from the next time after now', async () => {
    const { secret } = await createTestAccount(database.db);
    const schedule = await createSchedule(secret, { target: { type: 'job', url: `${fixture.url}/page` } });
    const paused = await api('POST', `/api/v1/schedules/${schedule.id}/pause`, { key: secret });
    expect(paused.body).toMatchObject({ status: 'paused', nextRunAt: null, nextRuns: [] });
    expect(await trigger(at(schedule.nextRunAt, 5 * minute))).toBe(0);
    expect(await runsOf(schedule.id, secret)).toEqual([]);
    const resumed = await api('POST', `/api/v1/schedules/${schedule.id}/resume`, { key: secret });
    expect(resumed.body).toMatchObject({ status: 'active', pausedAt: null });
    expect(new Date(resumed.body.nextRunAt).getTime()).toBeGreaterThan(Date.now());
    expect(resumed.body.nextRuns).toHaveLength(5);
  });

  it('a batch target makes an ordinary batch; a dashboard schedule runs under the default key; jobs carry the schedule', async () => {
    const { secret, account, key } = await createTestAccount(database.db);
    const urls = [`${fixture.url}/page?n=1`, `${fixture.url}/page?n=2`];
    const batchSchedule = await createSchedule(secret, { target: { type: 'batch', urls, name: 'Nightly' } });
    const dashboard = await api('POST', '/api/v1/schedules', {
      session: account.id,
      body: { name: 'From the dashboard', cron: '* * * * *', target: { type: 'job', url: `${fixture.url}/page`, headers: { Authorization: 'Bearer secret-value' } } },
    });
    expect(dashboard.status).toBe(201);
    expect(dashboard.body.apiKeyId).toBeNull();
    // The dashboard sees the target's secrets masked, and an edit that sends them back keeps them.
    expect(dashboard.body.target.headers.Authorization).not.toContain('secret-value');
    await api('PATCH', `/api/v1/schedules/${dashboard.body.id}`, { session: account.id, body: { target: dashboard.body.target } });
    await trigger(at(batchSchedule.nextRunAt, 1000));

    const [batchRun] = await runsOf(batchSchedule.id, secret);
    expect(batchRun).toMatchObject({ outcome: 'created', jobId: null, batchId: expect.any(String) });
    const batch = await api('GET', `/api/v1/batches/${batchRun.batchId}`, { key: secret });
    expect(batch.body).toMatchObject({ name: 'Nightly', total: 2, status: 'active' });
    const batchJobs = await database.client`SELECT schedule_id, change_series, api_key_id FROM jobs WHERE batch_id = ${batchRun.batchId}`;
    expect(batchJobs).toEqual(Array(2).fill({ schedule_id: batchSchedule.id, change_series: `schedule:${batchSchedule.id}`, api_key_id: key.id }));

    const [dashboardRun] = await runsOf(dashboard.body.id, secret);
    const [job] = await database.client`SELECT schedule_id, change_series, api_key_id, config FROM jobs WHERE id = ${dashboardRun.jobId}`;
    expect(job).toMatchObject({ schedule_id: dashboard.body.id, change_series: `schedule:${dashboard.body.id}`, api_key_id: key.id });
    expect(job.config.headers).toEqual({ Authorization: 'Bearer secret-value' });
    // An ordinary job: listed, logged, its price reserved.
    const listed = await api('GET', `/api/v1/jobs/${dashboardRun.jobId}`, { key: secret });
    expect(listed.body).toMatchObject({ status: 'queued', credits: 1 });
  });

  it('with a 1-minute cron and 3 workers, fires exactly once per minute over 5 simulated minutes', async () => {
    const { secret } = await createTestAccount(database.db, { credits: 100 });
    const schedule = await createSchedule(secret, { overlap: 'queue', target: { type: 'job', url: `${fixture.url}/page` } });
    let clock = at(schedule.nextRunAt, -30_000);
    // Three real workers whose trigger loops read the simulated clock every 20 ms, racing each other.
    const workers = await Promise.all([0, 1, 2].map(() => startTestWorker(database.url, { scheduler: { intervalMs: 20, now: () => clock } })));
    try {
      // Through five minutes in 10-second steps; after each, every worker makes a pass that saw it.
      for (let step = 0; step <= 32; step += 1) {
        clock = at(schedule.nextRunAt, -30_000 + step * 10_000);
        for (let pass = 0; pass < 2; pass += 1) await Promise.all(workers.map((worker) => worker.scheduler.tick()));
      }
    } finally {
      await Promise.all(workers.map((worker) => worker.stop()));
    }
    const runs = await runsOf(schedule.id, secret);
    expect(runs.map((run) => run.scheduledFor).reverse()).toEqual([0, 1, 2, 3, 4].map((n) => at(schedule.nextRunAt, n * minute).toISOString()));
    expect(runs.every((run) => run.outcome === 'created')).toBe(true);
    const jobs = await database.client`SELECT id FROM jobs WHERE schedule_id = ${schedule.id}`;
    expect(jobs).toHaveLength(5);
    expect(new Set(runs.map((run) => run.jobId))).toEqual(new Set(jobs.map((job) => job.id)));
  });
});
