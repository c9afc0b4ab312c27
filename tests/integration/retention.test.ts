import { describe, expect, it } from 'vitest';
import { retentionQueue } from '@/lib/queue';
import { runRetentionPurge } from '@/lib/server/retention';
import { getProducerBoss } from '@/lib/server/queue';
import { createTestAccount } from '@/tests/helpers/accounts';
import { runAdmin } from '@/tests/helpers/admin';
import { api } from '@/tests/helpers/api';
import { useJobsEnvironment } from '@/tests/helpers/environment';
import { waitFor } from '@/tests/helpers/worker';

// Data retention (spec section 11) on real jobs whose timestamps are moved into the past.

const env = useJobsEnvironment();

async function finishedJob(secret: string, body: Record<string, unknown>) {
  const { body: job } = await api('POST', '/api/v1/jobs', { key: secret, body: { url: `${env.fixture.url}/page`, ...body } });
  return waitFor(async () => {
    const { body: now } = await api('GET', `/api/v1/jobs/${job.id}`, { key: secret });
    return now.status === 'completed' ? now : undefined;
  }, { what: `job ${job.id} to complete`, timeoutMs: 30_000 });
}

/** Moves a job's creation, and the storing of its result and screenshot, back in time. */
async function age(id: string, { job, result, screenshot }: { job: number; result: number; screenshot?: number }) {
  await env.database.client`UPDATE jobs SET created_at = now() - make_interval(days => ${job}) WHERE id = ${id}`;
  await env.database.client`UPDATE job_results SET created_at = now() - make_interval(days => ${result}) WHERE job_id = ${id} AND kind = 'content'`;
  if (screenshot !== undefined) {
    await env.database.client`UPDATE job_results SET created_at = now() - make_interval(days => ${screenshot}) WHERE job_id = ${id} AND kind = 'screenshot'`;
  }
}

describe('the retention purge', () => {
  it('purges old logs, results and screenshots but never the job, and shows the spec messages and notices', async () => {
    const { secret } = await createTestAccount(env.database.db, { credits: 20 });
    const old = await finishedJob(secret, { engine: 'browser', screenshot: true });
    const soon = await finishedJob(secret, { engine: 'browser', screenshot: true });
    const fresh = await finishedJob(secret, {});
    await age(old.id, { job: 91, result: 31, screenshot: 15 });
    await age(soon.id, { job: 25, result: 25, screenshot: 12 });
    const [{ n: oldLogs }] = await env.database.client`SELECT count(*)::int AS n FROM job_logs WHERE job_id = ${old.id}`;

    // The operator command runs one purge now and prints its figures.
    const run = await runAdmin(env.database.url, ['purge-now']);
    expect(run).toMatchObject({
      trigger: 'manual',
      logsDays: 90,
      resultsDays: 30,
      screenshotsDays: 14,
      resultsMarked: 1,
      screenshotsMarked: 1,
      logsJobsMarked: 1,
      resultsPurged: 1,
      resultsBytes: old.result.size,
      screenshotsPurged: 1,
      screenshotsBytes: old.screenshot.size,
      logsPurged: oldLogs,
      error: null,
    });
    expect(run.logsBytes).toBeGreaterThan(0);
    expect(Date.parse(run.finishedAt)).toBeGreaterThanOrEqual(Date.parse(run.startedAt));

    // The job itself stays, with everything but the purged data.
    const purged = (await api('GET', `/api/v1/jobs/${old.id}`, { key: secret })).body;
    expect(purged).toMatchObject({ id: old.id, status: 'completed', url: old.url, credits: 5, screenshot: null, result: { purged: true } });
    expect(purged.retention).toMatchObject({
      resultPurged: true,
      screenshotPurged: true,
      logsPurged: true,
      notices: {
        result: 'Result data is no longer available for jobs older than 30 days. Download results promptly after job completion.',
        screenshot: 'Screenshots are retained for 14 days. This screenshot is no longer available.',
        logs: 'Logs are no longer available for jobs older than 90 days',
      },
    });
    const logs = await api('GET', `/api/v1/jobs/${old.id}/logs`, { key: secret });
    expect(logs.body).toEqual({ data: [], total: 0, purged: true, message: 'Logs are no longer available for jobs older than 90 days' });
    const result = await api('GET', `/api/v1/jobs/${old.id}/result`, { key: secret });
    expect(result.status).toBe(410);
    expect(result.body.error.message).toBe(purged.retention.notices.result);
    const screenshot = await api('GET', `/api/v1/jobs/${old.id}/screenshot`, { key: secret });
    expect(screenshot.body.error.message).toBe(purged.retention.notices.screenshot);
    const [rows] = await env.database.client`
      SELECT (SELECT count(*)::int FROM job_logs WHERE job_id = ${old.id}) AS logs,
             (SELECT count(*)::int FROM job_results WHERE job_id = ${old.id} AND content IS NOT NULL) AS stored,
             (SELECT count(*)::int FROM job_results WHERE job_id = ${old.id}) AS described`;
    expect(rows).toEqual({ logs: 0, stored: 0, described: 2 });

    // Advance notices: results under 7 days left, screenshots under 3; logs get none.
    const warned = (await api('GET', `/api/v1/jobs/${soon.id}`, { key: secret })).body;
    expect(warned.retention).toMatchObject({
      resultPurged: false,
      screenshotPurged: false,
      logsPurged: false,
      notices: {
        result: 'Result data will be deleted in 5 days. Download now to preserve it.',
        screenshot: 'Screenshot will be deleted in 2 days. Download now to preserve it.',
        logs: null,
      },
    });
    expect(Date.parse(warned.retention.logsExpireAt) - Date.parse(warned.createdAt)).toBe(90 * 86_400_000);
    expect((await api('GET', `/api/v1/jobs/${soon.id}/result`, { key: secret })).status).toBe(200);
    const untouched = (await api('GET', `/api/v1/jobs/${fresh.id}`, { key: secret })).body.retention;
    expect(untouched).toMatchObject({ screenshotExpiresAt: null, notices: { result: null, screenshot: null, logs: null } });

    // A second run finds nothing new; the operator sees both runs, newest first.
    const second = await runRetentionPurge(env.database.db, {
      settings: { logsDays: 90, resultsDays: 30, screenshotsDays: 14, eventsDays: 30 },
      batchSize: 1000,
      trigger: 'manual',
    });
    expect(second).toMatchObject({ resultsMarked: 0, resultsPurged: 0, logsPurged: 0 });
    const stats = await runAdmin(env.database.url, ['purge-stats', '--limit', '2']);
    expect(stats.map((r: any) => [r.id, r.resultsBytes])).toEqual([
      [second.id, 0],
      [run.id, old.result.size],
    ]);
  });

  it('deletes in batches, with configurable periods, including what deleted jobs left', async () => {
    const { secret } = await createTestAccount(env.database.db, { credits: 20 });
    const jobs = [await finishedJob(secret, {}), await finishedJob(secret, {}), await finishedJob(secret, {})];
    for (const job of jobs.slice(0, 2)) await age(job.id, { job: 3, result: 3 });
    await api('DELETE', `/api/v1/jobs/${jobs[2].id}`, { key: secret });

    // The purge is global: earlier tests' jobs count too, so expectations come from the table.
    const [before] = await env.database.client`
      SELECT count(*) FILTER (WHERE purged_at IS NULL AND created_at < now() - interval '2 days')::int AS due,
             count(*) FILTER (WHERE purged_at IS NOT NULL AND content IS NOT NULL)::int AS pending
      FROM job_results WHERE kind = 'content'`;
    expect(before.due).toBeGreaterThanOrEqual(2);
    expect(before.pending).toBeGreaterThanOrEqual(1); // the deleted job's result, marked when it was deleted

    const run = await runRetentionPurge(env.database.db, {
      settings: { logsDays: 2, resultsDays: 2, screenshotsDays: 2, eventsDays: 30 },
      batchSize: 1,
      trigger: 'manual',
    });
    expect(run).toMatchObject({ resultsDays: 2, resultsMarked: before.due, resultsPurged: before.due + before.pending });
    const [left] = await env.database.client`
      SELECT (SELECT count(*)::int FROM job_results WHERE job_id = ANY(${jobs.map((j) => j.id)}) AND content IS NOT NULL) AS results,
             (SELECT count(*)::int FROM job_logs WHERE job_id = ANY(${jobs.map((j) => j.id)})) AS logs`;
    expect(left).toEqual({ results: 0, logs: 0 });
  });
});

describe('the webhook event log and delivery history', () => {
  it('are kept RETENTION_EVENTS_DAYS: older events and settled deliveries go, a delivery still being retried stays', async () => {
    const { account, secret } = await createTestAccount(env.database.db, { credits: 5 });
    const sql = env.database.client;
    const event = (days: number) => sql`
      INSERT INTO webhook_event_log (id, account_id, type, created_at, payload)
      VALUES (gen_random_uuid(), ${account.id}, 'job.completed', now() - make_interval(days => ${days}), '{}') RETURNING sequence`;
    await event(31);
    const [recent] = await event(29);
    const delivery = (days: number, status: string) => sql`
      INSERT INTO webhook_deliveries (account_id, event_id, event, url, payload, status, attempts, created_at)
      VALUES (${account.id}, gen_random_uuid(), 'job.completed', 'https://example.com/h', '{}', ${status}, 1, now() - make_interval(days => ${days}))
      RETURNING id`;
    const [[settled], [retrying], [young]] = [await delivery(40, 'failed'), await delivery(40, 'pending'), await delivery(10, 'succeeded')];
    await sql`INSERT INTO webhook_delivery_attempts (delivery_id, attempt, started_at, response_status) VALUES (${settled.id}, 1, now() - interval '40 days', 500)`;

    const run = await runRetentionPurge(env.database.db, {
      settings: { logsDays: 90, resultsDays: 30, screenshotsDays: 14, eventsDays: 30 },
      batchSize: 1,
      trigger: 'manual',
    });
    expect(run).toMatchObject({ eventsDays: 30, eventsPurged: 1, deliveriesPurged: 1 });
    const listed = await api('GET', '/api/v1/events', { key: secret });
    expect(listed.body.data).toHaveLength(1);
    const kept = await sql`SELECT sequence FROM webhook_event_log WHERE account_id = ${account.id}`;
    expect(kept.map((e) => e.sequence)).toEqual([recent.sequence]);
    const left = await sql`SELECT id FROM webhook_deliveries WHERE account_id = ${account.id} ORDER BY created_at`;
    expect(left.map((d) => d.id).sort()).toEqual([retrying.id, young.id].sort());
    const overview = await runAdmin(env.database.url, ['purge-stats', '--limit', '1']);
    expect(overview[0]).toMatchObject({ id: run.id, eventsPurged: 1, deliveriesPurged: 1 });
  });
});

describe('the daily schedule', () => {
  it('is registered by the workers on pg-boss, and a delivery of it runs a purge', async () => {
    const boss = await getProducerBoss();
    const schedules = await boss.getSchedules(retentionQueue.name);
    expect(schedules).toEqual([expect.objectContaining({ name: 'retention-purge', cron: '0 3 * * *' })]);

    await boss.send(retentionQueue.name, {});
    const run = await waitFor(async () => {
      const [row] = await env.database.client`SELECT * FROM purge_runs WHERE trigger = 'schedule' AND finished_at IS NOT NULL`;
      return row;
    }, { what: 'a scheduled purge run', timeoutMs: 40_000 });
    expect(run.error).toBeNull();
  });
});
