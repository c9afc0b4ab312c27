import { describe, expect, it, vi } from 'vitest';
import { openApiDocument } from '@/lib/openapi/document';
import { grantCreditsAsOperator, setAdmin } from '@/lib/server/admin/operator';
import { createTestAccount } from '@/tests/helpers/accounts';
import { auditEntries, createTestAdmin, runAdmin } from '@/tests/helpers/admin';
import { api, waitForStatus } from '@/tests/helpers/api';
import { useJobsEnvironment } from '@/tests/helpers/environment';

vi.mock('@/lib/server/session', () => import('@/tests/helpers/session'));

// One HTTP slot, so slow jobs keep the worker busy and later ones stay queued.
const env = useJobsEnvironment({ WORKER_CONCURRENCY_HTTP: 1 });

type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';
const finished = ['completed', 'failed', 'cancelled', 'expired'];

async function submit(secret: string, path: string) {
  const reply = await api('POST', '/api/v1/jobs', { key: secret, body: { url: `${env.fixture.url}${path}` } });
  expect(reply.status).toBe(202);
  return reply.body.id as string;
}

async function jobRow(id: string) {
  const [row] = await env.database.client`SELECT status, credits_charged, parent_job_id FROM jobs WHERE id = ${id}`;
  return row;
}

async function balance(accountId: string) {
  const [row] = await env.database.client`SELECT credits, reserved_credits FROM accounts WHERE id = ${accountId}`;
  const [ledger] = await env.database.client`SELECT coalesce(sum(amount), 0)::int AS total FROM credit_ledger WHERE account_id = ${accountId}`;
  return { credits: row.credits as number, reserved: row.reserved_credits as number, ledgerTotal: ledger.total as number };
}

/** Every documented admin operation, from the OpenAPI document (which the openapi test checks against the route files). */
function adminOperations(): [Method, string][] {
  const paths = openApiDocument().paths as Record<string, Record<string, unknown>>;
  return Object.entries(paths)
    .filter(([template]) => template.startsWith('/api/v1/admin/'))
    .flatMap(([template, item]) => Object.keys(item).map((method) => [method.toUpperCase() as Method, template] as [Method, string]));
}

describe('the admin role boundary', () => {
  it('refuses every admin route to a normal user, to API keys (even an admin’s) and to the signed-out', async () => {
    const user = await createTestAccount(env.database.db);
    const admin = await createTestAdmin(env.database.db);
    const operations = adminOperations();
    expect(operations.map(([method, template]) => `${method} ${template}`).sort()).toEqual([
      'GET /api/v1/admin/audit',
      'GET /api/v1/admin/jobs',
      'GET /api/v1/admin/overview',
      'POST /api/v1/admin/jobs/bulk',
    ]);
    for (const [method, path] of operations) {
      const body = method === 'POST' ? { action: 'cancel', filter: {} } : undefined;
      for (const caller of [{ session: user.account.id }, { key: user.secret }, { key: admin.secret }]) {
        const reply = await api(method, path, { ...caller, body });
        expect(reply.status, `${method} ${path} as ${JSON.stringify(caller)}`).toBe(403);
        expect(reply.body.error.code).toBe('forbidden');
      }
      expect((await api(method, path, { body })).status).toBe(401);
    }
    // Nothing was cancelled by those attempts.
    expect(await auditEntries(env.database.db, { action: 'jobs.bulk_cancel' })).toEqual([]);
    for (const path of ['/api/v1/admin/jobs', '/api/v1/admin/audit', '/api/v1/admin/overview']) {
      expect((await api('GET', path, { session: admin.account.id })).status).toBe(200);
    }
  });

  it('grant-admin and revoke-admin (the operator command) open and close the admin API, audited', async () => {
    const user = await createTestAccount(env.database.db);
    expect((await api('GET', '/api/v1/admin/overview', { session: user.account.id })).status).toBe(403);
    const granted = await runAdmin(env.database.url, ['grant-admin', '--email', user.email]);
    expect(granted).toEqual({ accountId: user.account.id, email: user.email, role: 'admin' });
    expect((await api('GET', '/api/v1/admin/overview', { session: user.account.id })).status).toBe(200);
    expect(await setAdmin(env.database.db, { email: user.email, admin: false })).toMatchObject({ role: 'user' });
    expect((await api('GET', '/api/v1/admin/overview', { session: user.account.id })).status).toBe(403);

    const entries = await auditEntries(env.database.db, { targetId: user.account.id });
    expect(entries.map((entry) => [entry.action, entry.actorType])).toEqual([
      ['account.grant_admin', 'operator'],
      ['account.revoke_admin', 'operator'],
    ]);
  });
});

describe('the admin jobs list', () => {
  it("lists every account's jobs with their email, filtered by account and the usual filters", async () => {
    const admin = await createTestAdmin(env.database.db);
    const alice = await createTestAccount(env.database.db);
    const bob = await createTestAccount(env.database.db);
    const aliceJob = await submit(alice.secret, '/page');
    const bobJob = await submit(bob.secret, '/page');
    await waitForStatus(aliceJob, alice.secret, finished);
    await waitForStatus(bobJob, bob.secret, finished);

    const all = await api('GET', '/api/v1/admin/jobs?size=100', { session: admin.account.id });
    expect(all.status).toBe(200);
    const ids = all.body.data.map((job: any) => job.id);
    expect(ids).toEqual(expect.arrayContaining([aliceJob, bobJob]));
    expect(all.body.data.find((job: any) => job.id === bobJob).account).toEqual({ id: bob.account.id, email: bob.email });

    const byEmail = await api('GET', `/api/v1/admin/jobs?account=${bob.email.slice(0, 9).toUpperCase()}`, { session: admin.account.id });
    expect(byEmail.body.data.map((job: any) => job.id)).toEqual([bobJob]);
    const byId = await api('GET', `/api/v1/admin/jobs?account=${alice.account.id}&status=completed`, { session: admin.account.id });
    expect(byId.body).toMatchObject({ total: 1, data: [{ id: aliceJob, account: { email: alice.email } }] });
    expect((await api('GET', '/api/v1/admin/jobs?size=7', { session: admin.account.id })).status).toBe(400);
  });
});

describe('bulk actions', () => {
  it('cancels queued and processing jobs of another account by ids, uncharged, with the ledger consistent', async () => {
    const admin = await createTestAdmin(env.database.db);
    const owner = await createTestAccount(env.database.db, { credits: 20 });
    const running = await submit(owner.secret, '/slow?ms=20000');
    await waitForStatus(running, owner.secret, ['processing']);
    const waiting = await submit(owner.secret, '/slow?ms=20000');
    const done = await submit(owner.secret, '/page');
    // The worker's one slot is busy with `running`: the other two wait.
    const statuses = await env.database.client`SELECT id, status FROM jobs WHERE id IN (${waiting}, ${done})`;
    expect(statuses.map((row) => row.status)).toEqual(['queued', 'queued']);

    const dry = await api('POST', '/api/v1/admin/jobs/bulk', { session: admin.account.id, body: { action: 'cancel', ids: [running, waiting], dryRun: true } });
    expect(dry.body).toMatchObject({ dryRun: true, matched: 2, eligible: 2, changed: 0 });
    expect((await jobRow(waiting)).status).toBe('queued');

    const reply = await api('POST', '/api/v1/admin/jobs/bulk', { session: admin.account.id, body: { action: 'cancel', ids: [running, waiting] } });
    expect(reply.status).toBe(200);
    expect(reply.body).toEqual({ action: 'cancel', dryRun: false, matched: 2, eligible: 2, changed: 2, skipped: [], skippedCount: 0 });
    expect(await jobRow(running)).toMatchObject({ status: 'cancelled', credits_charged: 0 });
    expect(await jobRow(waiting)).toMatchObject({ status: 'cancelled', credits_charged: 0 });
    const logs = await env.database.client`SELECT message FROM job_logs WHERE job_id = ${running} ORDER BY seq`;
    expect(logs.map((row) => row.message)).toContain('Cancellation requested by an administrator');

    await waitForStatus(done, owner.secret, finished);
    // Only the finished job is charged; nothing stays reserved, and the ledger adds up to the balance.
    expect(await balance(owner.account.id)).toEqual({ credits: 19, reserved: 0, ledgerTotal: 19 });

    // Again: both are finished now, so both are skipped with the reason.
    const again = await api('POST', '/api/v1/admin/jobs/bulk', { session: admin.account.id, body: { action: 'cancel', ids: [running, done] } });
    expect(again.body).toMatchObject({ matched: 2, eligible: 0, changed: 0, skippedCount: 2 });
    expect(again.body.skipped).toEqual([
      { id: running, reason: 'already cancelled' },
      { id: done, reason: 'already completed' },
    ]);

    const entries = await auditEntries(env.database.db, { targetId: running });
    expect(entries.map((entry) => [entry.action, entry.actorType, entry.actorAccountId])).toEqual([
      ['job.create', 'api_key', owner.account.id],
      ['job.cancel', 'admin', admin.account.id],
    ]);
    const [bulk] = await auditEntries(env.database.db, { action: 'jobs.bulk_cancel' });
    expect(bulk).toMatchObject({ actorType: 'admin', actorAccountId: admin.account.id, targetType: 'jobs', details: { ids: [running, waiting], matched: 2, changed: 2, skipped: 0 } });
  });

  it('cancels by filter: only the jobs the filter matches, across the accounts it names', async () => {
    const admin = await createTestAdmin(env.database.db);
    const target = await createTestAccount(env.database.db, { credits: 20 });
    const bystander = await createTestAccount(env.database.db, { credits: 20 });
    const blocker = await submit(bystander.secret, '/slow?ms=20000');
    await waitForStatus(blocker, bystander.secret, ['processing']);
    const theirs = [await submit(target.secret, '/page'), await submit(target.secret, '/page')];
    const kept = await submit(bystander.secret, '/page');

    const filter = { account: target.email, status: 'active' };
    const dry = await api('POST', '/api/v1/admin/jobs/bulk', { session: admin.account.id, body: { action: 'cancel', filter, dryRun: true } });
    expect(dry.body).toMatchObject({ matched: 2, eligible: 2, changed: 0 });
    const reply = await api('POST', '/api/v1/admin/jobs/bulk', { session: admin.account.id, body: { action: 'cancel', filter } });
    expect(reply.body).toMatchObject({ matched: 2, changed: 2, skippedCount: 0 });
    for (const id of theirs) expect((await jobRow(id)).status).toBe('cancelled');
    expect((await jobRow(kept)).status).toBe('queued');
    expect(await balance(target.account.id)).toEqual({ credits: 20, reserved: 0, ledgerTotal: 20 });

    const [bulk] = (await auditEntries(env.database.db, { action: 'jobs.bulk_cancel' })).slice(-1);
    expect(bulk.details).toMatchObject({ filter: { account: target.email, status: 'active' }, matched: 2, changed: 2 });
    await api('POST', `/api/v1/jobs/${blocker}/cancel`, { key: bystander.secret });
    await waitForStatus(kept, bystander.secret, finished);
  });

  it('retries finished jobs as new jobs charged to their owner, skips active ones, and a dry run writes nothing', async () => {
    const admin = await createTestAdmin(env.database.db);
    const owner = await createTestAccount(env.database.db, { credits: 10 });
    const first = await submit(owner.secret, '/page');
    const failed = await submit(owner.secret, '/status/404');
    await waitForStatus(first, owner.secret, finished);
    await waitForStatus(failed, owner.secret, finished);
    const active = await submit(owner.secret, '/slow?ms=20000');
    await waitForStatus(active, owner.secret, ['processing']);

    const counts = async () => {
      const [row] = await env.database.client`SELECT (SELECT count(*) FROM jobs)::int AS jobs, (SELECT count(*) FROM audit_log)::int AS audit`;
      return row;
    };
    const before = await counts();
    const dry = await api('POST', '/api/v1/admin/jobs/bulk', { session: admin.account.id, body: { action: 'retry', ids: [first, failed, active], dryRun: true } });
    expect(dry.body).toMatchObject({ dryRun: true, matched: 3, eligible: 2, changed: 0, skipped: [{ id: active, reason: 'still processing' }] });
    const byFilter = await api('POST', '/api/v1/admin/jobs/bulk', { session: admin.account.id, body: { action: 'retry', filter: { account: owner.account.id }, dryRun: true } });
    expect(byFilter.body).toMatchObject({ matched: 3, eligible: 2, changed: 0 });
    expect(await counts()).toEqual(before);

    const reply = await api('POST', '/api/v1/admin/jobs/bulk', { session: admin.account.id, body: { action: 'retry', ids: [first, failed, active] } });
    expect(reply.body).toMatchObject({ matched: 3, eligible: 2, changed: 2, skipped: [{ id: active, reason: 'still processing' }] });
    const children = await env.database.client`SELECT id, parent_job_id, account_id FROM jobs WHERE parent_job_id IN (${first}, ${failed})`;
    expect(children.map((row) => row.account_id)).toEqual([owner.account.id, owner.account.id]);
    await api('POST', `/api/v1/jobs/${active}/cancel`, { key: owner.secret });
    for (const child of children) await waitForStatus(child.id, owner.secret, finished);
    // 2 originals + 2 retries, each charged 1 credit to the owner (the cancelled one nothing).
    expect(await balance(owner.account.id)).toEqual({ credits: 6, reserved: 0, ledgerTotal: 6 });
    expect((await api('GET', `/api/v1/jobs/${first}`, { key: owner.secret })).body.childJobIds).toHaveLength(1);

    const retryEntries = await auditEntries(env.database.db, { targetId: first, action: 'job.retry' });
    expect(retryEntries).toHaveLength(1);
    expect(retryEntries[0]).toMatchObject({ actorType: 'admin', actorAccountId: admin.account.id, accountId: owner.account.id });
    expect(retryEntries[0].details).toEqual({ newJobId: children.find((row) => row.parent_job_id === first)!.id });
    expect((await auditEntries(env.database.db, { action: 'jobs.bulk_retry' })).at(-1)).toMatchObject({ details: { matched: 3, changed: 2, skipped: 1 } });
  });

  it('validates the body: ids or filter, at most 1,000 ids', async () => {
    const admin = await createTestAdmin(env.database.db);
    const bad = async (body: unknown) => (await api('POST', '/api/v1/admin/jobs/bulk', { session: admin.account.id, body })).body.error;
    expect(await bad({ action: 'cancel' })).toMatchObject({ code: 'validation_error', details: { fields: [{ field: 'ids' }] } });
    expect(await bad({ action: 'delete', ids: [admin.key.id] })).toMatchObject({ details: { fields: [{ field: 'action' }] } });
    const tooMany = Array.from({ length: 1001 }, () => crypto.randomUUID());
    expect(await bad({ action: 'cancel', ids: tooMany })).toMatchObject({ details: { fields: [{ field: 'ids', message: 'at most 1,000 ids' }] } });
    const unknown = crypto.randomUUID();
    const reply = await api('POST', '/api/v1/admin/jobs/bulk', { session: admin.account.id, body: { action: 'cancel', ids: [unknown] } });
    expect(reply.body).toMatchObject({ matched: 0, changed: 0, skipped: [{ id: unknown, reason: 'not found' }] });
  });
});

describe('the audit log', () => {
  it('records every action that changes a job, a key or credits, with who did it', async () => {
    const admin = await createTestAdmin(env.database.db);
    const user = await createTestAccount(env.database.db, { credits: 10 });
    const session = { session: user.account.id };

    // Job create (API key) and cancel (dashboard session).
    const cancelled = await submit(user.secret, '/slow?ms=20000');
    await api('POST', `/api/v1/jobs/${cancelled}/cancel`, session);
    // Retry and delete with the key; delete by filter from the session.
    const retried = await api('POST', `/api/v1/jobs/${cancelled}/retry`, { key: user.secret });
    expect(retried.status).toBe(201);
    await api('POST', `/api/v1/jobs/${retried.body.id}/cancel`, { key: user.secret });
    expect((await api('DELETE', `/api/v1/jobs/${cancelled}`, { key: user.secret })).status).toBe(200);
    const bulkDelete = await api('POST', '/api/v1/jobs/delete', { ...session, body: { status: 'cancelled' } });
    expect(bulkDelete.body.count).toBe(1);
    // Keys: create from the session, revoke it.
    const key = await api('POST', '/api/v1/keys', { ...session, body: { name: 'Audited' } });
    expect(key.status).toBe(201);
    expect((await api('DELETE', `/api/v1/keys/${key.body.id}`, session)).status).toBe(200);
    // Credits from the operator.
    await grantCreditsAsOperator(env.database.db, { accountId: user.account.id, amount: 5 });

    const reply = await api('GET', `/api/v1/admin/audit?account=${user.account.id}&size=100`, { session: admin.account.id });
    expect(reply.status).toBe(200);
    const seen = [...reply.body.data].reverse().map((entry: any) => [entry.action, entry.actor.type, entry.target.id]);
    expect(seen).toEqual([
      ['job.create', 'api_key', cancelled],
      ['job.cancel', 'user', cancelled],
      ['job.create', 'api_key', retried.body.id],
      ['job.retry', 'api_key', cancelled],
      ['job.cancel', 'api_key', retried.body.id],
      ['job.delete', 'api_key', cancelled],
      ['jobs.delete', 'user', null],
      ['key.create', 'user', key.body.id],
      ['key.revoke', 'user', key.body.id],
      ['credits.grant', 'operator', user.account.id],
    ]);
    const [grant] = reply.body.data;
    expect(grant).toMatchObject({ actor: { type: 'operator', accountId: null }, account: { id: user.account.id, email: user.email }, details: { amount: 5, balanceAfter: 15 } });
    const create = reply.body.data.at(-1);
    expect(create.actor).toEqual({ type: 'api_key', accountId: user.account.id, email: user.email, apiKeyId: user.key.id });

    // Filters: an action prefix, a target (the bulk delete lists the job it deleted), the actor type.
    const filtered = async (query: string) =>
      (await api('GET', `/api/v1/admin/audit?account=${user.email}&${query}`, { session: admin.account.id })).body.data.map((entry: any) => entry.action);
    expect(await filtered('action=key.')).toEqual(['key.revoke', 'key.create']);
    expect(await filtered('action=job.cancel')).toEqual(['job.cancel', 'job.cancel']);
    expect(await filtered(`target=${retried.body.id}`)).toEqual(['jobs.delete', 'job.cancel', 'job.create']);
    expect(await filtered('actorType=operator')).toEqual(['credits.grant']);
    expect((await api('GET', '/api/v1/admin/audit?action=DROP TABLE', { session: admin.account.id })).status).toBe(400);
  });
});

describe('the overview', () => {
  it('shows the whole queue, the workers (alive, stopped, gone), stuck jobs and purges', async () => {
    const admin = await createTestAdmin(env.database.db);
    const owner = await createTestAccount(env.database.db);
    const slow = await submit(owner.secret, '/slow?ms=20000');
    await waitForStatus(slow, owner.secret, ['processing']);
    await runAdmin(env.database.url, ['purge-now']);
    // A worker that stopped heart-beating a minute ago without saying goodbye (killed, or its host lost).
    await env.database.client`INSERT INTO workers (id, hostname, pid, engines, heartbeat_at) VALUES ('lost-1', 'lost-host', 4242, ${JSON.stringify({ http: 4, browser: 1, stealth: 1 })}::jsonb, now() - interval '1 minute')`;

    const reply = await api('GET', '/api/v1/admin/overview', { session: admin.account.id });
    expect(reply.status).toBe(200);
    expect(reply.body.queue.find((row: any) => row.engine === 'http').processing).toBe(1);
    expect(reply.body.workers).toContainEqual(expect.objectContaining({ status: 'alive', running: expect.any(Number), concurrency: expect.objectContaining({ http: 1 }) }));
    expect(reply.body.workers).toContainEqual(expect.objectContaining({ id: 'lost-1', status: 'gone', heartbeatAgeSeconds: expect.any(Number) }));
    expect(reply.body.workers.find((worker: any) => worker.id === 'lost-1').heartbeatAgeSeconds).toBeGreaterThanOrEqual(59);
    expect(reply.body.stuckJobs).toEqual({ count: 0, oldestLeaseExpiredSeconds: null });
    expect(reply.body.purges[0]).toMatchObject({ trigger: 'manual', error: null });

    // With no worker left to renew or recover it, a processing job's lease lapses: it is stuck.
    await env.worker!.stop();
    env.worker = undefined;
    await env.database.client`UPDATE jobs SET status = 'processing', lease_expires_at = now() - interval '10 seconds' WHERE id = ${slow}`;
    const stuck = await api('GET', '/api/v1/admin/overview', { session: admin.account.id });
    expect(stuck.body.stuckJobs.count).toBe(1);
    expect(stuck.body.stuckJobs.oldestLeaseExpiredSeconds).toBeGreaterThanOrEqual(10);
    expect(stuck.body.workers.filter((worker: any) => worker.status === 'alive')).toEqual([]);
    expect(stuck.body.workers).toContainEqual(expect.objectContaining({ status: 'stopped' }));
  });
});
