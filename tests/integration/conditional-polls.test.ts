import { describe, expect, it, vi } from 'vitest';
import { appendLogs } from '@/db/queries/logs';
import { createTestAccount } from '@/tests/helpers/accounts';
import { api, waitForStatus } from '@/tests/helpers/api';
import { useJobsEnvironment } from '@/tests/helpers/environment';

vi.mock('@/lib/server/session', () => import('@/tests/helpers/session'));

// Issue 12: a job page polls its job and its log; a poll that sends back the ETag of the reply it
// has gets a 304 with no body while nothing changed, and the new reply as soon as anything did.

const env = useJobsEnvironment();

async function poll(path: string, auth: { key?: string; session?: string }, etag?: string | null) {
  return api('GET', path, { ...auth, headers: etag ? { 'If-None-Match': etag } : {} });
}

describe('conditional polls of a job', () => {
  it('answer 304 while nothing changed and the new reply once the job changed', async () => {
    const { secret, account } = await createTestAccount(env.database.db, { credits: 10 });
    const submitted = await api('POST', '/api/v1/jobs', { key: secret, body: { url: `${env.fixture.url}/blocked` } });
    const failed = await waitForStatus(submitted.body.id, secret, ['failed']);
    const path = `/api/v1/jobs/${failed.id}`;

    const first = await poll(path, { key: secret });
    expect(first.status).toBe(200);
    const etag = first.headers.get('etag');
    expect(etag).toMatch(/^"[\w-]+"$/);
    expect(first.headers.get('cache-control')).toBe('private, no-cache');

    const again = await poll(path, { key: secret }, etag);
    expect(again.status).toBe(304);
    expect(again.body).toBe('');
    expect(again.headers.get('etag')).toBe(etag);

    // The dashboard's masked reply is another representation with its own tag.
    const masked = await poll(path, { session: account.id }, etag);
    expect(masked.status).toBe(200);
    expect(masked.headers.get('etag')).not.toBe(etag);
    expect((await poll(path, { session: account.id }, masked.headers.get('etag'))).status).toBe(304);

    // A retry gives the job a child: the same tag now gets the new reply.
    const retry = await api('POST', `/api/v1/jobs/${failed.id}/retry`, { key: secret });
    expect(retry.status).toBe(201);
    const changed = await poll(path, { key: secret }, etag);
    expect(changed.status).toBe(200);
    expect(changed.body.childJobIds).toEqual([retry.body.id]);
    expect(changed.headers.get('etag')).not.toBe(etag);

    // Ownership is checked before the tag: another account and a deleted job never get a 304.
    const other = await createTestAccount(env.database.db, { credits: 1 });
    expect((await poll(path, { key: other.secret }, changed.headers.get('etag'))).status).toBe(403);
    await waitForStatus(retry.body.id, secret, ['failed']);
    expect((await api('DELETE', path, { key: secret })).status).toBe(200);
    expect((await poll(path, { key: secret }, changed.headers.get('etag'))).status).toBe(410);
  });

  it('answer 304 on the log while no entry was added, and the new entry once one was', async () => {
    const { secret } = await createTestAccount(env.database.db, { credits: 10 });
    const submitted = await api('POST', '/api/v1/jobs', { key: secret, body: { url: `${env.fixture.url}/page` } });
    const job = await waitForStatus(submitted.body.id, secret, ['completed']);
    const all = await poll(`/api/v1/jobs/${job.id}/logs`, { key: secret });
    const last = all.body.data.at(-1).seq as number;
    const path = `/api/v1/jobs/${job.id}/logs?after=${last}`;

    const first = await poll(path, { key: secret });
    expect(first.body).toMatchObject({ data: [], purged: false });
    const etag = first.headers.get('etag');
    expect(etag).not.toBeNull();
    expect((await poll(path, { key: secret }, etag)).status).toBe(304);

    await appendLogs(env.database.db, job.id, [{ level: 'INFO', message: 'A late note', timestamp: new Date() }]);
    const changed = await poll(path, { key: secret }, etag);
    expect(changed.status).toBe(200);
    expect(changed.body.data.map((entry: { message: string }) => entry.message)).toEqual(['A late note']);
  });
});
