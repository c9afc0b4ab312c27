import { sql } from 'drizzle-orm';
import { describe, expect, it, vi } from 'vitest';
import type { Transaction } from '@/db/client';
import { backfillJobSearch, backfillNextAccount, compactJobCounts } from '@/db/queries/job-counts';
import { listJobs } from '@/db/queries/jobs';
import { createApiKey } from '@/lib/server/accounts';
import { expireStaleJobs } from '@/lib/server/jobs/expire';
import { listJobsQuerySchema, sortColumns } from '@/lib/schemas/jobs';
import { createTestAccount } from '@/tests/helpers/accounts';
import { api, waitForStatus } from '@/tests/helpers/api';
import { useJobsEnvironment } from '@/tests/helpers/environment';
import { waitFor } from '@/tests/helpers/worker';

vi.mock('@/lib/server/session', () => import('@/tests/helpers/session'));

const env = useJobsEnvironment();
const finished = ['completed', 'failed', 'cancelled', 'expired'];

type Group = Record<string, string | number>;

/** Every counter, summed from roll-up and pending changes, against count(*) of the jobs themselves. */
async function compareWithTruth(accountIds: string[]) {
  // One snapshot for the truth and the counters, so a job the worker moves on meanwhile is seen
  // in the same state by both.
  await env.database.db.transaction((db) => compareIn(db, accountIds), { isolationLevel: 'repeatable read', accessMode: 'read only' });
}

async function compareIn(db: Transaction, accountIds: string[]) {
  const ids = sql`ARRAY[${sql.join(accountIds.map((id) => sql`${id}::uuid`), sql`, `)}]`;
  // Every job under '' and under each of its tags.
  const groups = (bucket: 'hour' | 'day') => sql`account_id, t.tag, date_trunc(${bucket}, created_at, 'UTC') AS bucket, status, engine, api_key_id, priority,
    CASE WHEN status IN ('queued', 'processing') THEN credit_cost ELSE credits_charged END AS credits`;
  const normalize = (rows: Group[]) =>
    rows.map((row) => JSON.stringify([row.account_id, row.tag, new Date(row.bucket).toISOString(), row.status, row.engine, row.api_key_id, row.priority, Number(row.credits), Number(row.n), Number(row.ran_n), Number(row.ran_ms)])).sort();
  for (const [bucket, table] of [['hour', 'job_counts_hourly'], ['day', 'job_counts_daily']] as const) {
    const truth = await db.execute<Group>(sql`
      SELECT ${groups(bucket)}, count(*) AS n,
        count(*) FILTER (WHERE status IN ('completed', 'failed') AND duration_ms IS NOT NULL) AS ran_n,
        coalesce(sum(duration_ms) FILTER (WHERE status IN ('completed', 'failed')), 0) AS ran_ms
      FROM jobs CROSS JOIN LATERAL unnest(ARRAY['']::text[] || tags) AS t(tag)
      WHERE deleted_at IS NULL AND account_id = ANY(${ids}) GROUP BY 1, 2, 3, 4, 5, 6, 7, 8`);
    const counted = await db.execute<Group>(sql`
      SELECT account_id, tag, bucket, status, engine, api_key_id, priority, credits, sum(n) AS n, sum(ran_n) AS ran_n, sum(ran_ms) AS ran_ms FROM (
        SELECT account_id, tag, ${sql.raw(bucket === 'hour' ? 'hour' : 'day')} AS bucket, status, engine, api_key_id, priority, credits, n, ran_n, ran_ms FROM ${sql.raw(table)}
        UNION ALL
        SELECT account_id, tag, date_trunc(${bucket}, hour, 'UTC'), status, engine, api_key_id, priority, credits, n, ran_n, ran_ms FROM job_count_deltas
      ) c WHERE account_id = ANY(${ids}) GROUP BY 1, 2, 3, 4, 5, 6, 7, 8 HAVING sum(n) <> 0`);
    expect(normalize([...counted]), `${table} + deltas`).toEqual(normalize([...truth]));
  }
  // The per-name roll-up: every named job under its name, key, status, engine and priority; and
  // every name of a job among the account's names.
  const columns = sql`account_id, name, api_key_id, status, engine, priority`;
  const byName = (rows: Group[]) =>
    rows.map((row) => JSON.stringify([row.account_id, row.name, row.api_key_id, row.status, row.engine, row.priority, Number(row.n)])).sort();
  const namedTruth = await db.execute<Group>(sql`
    SELECT ${columns}, count(*) AS n FROM jobs
    WHERE deleted_at IS NULL AND name IS NOT NULL AND account_id = ANY(${ids}) GROUP BY 1, 2, 3, 4, 5, 6`);
  const namedCounted = await db.execute<Group>(sql`
    SELECT ${columns}, sum(n) AS n FROM (
      SELECT ${columns}, n FROM job_name_counts UNION ALL SELECT ${columns}, n FROM job_name_count_deltas
    ) c WHERE account_id = ANY(${ids}) GROUP BY 1, 2, 3, 4, 5, 6 HAVING sum(n) <> 0`);
  expect(byName([...namedCounted]), 'job_name_counts + deltas').toEqual(byName([...namedTruth]));
  const unlisted = await db.execute(sql`
    SELECT DISTINCT account_id, name FROM jobs j WHERE account_id = ANY(${ids}) AND name IS NOT NULL
      AND NOT EXISTS (SELECT 1 FROM job_names n WHERE n.account_id = j.account_id AND n.name = j.name)`);
  expect([...unlisted], 'names missing from job_names').toEqual([]);
  // The search table: every job not deleted, as it is now, its URL in lower case.
  const searchColumns = sql`account_id, api_key_id, created_at, status, engine, priority`;
  const searchable = (rows: Group[]) => rows.map((row) => JSON.stringify(row)).sort();
  const searchTruth = await db.execute<Group>(sql`
    SELECT id AS job_id, ${searchColumns}, lower(url) AS url FROM jobs WHERE deleted_at IS NULL AND account_id = ANY(${ids})`);
  const searchRows = await db.execute<Group>(sql`SELECT job_id, ${searchColumns}, url FROM job_search WHERE account_id = ANY(${ids})`);
  expect(searchable([...searchRows]), 'job_search').toEqual(searchable([...searchTruth]));
}

describe('job counts kept with the data', () => {
  it('equal a count(*) of the jobs after every kind of change, made concurrently', async () => {
    const db = env.database.db;
    const a = await createTestAccount(db, { credits: 1_000 });
    const b = await createTestAccount(db, { credits: 1_000 });
    const second = await createApiKey(db, { accountId: a.account.id, name: 'Second key', kind: 'live' });
    const paths = ['/page', '/slow?ms=300', '/flaky?fail=1&key=', '/blocked', '/json'];
    const submit = (secret: string, i: number, extra: Record<string, unknown> = {}) =>
      api('POST', '/api/v1/jobs', {
        key: secret,
        body: {
          url: `${env.fixture.url}${paths[i % paths.length]}${paths[i % paths.length].endsWith('=') ? i : ''}`,
          priority: ['low', 'normal', 'high'][i % 3],
          tags: [[], ['prices'], ['prices', 'eu'], ['eu']][i % 4],
          ...(i % 5 === 4 ? {} : { name: ['Daily crawl #1', 'Daily crawl #2', 'Price check'][i % 3] }),
          ...extra,
        },
      });

    // Submits, a batch, cancels, retries, deletes and compactions all at once.
    const submitted = await Promise.all([
      ...Array.from({ length: 24 }, (_, i) => submit(i % 3 === 0 ? second.secret : a.secret, i)),
      ...Array.from({ length: 8 }, (_, i) => submit(b.secret, i, { engine: 'http' })),
      api('POST', '/api/v1/batches', { key: a.secret, body: { urls: Array.from({ length: 12 }, (_, i) => `${env.fixture.url}/page?b=${i}`), priority: 'urgent' } }),
      compactJobCounts(db),
    ]);
    const jobIds = submitted.flatMap((reply) => (typeof reply === 'object' && reply.status === 202 && reply.body.id && !reply.body.total ? [reply.body.id as string] : []));
    expect(jobIds).toHaveLength(32);
    await Promise.all([
      ...jobIds.slice(0, 6).map((id, i) => api('POST', `/api/v1/jobs/${id}/cancel`, { key: i % 3 === 0 ? second.secret : a.secret })),
      compactJobCounts(db),
    ]);
    for (const id of jobIds) await waitForStatus(id, jobIds.indexOf(id) >= 24 ? b.secret : a.secret, finished);
    await Promise.all([
      ...jobIds.slice(6, 12).map((id) => api('POST', `/api/v1/jobs/${id}/retry`, { key: a.secret })),
      ...jobIds.slice(12, 15).map((id) => api('DELETE', `/api/v1/jobs/${id}`, { key: a.secret })),
      api('POST', '/api/v1/jobs/delete', { key: b.secret, body: { status: 'failed' } }),
      compactJobCounts(db),
    ]);

    // Expiry: queued jobs that waited past the limit (made old by moving their creation back).
    const queued = await Promise.all(Array.from({ length: 3 }, (_, i) => submit(b.secret, i, { url: `${env.fixture.url}/page?later=${i}` })));
    await db.execute(sql`UPDATE jobs SET created_at = created_at - interval '2 days' WHERE id IN (${sql.join(queued.map((r) => sql`${r.body.id}::uuid`), sql`, `)}) AND status = 'queued'`);
    await expireStaleJobs(db, { maxWaitSeconds: 60, accountId: b.account.id });

    // A job's tags changing moves it between the tags' counts.
    await db.execute(sql`UPDATE jobs SET tags = '{moved}' WHERE id = ${jobIds[1]}::uuid`);
    // And a name changing (or set on a job that had none), between the names' counts.
    await db.execute(sql`UPDATE jobs SET name = 'Renamed crawl' WHERE id IN (${jobIds[2]}::uuid, ${jobIds[4]}::uuid)`);
    // A URL in capitals (as a client may send a path): searched in any case.
    await db.execute(sql`UPDATE jobs SET url = url || '&Upper=1' WHERE id = ${jobIds[3]}::uuid`);
    await compareWithTruth([a.account.id, b.account.id]);
    await waitFor(async () => (await db.execute(sql`SELECT 1 FROM jobs WHERE status IN ('queued', 'processing')`)).length === 0, { timeoutMs: 30_000, what: 'every job finished' });
    await compactJobCounts(db);
    await compareWithTruth([a.account.id, b.account.id]);
    const [{ pending }] = await db.execute<{ pending: string }>(sql`SELECT count(*) AS pending FROM job_count_deltas`);
    expect(Number(pending)).toBe(0);

    // The API's figures agree with the jobs too: the counts beside every option and the list total.
    const counts = (await api('GET', '/api/v1/jobs/counts', { key: a.secret })).body;
    const truth = async (column: string) =>
      Object.fromEntries(
        (await db.execute<{ v: string; n: number }>(sql`SELECT ${sql.raw(column)} AS v, count(*)::int AS n FROM jobs WHERE account_id = ${a.account.id} AND deleted_at IS NULL GROUP BY 1`)).map((r) => [r.v, r.n]),
      );
    expect(counts.status).toEqual(await truth('status'));
    expect(counts.engine).toEqual(await truth('engine'));
    expect(counts.key).toEqual(await truth('api_key_id'));
    expect(counts.priority).toEqual(await truth('priority'));
    const all = Object.values(await truth('status')).reduce((x, y) => x + y, 0);
    expect(counts.date.today).toBe(all);
    expect((await api('GET', '/api/v1/jobs', { key: a.secret })).body.total).toBe(all);
    expect((await api('GET', '/api/v1/jobs?status=completed&priority=high', { key: a.secret })).body.total).toBe(
      Number((await db.execute<{ n: string }>(sql`SELECT count(*) AS n FROM jobs WHERE account_id = ${a.account.id} AND deleted_at IS NULL AND status = 'completed' AND priority = 'high'`))[0].n),
    );

    // One tag is counted from its own roll-up rows, several from the jobs: both agree with the jobs.
    const tagged = async (condition: string) =>
      Object.fromEntries(
        (await db.execute<{ v: string; n: number }>(sql`SELECT status AS v, count(*)::int AS n FROM jobs WHERE account_id = ${a.account.id} AND deleted_at IS NULL AND ${sql.raw(condition)} GROUP BY 1`)).map((r) => [r.v, r.n]),
      );
    const sum = (counts: Record<string, number>) => Object.values(counts).reduce((x, y) => x + y, 0);
    for (const [query, condition] of [['tag=prices', `tags @> '{prices}'`], ['tag=eu&status=completed', `tags @> '{eu}' AND status = 'completed'`], ['tag=prices,eu', `tags && '{prices,eu}'`]]) {
      const truthByStatus = await tagged(condition.replace(` AND status = 'completed'`, ''));
      expect((await api('GET', `/api/v1/jobs/counts?${query}`, { key: a.secret })).body.status, query).toEqual(truthByStatus);
      expect((await api('GET', `/api/v1/jobs?${query}`, { key: a.secret })).body.total, query).toBe(sum(await tagged(condition)));
    }

    // A name filter: its total from the per-name roll-up (with a status or key), or from the name
    // index (with any other filter, and the dropdown counts). A search: from the search table, or
    // from the jobs with a tag. Every figure as the jobs say.
    const idPrefix = jobIds[5].slice(0, 6);
    const today = new Date().toISOString().slice(0, 10);
    for (const [query, condition] of [
      ['q=slow', `url ILIKE '%slow%'`],
      ['q=FLAKY&status=failed', `url ILIKE '%flaky%' AND status = 'failed'`],
      ['q=upper', `url ILIKE '%upper%'`],
      ['q=page&engine=http&priority=low', `url ILIKE '%page%' AND engine = 'http' AND priority = 'low'`],
      [`q=page&key=${second.key.id}&from=${today}&tz=0`, `url ILIKE '%page%' AND api_key_id = '${second.key.id}' AND created_at >= date_trunc('day', now(), 'UTC')`],
      [`q=${idPrefix}`, `(url ILIKE '%${idPrefix}%' OR id::text LIKE '${idPrefix}%')`],
      ['q=page&tag=prices', `url ILIKE '%page%' AND tags @> '{prices}'`],
      ['name=crawl', `name ILIKE '%crawl%'`],
      ['name=CRAWL%20%231&status=completed', `name ILIKE '%crawl #1%' AND status = 'completed'`],
      [`name=crawl&key=${second.key.id}`, `name ILIKE '%crawl%' AND api_key_id = '${second.key.id}'`],
      ['name=crawl&status=active', `name ILIKE '%crawl%' AND status IN ('queued', 'processing')`],
      ['name=price&priority=high', `name ILIKE '%price%' AND priority = 'high'`],
      ['name=crawl&engine=http&priority=low', `name ILIKE '%crawl%' AND engine = 'http' AND priority = 'low'`],
      [`name=crawl&from=${today}&tz=0`, `name ILIKE '%crawl%' AND created_at >= date_trunc('day', now(), 'UTC')`],
      ['name=crawl&engine=http&tag=prices', `name ILIKE '%crawl%' AND engine = 'http' AND tags @> '{prices}'`],
      ['name=nothing-like-it', `name ILIKE '%nothing-like-it%'`],
    ]) {
      expect((await api('GET', `/api/v1/jobs?${query}`, { key: a.secret })).body.total, query).toBe(sum(await tagged(condition)));
      const counted = (await api('GET', `/api/v1/jobs/counts?${query.replace(/&status=[a-z]+/, '')}`, { key: a.secret })).body;
      const unfiltered = condition.replace(/ AND status (=|IN) [^A]*$/, '');
      expect(counted.status, `${query}: counts`).toEqual(await tagged(unfiltered));
      expect(counted.date.today, `${query}: today's count`).toBe(sum(await tagged(unfiltered)));
    }
    expect(sum(await tagged(`name ILIKE '%crawl%'`))).toBeGreaterThan(0);
    expect(sum(await tagged(`url ILIKE '%upper%'`))).toBe(1);
  });

  it('counts an account the migration found, while its jobs keep changing, once', async () => {
    const db = env.database.db;
    const { account, secret } = await createTestAccount(db, { credits: 100 });
    const ids = await Promise.all(Array.from({ length: 6 }, (_, i) => api('POST', '/api/v1/jobs', { key: secret, body: { url: `${env.fixture.url}/slow?ms=${200 * i}`, name: `Nightly ${i % 2}` } })));
    // As migration 0004 leaves an account with jobs: nothing counted, queued for the backfill.
    await db.execute(sql`DELETE FROM job_counts_hourly WHERE account_id = ${account.id}`);
    await db.execute(sql`DELETE FROM job_counts_daily WHERE account_id = ${account.id}`);
    await db.execute(sql`DELETE FROM job_count_deltas WHERE account_id = ${account.id}`);
    await db.execute(sql`DELETE FROM job_name_counts WHERE account_id = ${account.id}`);
    await db.execute(sql`DELETE FROM job_name_count_deltas WHERE account_id = ${account.id}`);
    await db.execute(sql`INSERT INTO job_count_backfill (account_id) VALUES (${account.id})`);
    // And as migration 0016 leaves it: its jobs not in the search table, listed to be copied.
    await db.execute(sql`DELETE FROM job_search WHERE account_id = ${account.id}`);
    await db.execute(sql`INSERT INTO job_search_backfill (account_id) VALUES (${account.id})`);
    expect((await api('GET', '/api/v1/jobs', { key: secret })).body.total).toBe(6);
    // Not counted yet: a name filter counts the jobs themselves.
    expect((await api('GET', '/api/v1/jobs?name=nightly%201', { key: secret })).body.total).toBe(3);
    // And a search reads the jobs, not the search table the backfill has yet to fill.
    expect((await api('GET', '/api/v1/jobs/counts?q=slow', { key: secret })).body.date.today).toBe(6);
    // The copy goes 2 jobs per batch here, while the jobs run and one moves behind its position.
    const copying = (async () => {
      while (await backfillJobSearch(db, { batch: 2 })) {}
    })();
    await Promise.all([backfillNextAccount(db), compactJobCounts(db), copying,
      db.execute(sql`UPDATE jobs SET created_at = created_at - interval '1 minute' WHERE id = ${ids[5].body.id}::uuid`)]);
    for (const reply of ids) await waitForStatus(reply.body.id, secret, finished);
    await compactJobCounts(db);
    await compareWithTruth([account.id]);
    expect((await api('GET', '/api/v1/jobs?name=nightly%201', { key: secret })).body.total).toBe(3);
    expect((await api('GET', '/api/v1/jobs/counts?q=slow', { key: secret })).body.date.today).toBe(6);

    // The copy alone, with nothing changing (and no worker's sweeper copying too): every job,
    // batch after batch, and then the search table answers.
    await env.worker!.stop();
    env.worker = undefined;
    await db.execute(sql`DELETE FROM job_search WHERE account_id = ${account.id}`);
    await db.execute(sql`INSERT INTO job_search_backfill (account_id) VALUES (${account.id})`);
    let batches = 0;
    while (await backfillJobSearch(db, { batch: 2 })) batches += 1;
    expect(batches).toBe(4); // 2 + 2 + 2, and an empty one that ends it
    await compareWithTruth([account.id]);
    expect((await api('GET', '/api/v1/jobs/counts?q=slow', { key: secret })).body.date.today).toBe(6);
    await env.startWorker();
  });
});

describe('paging a large list', () => {
  it('lists every job exactly once across all pages, by page number and by cursor while jobs are added, in every sort', async () => {
    const db = env.database.db;
    const { account, key } = await createTestAccount(db, { credits: 10 });
    const other = await createApiKey(db, { accountId: account.id, name: 'Another key', kind: 'live' });
    // 2,200 jobs over four days (enough that deep pages seek through the roll-ups).
    await db.execute(sql`
      INSERT INTO jobs (id, account_id, api_key_id, url, engine, config, status, attempts, max_attempts, credit_cost, credits_charged, created_at, duration_ms, priority, tags)
      SELECT gen_random_uuid(), ${account.id}, CASE WHEN i % 4 = 0 THEN ${other.key.id}::uuid ELSE ${key.id}::uuid END,
        'https://shop' || (i % 40) || '.example.com/item/' || i, (ARRAY['http', 'http', 'browser', 'stealth'])[1 + i % 4], '{}'::jsonb,
        (ARRAY['completed', 'completed', 'failed', 'cancelled', 'expired', 'completed'])[1 + i % 6], 1, 3, (ARRAY[1, 1, 5, 10])[1 + i % 4],
        CASE WHEN i % 6 IN (0, 1, 2, 5) THEN (ARRAY[1, 1, 5, 10])[1 + i % 4] ELSE 0 END,
        now() - (i * interval '143 seconds') - (i % 7) * interval '1 millisecond',
        CASE WHEN i % 6 IN (0, 1, 2, 5) AND i % 11 <> 0 THEN (i * 37) % 900 END,
        (ARRAY['low', 'normal', 'high'])[1 + i % 3],
        CASE WHEN i % 50 = 0 THEN '{}'::text[] WHEN i % 3 = 0 THEN '{prices,eu}'::text[] ELSE '{prices}'::text[] END
      FROM generate_series(1, 2200) i`);
    await compactJobCounts(db);
    const all = new Set((await db.execute<{ id: string }>(sql`SELECT id FROM jobs WHERE account_id = ${account.id}`)).map((r) => r.id));
    expect(all.size).toBe(2200);

    for (const sort of sortColumns) {
      for (const order of ['asc', 'desc'] as const) {
        // By page number (what the dashboard does): pages join up into the whole list, in order.
        const seen: string[] = [];
        for (let page = 1; page <= 22; page++) {
          const { rows, total } = await listJobs(db, { accountId: account.id, query: listJobsQuerySchema.parse({ sort, order, page: String(page), size: '100' }) });
          expect(total).toBe(2200);
          seen.push(...rows.map((row) => row.job.id));
        }
        expect(seen, `${sort} ${order} by page`).toHaveLength(2200);
        expect(new Set(seen).size, `${sort} ${order} by page`).toBe(2200);
        expect(seen, `${sort} ${order}: the order of a plain ORDER BY`).toEqual(await orderedIds(account.id, sort, order));

        // By cursor, with new jobs arriving between pages: every job that was there appears once.
        const byCursor: string[] = [];
        let cursor: string | null | undefined;
        let added = 0;
        do {
          const page = await listJobs(db, { accountId: account.id, query: listJobsQuerySchema.parse({ sort, order, size: '100', cursor }) });
          byCursor.push(...page.rows.map((row) => row.job.id));
          cursor = page.nextCursor;
          if (added < 5) {
            added += 1;
            await db.execute(sql`
              INSERT INTO jobs (id, account_id, api_key_id, url, engine, config, status, attempts, max_attempts, credit_cost, credits_charged, priority)
              VALUES (gen_random_uuid(), ${account.id}, ${key.id}, 'https://new.example.com/', 'http', '{}'::jsonb, 'queued', 0, 3, 1, 0, 'normal')`);
          }
        } while (cursor);
        const original = byCursor.filter((id) => all.has(id));
        expect(original, `${sort} ${order} by cursor`).toHaveLength(2200);
        expect(new Set(byCursor).size, `${sort} ${order} by cursor: no job twice`).toBe(byCursor.length);
        await db.execute(sql`UPDATE jobs SET deleted_at = now() WHERE account_id = ${account.id} AND url = 'https://new.example.com/'`);
      }
    }

    // Under one tag (2,156 jobs: its deep pages seek through the tag's roll-up rows).
    for (const sort of ['createdAt', 'status', 'credits'] as const) {
      for (const order of ['asc', 'desc'] as const) {
        const seen: string[] = [];
        for (let page = 1; page <= 22; page++) {
          const { rows, total } = await listJobs(db, { accountId: account.id, query: listJobsQuerySchema.parse({ sort, order, page: String(page), size: '100', tag: 'prices' }) });
          expect(total).toBe(2156);
          seen.push(...rows.map((row) => row.job.id));
        }
        expect(seen, `tag=prices ${sort} ${order}: the order of a plain ORDER BY`).toEqual(await orderedIds(account.id, sort, order, `'prices' = ANY(j.tags)`));
      }
    }
  }, 180_000);
});

/** The list's order as one plain ORDER BY over the whole account would give it. */
async function orderedIds(accountId: string, sort: string, order: 'asc' | 'desc', condition = 'true'): Promise<string[]> {
  const dir = order === 'asc' ? 'ASC' : 'DESC';
  const head: Record<string, string> = {
    createdAt: '',
    status: `j.status ${dir},`,
    engine: `j.engine ${dir},`,
    apiKey: `k.name ${dir}, k.id ${dir},`,
    credits: `CASE WHEN j.status IN ('queued', 'processing') THEN j.credit_cost ELSE j.credits_charged END ${dir},`,
    duration: `j.duration_ms ${dir} ${order === 'asc' ? 'NULLS FIRST' : 'NULLS LAST'},`,
  };
  const rows = await env.database.db.execute<{ id: string }>(sql`
    SELECT j.id FROM jobs j JOIN api_keys k ON k.id = j.api_key_id
    WHERE j.account_id = ${accountId} AND j.deleted_at IS NULL AND ${sql.raw(condition)}
    ORDER BY ${sql.raw(head[sort])} j.created_at ${sql.raw(dir)}, j.id ${sql.raw(dir)}`);
  return rows.map((row) => row.id);
}
