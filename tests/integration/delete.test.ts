import { describe, expect, it, vi } from 'vitest';
import { createAccount } from '@/lib/server/accounts';
import { createTestAccount } from '@/tests/helpers/accounts';
import { api, waitForStatus } from '@/tests/helpers/api';
import { useJobsEnvironment } from '@/tests/helpers/environment';
import { waitFor } from '@/tests/helpers/worker';

vi.mock('@/lib/server/session', () => import('@/tests/helpers/session'));

const env = useJobsEnvironment();

async function submit(secret: string, path: string, extra: Record<string, unknown> = {}) {
  const reply = await api('POST', '/api/v1/jobs', { key: secret, body: { url: `${env.fixture.url}${path}`, ...extra } });
  expect(reply.status).toBe(202);
  return reply.body.id as string;
}

const finished = ['completed', 'failed', 'cancelled', 'expired'];

describe('deleting a job', () => {
  it('takes it out of lists, counts, stats and exports, says it was deleted, and keeps its charge', async () => {
    const { secret } = await createTestAccount(env.database.db, { credits: 10 });
    const kept = await submit(secret, '/page');
    const doomed = await submit(secret, '/page');
    await waitForStatus(kept, secret, finished);
    await waitForStatus(doomed, secret, finished);
    const storageBefore = (await api('GET', '/api/v1/storage', { key: secret })).body;
    expect(storageBefore.resultsBytes).toBeGreaterThan(0);
    expect(storageBefore.logsBytes).toBeGreaterThan(0);

    const reply = await api('DELETE', `/api/v1/jobs/${doomed}`, { key: secret });
    expect(reply.status).toBe(200);
    expect(reply.body).toEqual({ id: doomed, status: 'completed', deletedAt: expect.any(String) });

    for (const path of ['', '/logs', '/result']) {
      const gone = await api('GET', `/api/v1/jobs/${doomed}${path}`, { key: secret });
      expect(gone.status).toBe(410);
      expect(gone.body.error).toMatchObject({ code: 'gone', message: 'This job was deleted.' });
    }
    expect((await api('DELETE', `/api/v1/jobs/${doomed}`, { key: secret })).status).toBe(410);
    expect((await api('POST', `/api/v1/jobs/${doomed}/retry`, { key: secret })).status).toBe(410);
    const stranger = await createTestAccount(env.database.db);
    expect((await api('DELETE', `/api/v1/jobs/${kept}`, { key: stranger.secret })).status).toBe(403);

    const list = await api('GET', '/api/v1/jobs', { key: secret });
    expect(list.body.data.map((job: any) => job.id)).toEqual([kept]);
    expect(list.body.total).toBe(1);
    expect((await api('GET', '/api/v1/jobs/counts', { key: secret })).body.status).toEqual({ completed: 1 });
    expect((await api('GET', '/api/v1/stats', { key: secret })).body).toMatchObject({ totalJobs: 1, completed30d: 1 });
    const exported = await api('GET', '/api/v1/jobs/export?format=json', { key: secret });
    expect(exported.body.map((row: any) => row.jobId)).toEqual([kept]);

    const credits = await api('GET', '/api/v1/credits', { key: secret });
    expect(credits.body.balance).toBe(8);
    const charge = credits.body.ledger.data.find((row: any) => row.jobId === doomed);
    expect(charge).toMatchObject({ amount: -1, reason: 'job_charge', job: { deleted: true } });

    // Its stored data no longer counts: it is marked for the purge's next batch.
    const storageAfter = (await api('GET', '/api/v1/storage', { key: secret })).body;
    expect(storageAfter.resultsBytes).toBe(storageBefore.resultsBytes / 2);
    expect(storageAfter.logsBytes).toBeLessThan(storageBefore.logsBytes);
    expect(storageAfter.totalBytes).toBe(storageAfter.resultsBytes + storageAfter.screenshotsBytes + storageAfter.logsBytes);
    const [row] = await env.database.client`SELECT deleted_at IS NOT NULL AS deleted, logs_purged_at IS NOT NULL AS logs FROM jobs WHERE id = ${doomed}`;
    expect(row).toEqual({ deleted: true, logs: true });
  });

  it('cancels an active job first, uncharged', async () => {
    const { secret } = await createTestAccount(env.database.db, { credits: 10 });
    const id = await submit(secret, '/slow?ms=5000');
    await waitForStatus(id, secret, ['processing']);
    const reply = await api('DELETE', `/api/v1/jobs/${id}`, { key: secret });
    expect(reply.status).toBe(200);
    expect(reply.body.status).toBe('cancelled');
    const [job] = await env.database.client`SELECT status, credits_charged, deleted_at IS NOT NULL AS deleted FROM jobs WHERE id = ${id}`;
    expect(job).toEqual({ status: 'cancelled', credits_charged: 0, deleted: true });
    const [balance] = await env.database.client`SELECT credits, reserved_credits FROM accounts a JOIN jobs j ON j.account_id = a.id WHERE j.id = ${id}`;
    expect(balance).toEqual({ credits: 10, reserved_credits: 0 });
  });
});

describe('deleting every job matching a filter', () => {
  it('counts them for the confirmation, then deletes exactly those, cancelling active ones', async () => {
    const { secret } = await createTestAccount(env.database.db, { credits: 50 });
    const failed = [await submit(secret, '/status/404'), await submit(secret, '/blocked')];
    const completed = [await submit(secret, '/page'), await submit(secret, '/json')];
    for (const id of [...failed, ...completed]) await waitForStatus(id, secret, finished);
    const running = [await submit(secret, '/slow?ms=10000'), await submit(secret, '/slow?ms=10000')];
    await waitForStatus(running[0], secret, ['processing']);

    const dry = await api('POST', '/api/v1/jobs/delete', { key: secret, body: { status: 'failed', dryRun: true } });
    expect(dry.body).toEqual({ dryRun: true, count: 2, active: 0, cancelled: 0 });
    expect((await api('GET', '/api/v1/jobs', { key: secret })).body.total).toBe(6); // a dry run deletes nothing

    const deleted = await api('POST', '/api/v1/jobs/delete', { key: secret, body: { status: 'failed' } });
    expect(deleted.body).toEqual({ dryRun: false, count: 2, active: 0, cancelled: 0 });
    expect((await api('GET', '/api/v1/jobs?status=failed', { key: secret })).body.total).toBe(0);

    // "Active" jobs are cancelled, and deleted although they no longer match once cancelled.
    const active = await api('POST', '/api/v1/jobs/delete', { key: secret, body: { status: 'active' } });
    expect(active.body).toEqual({ dryRun: false, count: 2, active: 2, cancelled: 2 });
    for (const id of running) expect((await api('GET', `/api/v1/jobs/${id}`, { key: secret })).status).toBe(410);
    const rest = await api('GET', '/api/v1/jobs', { key: secret });
    expect(rest.body.data.map((job: any) => job.id).sort()).toEqual([...completed].sort());

    const invalid = await api('POST', '/api/v1/jobs/delete', { key: secret, body: { status: 'gone', dryRun: 'yes' } });
    expect(invalid.status).toBe(400);
    expect(invalid.body.error.details.fields.map((f: any) => f.field).sort()).toEqual(['dryRun', 'status']);
  });
});

describe('deleting an account', () => {
  it('is queued until active jobs finish, refuses new jobs meanwhile, then signs the account out for good', async () => {
    const { account, secret, email } = await createTestAccount(env.database.db, { credits: 10 });
    const active = await submit(secret, '/slow?ms=3000');
    await waitForStatus(active, secret, ['processing']);

    expect((await api('DELETE', '/api/v1/account', { key: secret })).status).toBe(403);
    const requested = await api('DELETE', '/api/v1/account', { session: account.id });
    expect(requested.status).toBe(202);
    expect(Date.parse(requested.body.deletionRequestedAt)).not.toBeNaN();
    expect((await api('DELETE', '/api/v1/account', { session: account.id })).body.deletionRequestedAt).toBe(requested.body.deletionRequestedAt);

    const refused = await api('POST', '/api/v1/jobs', { key: secret, body: { url: `${env.fixture.url}/page` } });
    expect(refused.status).toBe(403);
    expect(refused.body.error.message).toBe('This account is scheduled for deletion and cannot submit new jobs.');
    // Still there while its job runs.
    const [during] = await env.database.client`SELECT deleted_at FROM accounts WHERE id = ${account.id}`;
    expect(during.deleted_at).toBeNull();

    // Read from the table: once the job finishes, the account (and with it this key) may go at any moment.
    const job = await waitFor(async () => {
      const [row] = await env.database.client`SELECT status FROM jobs WHERE id = ${active}`;
      return finished.includes(row.status) ? row : undefined;
    }, { what: 'the active job to finish' });
    expect(job.status).toBe('completed');
    await waitFor(async () => (await api('GET', '/api/v1/account', { key: secret })).status === 401, { what: 'the account to be deleted' });
    expect((await api('GET', '/api/v1/account', { session: account.id })).status).toBe(401);
    const keys = await env.database.client`SELECT revoked_at FROM api_keys WHERE account_id = ${account.id}`;
    expect(keys.every((key) => key.revoked_at !== null)).toBe(true);
    // The row stays (soft delete) with its jobs and ledger; the email can be used again.
    const [row] = await env.database.client`SELECT deleted_at FROM accounts WHERE id = ${account.id}`;
    expect(row.deleted_at).not.toBeNull();
    const again = await createAccount(env.database.db, { email, password: 'another good password' });
    expect(again.id).not.toBe(account.id);
  });
});
