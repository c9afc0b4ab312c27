import { sql, type SQL } from 'drizzle-orm';
import type { Engine, JobStatus } from '@/lib/jobs';
import type { Priority } from '@/lib/queue';
import type { Db } from '../client';
import { localDate } from './local-date';

// Reads and upkeep of the job roll-ups (migration 0004). Triggers on `jobs` append signed changes
// to job_count_deltas; compactJobCounts folds them into job_counts_hourly and job_counts_daily.
// Every row has a tag (migration 0013): '' counts all the account's jobs, any other value the jobs
// carrying that tag, so a read sums the rows of one tag: '' unless it filters on a tag.
// A count over an instant range [from, to) adds, in one statement (one snapshot):
// - whole UTC days from the daily roll-up,
// - the whole UTC hours around them from the hourly roll-up,
// - the not yet folded changes of those hours,
// - and, for a bound that is not on the hour (a timezone such as +05:30), the jobs themselves
//   between the bound and the hour, from the jobs table (at most an hour at each end).

/** One group of an account's jobs: how many share these values. */
export type CountRow = {
  status: JobStatus;
  engine: Engine;
  apiKeyId: string;
  priority: Priority;
  credits: number;
  n: number;
  /** Completed and failed jobs with a duration, and their summed duration in ms. */
  ranN: number;
  ranMs: number;
};

export type InstantRange = { from?: Date; to?: Date };

const hourMs = 3_600_000;
const dayMs = 86_400_000;
const ceilTo = (t: number, unit: number) => Math.ceil(t / unit) * unit;
const floorTo = (t: number, unit: number) => Math.floor(t / unit) * unit;
const iso = (t: number) => new Date(t).toISOString();

const creditsShown = sql`CASE WHEN status IN ('queued', 'processing') THEN credit_cost ELSE credits_charged END`;

/** Filters on the counted dimensions, pushed into each part of a count; `tag`: only the jobs carrying it. */
export type DimensionFilters = { status?: JobStatus[]; engine?: Engine; apiKeyId?: string; priority?: Priority; credits?: number; tag?: string };

export function dimensionWhere(dims: DimensionFilters, credits: SQL = sql`credits`): SQL {
  const terms: SQL[] = [];
  if (dims.status) terms.push(sql`status IN (${sql.join(dims.status.map((s) => sql`${s}`), sql`, `)})`);
  if (dims.engine) terms.push(sql`engine = ${dims.engine}`);
  if (dims.apiKeyId) terms.push(sql`api_key_id = ${dims.apiKeyId}::uuid`);
  if (dims.priority) terms.push(sql`priority = ${dims.priority}`);
  if (dims.credits !== undefined) terms.push(sql`${credits} = ${dims.credits}`);
  return terms.length ? sql`AND ${sql.join(terms, sql` AND `)}` : sql``;
}

/** How a part labels its rows in time: not at all, by UTC day, or by UTC hour. */
type Bucket = 'none' | 'day' | 'hour';

const bucketOf = (bucket: Bucket, column: SQL) =>
  bucket === 'none' ? sql`NULL::timestamptz AS bucket` : sql`date_trunc(${bucket}, ${column}, 'UTC') AS bucket`;

/** The roll-up rows of the tag the read counts under. */
const rolledTag = (dims: DimensionFilters) => sql`tag = ${dims.tag ?? ''}`;

/** The jobs themselves in [from, to), grouped like the roll-ups. */
function jobsPart(accountId: string, from: number | undefined, to: number | undefined, dims: DimensionFilters, bucket: Bucket): SQL {
  const tagged = dims.tag === undefined ? sql`` : sql`AND tags @> ARRAY[${dims.tag}]::text[]`;
  return sql`SELECT status, engine, api_key_id, priority, ${creditsShown} AS credits, ${bucketOf(bucket, sql`created_at`)}, count(*) AS n,
      count(*) FILTER (WHERE status IN ('completed', 'failed') AND duration_ms IS NOT NULL) AS ran_n,
      coalesce(sum(duration_ms) FILTER (WHERE status IN ('completed', 'failed')), 0) AS ran_ms
    FROM jobs WHERE account_id = ${accountId} AND deleted_at IS NULL ${dimensionWhere(dims, creditsShown)} ${tagged}
      ${from === undefined ? sql`` : sql`AND created_at >= ${iso(from)}::timestamptz`}
      ${to === undefined ? sql`` : sql`AND created_at < ${iso(to)}::timestamptz`}
    GROUP BY 1, 2, 3, 4, 5, 6`;
}

function bucketRange(column: SQL, from: number | undefined, to: number | undefined): SQL {
  return sql`${from === undefined ? sql`true` : sql`${column} >= ${iso(from)}::timestamptz`}
    AND ${to === undefined ? sql`true` : sql`${column} < ${iso(to)}::timestamptz`}`;
}

/** Whether a range's bounds fall on whole hours, so the roll-ups alone answer for it. */
export function onTheHour(range: InstantRange): boolean {
  return [range.from, range.to].every((t) => t === undefined || t.getTime() % hourMs === 0);
}

/**
 * The pieces (UNION ALL branches) that add up to the jobs created in [from, to). With the
 * `hour` bucket the daily roll-up cannot label its rows, so only the hourly one is read: for a
 * range of a day or so (a page seek).
 */
function rangeParts(accountId: string, range: InstantRange, dims: DimensionFilters = {}, bucket: Bucket = 'none'): SQL[] {
  const a = range.from?.getTime();
  const b = range.to?.getTime();
  if (a !== undefined && b !== undefined && a >= b) return [];
  const h1 = a === undefined ? undefined : ceilTo(a, hourMs);
  const h2 = b === undefined ? undefined : floorTo(b, hourMs);
  // Less than one whole hour: the jobs table alone.
  if (h1 !== undefined && h2 !== undefined && h1 >= h2) return [jobsPart(accountId, a, b, dims, bucket)];
  const parts: SQL[] = [];
  if (a !== undefined && a < h1!) parts.push(jobsPart(accountId, a, h1, dims, bucket));
  if (b !== undefined && h2! < b) parts.push(jobsPart(accountId, h2, b, dims, bucket));
  const where = sql`AND ${rolledTag(dims)} ${dimensionWhere(dims)}`;
  const hourly = (from: number | undefined, to: number | undefined) =>
    sql`SELECT status, engine, api_key_id, priority, credits, ${bucketOf(bucket, sql`hour`)}, n, ran_n, ran_ms
      FROM job_counts_hourly WHERE account_id = ${accountId} AND ${bucketRange(sql`hour`, from, to)} ${where}`;
  const d1 = h1 === undefined ? undefined : ceilTo(h1, dayMs);
  const d2 = h2 === undefined ? undefined : floorTo(h2, dayMs);
  if (bucket === 'hour' || (d1 !== undefined && d2 !== undefined && d1 >= d2)) {
    parts.push(hourly(h1, h2));
  } else {
    parts.push(sql`SELECT status, engine, api_key_id, priority, credits, ${bucketOf(bucket, sql`day`)}, n, ran_n, ran_ms
      FROM job_counts_daily WHERE account_id = ${accountId} AND ${bucketRange(sql`day`, d1, d2)} ${where}`);
    if (h1 !== undefined && h1 < d1!) parts.push(hourly(h1, d1));
    if (h2 !== undefined && d2! < h2) parts.push(hourly(d2, h2));
  }
  parts.push(sql`SELECT status, engine, api_key_id, priority, credits, ${bucketOf(bucket, sql`hour`)}, n, ran_n, ran_ms
    FROM job_count_deltas WHERE account_id = ${accountId} AND ${bucketRange(sql`hour`, h1, h2)} ${where}`);
  return parts;
}

type RawCountRow = { status: JobStatus; engine: Engine; api_key_id: string; priority: Priority; credits: number; n: string; ran_n: string; ran_ms: string };

const toCountRow = (row: RawCountRow): CountRow => ({
  status: row.status,
  engine: row.engine,
  apiKeyId: row.api_key_id,
  priority: row.priority,
  credits: Number(row.credits),
  n: Number(row.n),
  ranN: Number(row.ran_n),
  ranMs: Number(row.ran_ms),
});

/**
 * The account's jobs (not deleted) created in the range, or those of them carrying `tag`, grouped
 * by status, engine, key, priority and shown credits: exact, and read from the roll-ups (a few
 * thousand rows however many jobs).
 */
export async function countJobGroups(db: Db, { accountId, range, tag }: { accountId: string; range: InstantRange; tag?: string }): Promise<CountRow[]> {
  const parts = rangeParts(accountId, range, { tag });
  if (parts.length === 0) return [];
  const rows = await db.execute<RawCountRow>(sql`
    SELECT status, engine, api_key_id, priority, credits, sum(n) AS n, sum(ran_n) AS ran_n, sum(ran_ms) AS ran_ms
    FROM (${sql.join(parts, sql` UNION ALL `)}) parts
    GROUP BY 1, 2, 3, 4, 5
    HAVING sum(n) <> 0`);
  return [...rows].map(toCountRow);
}

/** A group of jobs by the dimensions the dropdowns count: what the per-name roll-up holds. */
export type DimensionCount = Pick<CountRow, 'status' | 'engine' | 'apiKeyId' | 'priority' | 'n'>;

/**
 * The names of the account's jobs that `pattern` (ILIKE) matches, as a subquery: found among
 * the account's distinct names (job_names, by trigram), not among its jobs. The jobs' own filter
 * `name IN (…)` then reads those names' stretches of jobs_account_name_idx. Only for an account
 * that is counted (jobCountsReady): the backfill lists the names of older jobs.
 */
export const namesMatching = (accountId: string, pattern: string): SQL =>
  sql`(SELECT name FROM job_names WHERE account_id = ${accountId} AND name ILIKE ${pattern})`;

/**
 * The account's jobs (not deleted) whose name `pattern` matches, per key, status, engine and
 * priority, under the dimension filters: from the per-name roll-up (migration 0016), folded and
 * pending, so it costs the matching names' groups, however many jobs they hold.
 */
export async function countNamedJobs(
  db: Db,
  { accountId, pattern, dims }: { accountId: string; pattern: string; dims: DimensionFilters },
): Promise<DimensionCount[]> {
  const part = (table: SQL) => sql`SELECT api_key_id, status, engine, priority, n FROM ${table}
    WHERE account_id = ${accountId} AND name IN ${namesMatching(accountId, pattern)} ${dimensionWhere(dims)}`;
  const rows = await db.execute<RawDimensionCount>(sql`
    SELECT api_key_id, status, engine, priority, sum(n) AS n
    FROM (${part(sql`job_name_counts`)} UNION ALL ${part(sql`job_name_count_deltas`)}) parts
    GROUP BY 1, 2, 3, 4
    HAVING sum(n) <> 0`);
  return [...rows].map(toDimensionCount);
}

export type RawDimensionCount = { api_key_id: string; status: JobStatus; engine: Engine; priority: Priority; n: string };

export const toDimensionCount = (row: RawDimensionCount): DimensionCount => ({
  apiKeyId: row.api_key_id,
  status: row.status,
  engine: row.engine,
  priority: row.priority,
  n: Number(row.n),
});

/** The column a page seek groups by besides time: the sort's own, or none for the created-at sort. */
export type SeekDimension = 'status' | 'engine' | 'credits' | null;

/**
 * Jobs per (sort value, UTC day or hour) under the dimension filters, for finding where a page of
 * the list starts without reading the jobs before it (see listJobs).
 */
export async function countBuckets(
  db: Db,
  { accountId, range, dims, by, bucket }: { accountId: string; range: InstantRange; dims: DimensionFilters; by: SeekDimension; bucket: 'day' | 'hour' },
): Promise<{ value: string | number | null; bucket: Date; n: number }[]> {
  const parts = rangeParts(accountId, range, dims, bucket);
  if (parts.length === 0) return [];
  const value = by === null ? sql`NULL` : sql.raw(by);
  const rows = await db.execute<{ value: string | number | null; bucket: string | Date; n: string }>(sql`
    SELECT ${value} AS value, bucket, sum(n) AS n
    FROM (${sql.join(parts, sql` UNION ALL `)}) parts
    GROUP BY 1, 2
    HAVING sum(n) <> 0`);
  return [...rows].map((row) => ({ value: row.value, bucket: new Date(row.bucket), n: Number(row.n) }));
}

/**
 * The account's jobs created since `since`, per local day (YYYY-MM-DD where `tz` is, as
 * Date#getTimezoneOffset gives it) and status. With a timezone not on the hour, the hours that a
 * local midnight cuts in two are counted from the jobs table.
 */
export async function countJobsPerLocalDay(
  db: Db,
  { accountId, since, tz }: { accountId: string; since: Date; tz: number },
): Promise<{ day: string; status: JobStatus; n: number; ranN: number; ranMs: number }[]> {
  const localDay = (column: SQL) => localDate(column, tz);
  const start = since.getTime();
  const onTheHour = tz % 60 === 0;
  const firstHour = ceilTo(start, hourMs);
  // The hours a local midnight falls inside: counted row by row, not from the roll-up.
  const cutHours = onTheHour ? [] : Array.from({ length: Math.ceil((Date.now() - start) / dayMs) + 1 }, (_, i) => floorTo(start + i * dayMs, hourMs));
  const notCut = cutHours.length ? sql`AND hour <> ALL(${`{${cutHours.map(iso).join(',')}}`}::timestamptz[])` : sql``;
  const rolled = (table: SQL) => sql`SELECT ${localDay(sql`hour`)} AS day, status, n, ran_n, ran_ms FROM ${table}
    WHERE account_id = ${accountId} AND tag = '' AND hour >= ${iso(firstHour)}::timestamptz ${notCut}`;
  const rowsOf = (from: number, to: number) => sql`SELECT ${localDay(sql`created_at`)} AS day, status, 1 AS n,
      (status IN ('completed', 'failed') AND duration_ms IS NOT NULL)::int AS ran_n,
      CASE WHEN status IN ('completed', 'failed') THEN coalesce(duration_ms, 0) ELSE 0 END AS ran_ms
    FROM jobs WHERE account_id = ${accountId} AND deleted_at IS NULL
      AND created_at >= ${iso(from)}::timestamptz AND created_at < ${iso(to)}::timestamptz`;
  const parts = [rolled(sql`job_counts_hourly`), rolled(sql`job_count_deltas`)];
  if (start < firstHour) parts.push(rowsOf(start, firstHour));
  for (const hour of cutHours) if (hour >= firstHour) parts.push(rowsOf(hour, hour + hourMs));
  const rows = await db.execute<{ day: string; status: JobStatus; n: string; ran_n: string; ran_ms: string }>(sql`
    SELECT day, status, sum(n) AS n, sum(ran_n) AS ran_n, sum(ran_ms) AS ran_ms
    FROM (${sql.join(parts, sql` UNION ALL `)}) parts
    GROUP BY 1, 2
    HAVING sum(n) <> 0`);
  return [...rows].map((row) => ({ day: row.day, status: row.status, n: Number(row.n), ranN: Number(row.ran_n), ranMs: Number(row.ran_ms) }));
}

/** Advisory-lock keys: one compaction (or backfill) at a time; the per-account writer lock of the triggers. */
const compactionLock = sql`5103, 0`;
const accountLockNamespace = 5102;

/**
 * Folds the pending changes into the roll-ups, in one transaction; a no-op while another worker
 * compacts. Every worker runs it every few seconds. Returns how many change rows it folded.
 */
export async function compactJobCounts(db: Db): Promise<number> {
  return db.transaction(async (tx) => {
    const [lock] = await tx.execute<{ ok: boolean }>(sql`SELECT pg_try_advisory_xact_lock(${compactionLock}) AS ok`);
    if (!lock.ok) return 0;
    const [row] = await tx.execute<{ moved: string; empty_hours: unknown[]; empty_days: unknown[] }>(sql`
      WITH moved AS (
        DELETE FROM job_count_deltas RETURNING *
      ), byHour AS (
        SELECT account_id, tag, hour, status, engine, api_key_id, priority, credits, sum(n) AS n, sum(ran_n) AS ran_n, sum(ran_ms) AS ran_ms
        FROM moved GROUP BY 1, 2, 3, 4, 5, 6, 7, 8
      ), hourly AS (
        INSERT INTO job_counts_hourly (account_id, tag, hour, status, engine, api_key_id, priority, credits, n, ran_n, ran_ms)
        SELECT * FROM byHour ORDER BY 1, 2, 3, 4, 5, 6, 7, 8
        ON CONFLICT ON CONSTRAINT job_counts_hourly_pk DO UPDATE
        SET n = job_counts_hourly.n + excluded.n, ran_n = job_counts_hourly.ran_n + excluded.ran_n, ran_ms = job_counts_hourly.ran_ms + excluded.ran_ms
        RETURNING account_id, tag, hour, status, engine, api_key_id, priority, credits, n
      ), daily AS (
        INSERT INTO job_counts_daily (account_id, tag, day, status, engine, api_key_id, priority, credits, n, ran_n, ran_ms)
        SELECT account_id, tag, date_trunc('day', hour, 'UTC'), status, engine, api_key_id, priority, credits, sum(n), sum(ran_n), sum(ran_ms)
        FROM byHour GROUP BY 1, 2, 3, 4, 5, 6, 7, 8 ORDER BY 1, 2, 3, 4, 5, 6, 7, 8
        ON CONFLICT ON CONSTRAINT job_counts_daily_pk DO UPDATE
        SET n = job_counts_daily.n + excluded.n, ran_n = job_counts_daily.ran_n + excluded.ran_n, ran_ms = job_counts_daily.ran_ms + excluded.ran_ms
        RETURNING account_id, tag, day AS hour, status, engine, api_key_id, priority, credits, n
      )
      SELECT (SELECT count(*) FROM moved) AS moved,
        (SELECT coalesce(jsonb_agg(hourly), '[]') FROM hourly WHERE n = 0) AS empty_hours,
        (SELECT coalesce(jsonb_agg(daily), '[]') FROM daily WHERE n = 0) AS empty_days`);
    // Groups that emptied (every job of the hour moved on to another status) take no more room.
    const emptied = (table: SQL, bucket: SQL, keys: string) => sql`
      DELETE FROM ${table} t USING jsonb_to_recordset(${keys}::jsonb)
        AS e(account_id uuid, tag text, hour timestamptz, status text, engine text, api_key_id uuid, priority text, credits int)
      WHERE t.n = 0 AND t.account_id = e.account_id AND t.tag = e.tag AND t.${bucket} = e.hour AND t.status = e.status AND t.engine = e.engine
        AND t.api_key_id = e.api_key_id AND t.priority = e.priority AND t.credits = e.credits`;
    if (row.empty_hours.length > 0) await tx.execute(emptied(sql`job_counts_hourly`, sql`hour`, JSON.stringify(row.empty_hours)));
    if (row.empty_days.length > 0) await tx.execute(emptied(sql`job_counts_daily`, sql`day`, JSON.stringify(row.empty_days)));
    return Number(row.moved) + (await compactJobNameCounts(tx));
  });
}

/**
 * Folds the pending per-name changes into job_name_counts (inside compactJobCounts' transaction
 * and lock), and drops the names' groups that emptied. Returns how many change rows it folded.
 */
async function compactJobNameCounts(tx: Db): Promise<number> {
  const [row] = await tx.execute<{ moved: string; emptied: unknown[] }>(sql`
    WITH moved AS (
      DELETE FROM job_name_count_deltas RETURNING *
    ), folded AS (
      INSERT INTO job_name_counts (account_id, name, api_key_id, status, engine, priority, n)
      SELECT account_id, name, api_key_id, status, engine, priority, sum(n) FROM moved GROUP BY 1, 2, 3, 4, 5, 6 ORDER BY 1, 2, 3, 4, 5, 6
      ON CONFLICT ON CONSTRAINT job_name_counts_pk DO UPDATE SET n = job_name_counts.n + excluded.n
      RETURNING account_id, name, api_key_id, status, engine, priority, n
    )
    SELECT (SELECT count(*) FROM moved) AS moved, (SELECT coalesce(jsonb_agg(folded), '[]') FROM folded WHERE n = 0) AS emptied`);
  // A statement's CTEs share one snapshot, so the groups the fold emptied are deleted by the next.
  if (row.emptied.length > 0) {
    await tx.execute(sql`
      DELETE FROM job_name_counts t
      USING jsonb_to_recordset(${JSON.stringify(row.emptied)}::jsonb) AS e(account_id uuid, name text, api_key_id uuid, status text, engine text, priority text)
      WHERE t.n = 0 AND t.account_id = e.account_id AND t.name = e.name AND t.api_key_id = e.api_key_id AND t.status = e.status
        AND t.engine = e.engine AND t.priority = e.priority`);
  }
  return Number(row.moved);
}

/**
 * Whether a backfill has nothing left of the account (no row of it in `table`). Once done, an
 * account stays done (only a migration lists accounts, and it runs before this code starts):
 * remembered, so a hot read asks the database once per process.
 */
function backfillDone(table: SQL): (db: Db, accountId: string) => Promise<boolean> {
  const done = new Set<string>();
  return async (db, accountId) => {
    if (done.has(accountId)) return true;
    const rows = await db.execute(sql`SELECT 1 FROM ${table} WHERE account_id = ${accountId}`);
    if (rows.length === 0) done.add(accountId);
    return rows.length === 0;
  };
}

/** Whether the account's roll-ups hold all its jobs (false until the backfill reached it). */
export const jobCountsReady = backfillDone(sql`job_count_backfill`);

/**
 * Counts one account's jobs afresh into the roll-ups (the accounts migration 0004 found): under
 * the exclusive account lock, so no change is missed or counted twice, and the compaction lock.
 * One transaction per account, so a large table is done in batches. Returns false when none was left.
 */
export async function backfillNextAccount(db: Db): Promise<boolean> {
  return db.transaction(async (tx) => {
    const [next] = await tx.execute<{ account_id: string }>(sql`SELECT account_id FROM job_count_backfill LIMIT 1 FOR UPDATE SKIP LOCKED`);
    if (!next) return false;
    const accountId = next.account_id;
    await tx.execute(sql`SELECT pg_advisory_xact_lock(${compactionLock})`);
    await tx.execute(sql`SELECT pg_advisory_xact_lock(${accountLockNamespace}, hashtext(${accountId}::text))`);
    await tx.execute(sql`DELETE FROM job_count_deltas WHERE account_id = ${accountId}`);
    await tx.execute(sql`DELETE FROM job_counts_hourly WHERE account_id = ${accountId}`);
    await tx.execute(sql`DELETE FROM job_counts_daily WHERE account_id = ${accountId}`);
    await tx.execute(sql`
      INSERT INTO job_counts_hourly (account_id, tag, hour, status, engine, api_key_id, priority, credits, n, ran_n, ran_ms)
      SELECT account_id, t.tag, date_trunc('hour', created_at, 'UTC'), status, engine, api_key_id, priority, ${creditsShown}, count(*),
        count(*) FILTER (WHERE status IN ('completed', 'failed') AND duration_ms IS NOT NULL),
        coalesce(sum(duration_ms) FILTER (WHERE status IN ('completed', 'failed')), 0)
      FROM jobs CROSS JOIN LATERAL unnest(ARRAY['']::text[] || tags) AS t(tag)
      WHERE account_id = ${accountId} AND deleted_at IS NULL
      GROUP BY 1, 2, 3, 4, 5, 6, 7, 8`);
    await tx.execute(sql`
      INSERT INTO job_counts_daily (account_id, tag, day, status, engine, api_key_id, priority, credits, n, ran_n, ran_ms)
      SELECT account_id, tag, date_trunc('day', hour, 'UTC'), status, engine, api_key_id, priority, credits, sum(n), sum(ran_n), sum(ran_ms)
      FROM job_counts_hourly WHERE account_id = ${accountId}
      GROUP BY 1, 2, 3, 4, 5, 6, 7, 8`);
    await tx.execute(sql`DELETE FROM job_name_count_deltas WHERE account_id = ${accountId}`);
    await tx.execute(sql`DELETE FROM job_name_counts WHERE account_id = ${accountId}`);
    await tx.execute(sql`
      INSERT INTO job_name_counts (account_id, name, api_key_id, status, engine, priority, n)
      SELECT account_id, name, api_key_id, status, engine, priority, count(*) FROM jobs
      WHERE account_id = ${accountId} AND deleted_at IS NULL AND name IS NOT NULL
      GROUP BY 1, 2, 3, 4, 5, 6`);
    await tx.execute(sql`
      INSERT INTO job_names (account_id, name)
      SELECT DISTINCT account_id, name FROM jobs WHERE account_id = ${accountId} AND name IS NOT NULL
      ON CONFLICT DO NOTHING`);
    await tx.execute(sql`DELETE FROM job_count_backfill WHERE account_id = ${accountId}`);
    return true;
  });
}

/** Jobs copied into job_search per transaction: about 0.2 s of the account's lock here. */
const searchBackfillBatch = 5_000;

/**
 * Copies the next jobs of one account that migration 0016 listed into job_search, in created
 * order from where the last batch stopped (jobs_list_created_idx), under the exclusive account
 * lock, so no trigger of the account's writers runs in between; they wait for this batch only.
 * Jobs created or changed since the migration have their rows already (ON CONFLICT keeps them).
 * Returns false when no account was left.
 */
export async function backfillJobSearch(db: Db, { batch = searchBackfillBatch }: { batch?: number } = {}): Promise<boolean> {
  return db.transaction(async (tx) => {
    const [next] = await tx.execute<{ account_id: string; after_created_at: string | null; after_id: string | null }>(sql`
      SELECT account_id, after_created_at, after_id FROM job_search_backfill LIMIT 1 FOR UPDATE SKIP LOCKED`);
    if (!next) return false;
    const accountId = next.account_id;
    await tx.execute(sql`SELECT pg_advisory_xact_lock(${accountLockNamespace}, hashtext(${accountId}::text))`);
    const after = next.after_id ? sql`AND (created_at, id) > (${next.after_created_at}::timestamptz, ${next.after_id}::uuid)` : sql``;
    const [row] = await tx.execute<{ n: string; last: { created_at: string; id: string } | null }>(sql`
      WITH batch AS (
        SELECT id, account_id, api_key_id, created_at, status, engine, priority, url FROM jobs
        WHERE account_id = ${accountId} AND deleted_at IS NULL ${after}
        ORDER BY created_at, id LIMIT ${batch}
      ), copied AS (
        INSERT INTO job_search (job_id, account_id, api_key_id, created_at, status, engine, priority, url)
        SELECT id, account_id, api_key_id, created_at, status, engine, priority, lower(url) FROM batch
        ON CONFLICT (job_id) DO NOTHING
      )
      SELECT count(*) AS n, (SELECT to_jsonb(b) FROM (SELECT created_at, id FROM batch ORDER BY created_at DESC, id DESC LIMIT 1) b) AS last FROM batch`);
    if (Number(row.n) < batch) {
      await tx.execute(sql`DELETE FROM job_search_backfill WHERE account_id = ${accountId}`);
    } else {
      await tx.execute(sql`UPDATE job_search_backfill SET after_created_at = ${row.last!.created_at}::timestamptz, after_id = ${row.last!.id}::uuid
        WHERE account_id = ${accountId}`);
    }
    return true;
  });
}

/** Whether all the account's jobs are in job_search (its copy is done): then its searches read it. */
export const jobSearchReady = backfillDone(sql`job_search_backfill`);
