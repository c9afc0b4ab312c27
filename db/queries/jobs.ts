import { and, asc, desc, eq, getTableColumns, gte, inArray, isNull, lt, sql, type AnyColumn, type SQL } from 'drizzle-orm';
import { localMidnight } from '@/lib/day-series';
import { activeStatuses, maxLogEntriesPerJob, type JobStatus } from '@/lib/jobs';
import { jobFinishedChannel, webhookOutboxChannel } from '@/lib/queue';
import type { ErrorType } from '@/lib/scrape-errors';
import type { ListJobsQuery } from '@/lib/schemas/jobs';
import { executePrepared, type Db } from '../client';
import { accounts, apiKeys, jobAttempts, jobResults, jobs, queuedWaitStart, type Job } from '../schema';
import { matchingDimensionCounts, rollupView } from './counts';
import { crawlHostHasRoom, crawlHostIsDue, recordCrawlHostStart } from './crawls';
import { encodeCursor, type ListCursor } from '@/lib/list-cursor';
import { countBuckets, type DimensionFilters, type InstantRange, type SeekDimension } from './job-counts';
import { logPayload, pruneLogs, type NewLogEntry } from './logs';

export async function insertJob(db: Db, values: typeof jobs.$inferInsert): Promise<Job> {
  const [job] = await db.insert(jobs).values(values).returning();
  return job;
}

/**
 * Reserves a job's price from the balance of an account that may submit (not suspended, not
 * being deleted); no row back means it may not, or the balance is short. It runs for free jobs
 * too: the account row it locks until commit is what orders a submission against a concurrent
 * suspension or deletion request, so no job can slip in after either.
 */
export async function reserveCredits(db: Db, { accountId, amount }: { accountId: string; amount: number }) {
  const [account] = await db
    .update(accounts)
    .set({ reservedCredits: sql`${accounts.reservedCredits} + ${amount}` })
    .where(
      and(
        eq(accounts.id, accountId),
        isNull(accounts.suspendedAt),
        isNull(accounts.deletionRequestedAt),
        isNull(accounts.deletedAt),
        sql`${accounts.credits} - ${accounts.reservedCredits} >= ${amount}`,
      ),
    )
    .returning({ credits: accounts.credits })
    .prepare('reserve_credits')
    .execute();
  return account;
}

/**
 * A new job's row, its first log entries ("Job queued", "Queue position: N", sequence 1 and 2:
 * the row gets log_seq 2) and its audit entries, in one statement. The position counts the
 * queued jobs of the engine and the new one, which the statement's own count cannot see.
 */
export async function insertQueuedJob(
  db: Db,
  { values, timestamp, metadata, audit }: { values: typeof jobs.$inferInsert; timestamp: Date; metadata?: Record<string, unknown>; audit: SQL },
): Promise<Job> {
  const ts = timestamp.toISOString();
  const insert = db.insert(jobs).values({ ...values, logSeq: 2 }).returning().getSQL();
  const rows = await executePrepared<Record<string, unknown>>(db, sql`
    WITH job AS (${insert}), logs AS (
      INSERT INTO job_logs (job_id, seq, ts, level, message, metadata)
      SELECT job.id, 1, ${ts}::timestamptz, 'INFO', 'Job queued', ${metadata ? JSON.stringify(metadata) : null}::jsonb FROM job
      UNION ALL
      SELECT job.id, 2, ${ts}::timestamptz, 'INFO',
        'Queue position: ' || (1 + (SELECT count(*) FROM jobs WHERE status = 'queued' AND engine = job.engine)), NULL
      FROM job
    ), audit AS (${audit})
    SELECT * FROM job`);
  return rowToJob(rows[0]);
}

const keySummary = {
  id: apiKeys.id,
  name: apiKeys.name,
  kind: apiKeys.kind,
  revokedAt: apiKeys.revokedAt,
};

export type JobWithKey = { job: Job; apiKey: { id: string; name: string; kind: 'live' | 'test'; revokedAt: Date | null } };

/** Any account's job by id; callers check ownership so they can tell 403 from 404. */
export async function findJob(db: Db, id: string): Promise<JobWithKey | undefined> {
  const [row] = await db
    .select({ job: jobs, apiKey: keySummary })
    .from(jobs)
    .innerJoin(apiKeys, eq(apiKeys.id, jobs.apiKeyId))
    .where(eq(jobs.id, id));
  return row;
}

export async function listChildJobIds(db: Db, parentJobId: string): Promise<string[]> {
  const rows = await db
    .select({ id: jobs.id })
    .from(jobs)
    .where(and(eq(jobs.parentJobId, parentJobId), isNull(jobs.deletedAt)))
    .orderBy(asc(jobs.createdAt));
  return rows.map((row) => row.id);
}

export async function listAttempts(db: Db, jobId: string) {
  return db.select().from(jobAttempts).where(eq(jobAttempts.jobId, jobId)).orderBy(asc(jobAttempts.attempt));
}

export function jobFilters(accountId: string | null, query: Partial<ListJobsQuery>): SQL[] {
  const where: SQL[] = [isNull(jobs.deletedAt)];
  if (accountId) where.push(eq(jobs.accountId, accountId));
  if (query.status === 'active') where.push(inArray(jobs.status, [...activeStatuses]));
  else if (query.status) where.push(eq(jobs.status, query.status));
  if (query.engine) where.push(eq(jobs.engine, query.engine));
  if (query.key) where.push(eq(jobs.apiKeyId, query.key));
  const tz = query.tz ?? 0;
  if (query.from) where.push(gte(jobs.createdAt, localMidnight(query.from, tz)));
  if (query.to) where.push(lt(jobs.createdAt, localMidnight(query.to, tz, 1)));
  if (query.q) where.push(searchCondition(query.q));
  if (query.name) where.push(sql`${jobs.name} ILIKE ${containsPattern(query.name)}`);
  // `&&` (overlaps: any of the tags) is what the GIN index on tags serves.
  if (query.tag?.length) where.push(sql`${jobs.tags} && ${toTextArray(query.tag)}`);
  if (query.priority) where.push(eq(jobs.priority, query.priority));
  if (query.batch) where.push(eq(jobs.batchId, query.batch));
  if (query.crawl) where.push(eq(jobs.crawlId, query.crawl));
  if (query.changed) where.push(changedCondition(accountId));
  return where;
}

/**
 * Runs that found their page changed or removed. The account's changed runs are few next to its
 * jobs: the partial index job_changes_changed_idx yields them, and the planner joins them to the
 * jobs by primary key (a semi-join driven from the small side).
 */
function changedCondition(accountId: string | null): SQL {
  const account = accountId ? sql`c.account_id = ${accountId} AND ` : sql``;
  return sql`EXISTS (SELECT 1 FROM job_changes c WHERE ${account}c.job_id = ${jobs.id} AND c.status IN ('changed', 'removed'))`;
}

/** A term for (I)LIKE with its %, _ and backslash taken literally. */
export function escapeLike(term: string): string {
  return term.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** The (I)LIKE pattern of a substring: `term` anywhere, its % and _ taken literally. */
export const containsPattern = (term: string) => `%${escapeLike(term)}%`;

function toTextArray(values: string[]): SQL {
  return sql`ARRAY[${sql.join(values.map((value) => sql`${value}`), sql`, `)}]::text[]`;
}

const uuidZero = '00000000-0000-0000-0000-000000000000';
const uuidMax = 'ffffffff-ffff-ffff-ffff-ffffffffffff';

/**
 * The jobs list search (spec: URL substring, case-insensitive, or job-ID prefix), on `jobs` or on
 * job_search (`lowered`: its URL is stored in lower case, so LIKE of the lowered term, which skips
 * ILIKE's lowering of every URL it checks). The URL part is served by the table's trigram index
 * (jobs_url_trgm_idx, job_search_url_trgm_idx); the ID prefix becomes a range of the primary key.
 */
export function searchCondition(q: string, { url = jobs.url, id = jobs.id, lowered = false }: { url?: AnyColumn; id?: AnyColumn; lowered?: boolean } = {}): SQL {
  const term = q.toLowerCase();
  const match = lowered ? sql`${url} LIKE ${containsPattern(term)}` : sql`${url} ILIKE ${containsPattern(term)}`;
  const idPrefix = term.length <= 36 && [...term].every((c, i) => (uuidZero[i] === '-' ? c === '-' : /[0-9a-f]/.test(c)));
  if (!idPrefix) return match;
  const low = term + uuidZero.slice(term.length);
  const high = term + uuidMax.slice(term.length);
  return sql`(${match} OR ${id} BETWEEN ${low}::uuid AND ${high}::uuid)`;
}

/** What each sort orders by; ties go by created_at and id in the same direction (one index each). */
const sortColumns = {
  status: jobs.status,
  engine: jobs.engine,
  credits: sql`CASE WHEN ${jobs.status} IN ('queued', 'processing') THEN ${jobs.creditCost} ELSE ${jobs.creditsCharged} END`,
  duration: jobs.durationMs,
} as const;

type PageRow = { job: Job; apiKey: JobWithKey['apiKey'] };

/**
 * One stretch of the list in sort order: `limit` jobs after skipping `offset`, read forwards or,
 * from the far end, backwards (then given back in list order). The ids come first from the sort's
 * index; only the page's rows are then read whole.
 */
async function readStretch(
  db: Db,
  { where, order, offset, limit, backwards }: { where: SQL | undefined; order: SQL[]; offset: number; limit: number; backwards: boolean },
): Promise<PageRow[]> {
  if (limit <= 0) return [];
  const ids = db.select({ id: jobs.id }).from(jobs).where(where).orderBy(...order).limit(limit).offset(offset);
  const rows = await db
    .select({ job: jobs, apiKey: keySummary })
    .from(jobs)
    .innerJoin(apiKeys, eq(apiKeys.id, jobs.apiKeyId))
    .where(inArray(jobs.id, ids))
    .orderBy(...order);
  return backwards ? rows.reverse() : rows;
}

/** ORDER BY terms for a sort column in a direction; duration's NULLs come first ascending, last descending. */
function orderTerms(column: SQL | AnyColumn | undefined, dir: 'asc' | 'desc'): SQL[] {
  const by = dir === 'asc' ? asc : desc;
  const head = column ? [column === jobs.durationMs ? sql`${column} ${sql.raw(dir === 'asc' ? 'ASC NULLS FIRST' : 'DESC NULLS LAST')}` : by(column)] : [];
  return [...head, by(jobs.createdAt), by(jobs.id)];
}

/** Below this many rows to skip, an index scan with OFFSET is cheaper than a seek. */
const seekAfter = 2_000;
const hourMs = 3_600_000;

type Seek = { accountId: string; range: InstantRange; dims: DimensionFilters; by: SeekDimension; column: SQL | AnyColumn | undefined };

/**
 * A stretch of the list far from either end, found through the roll-ups instead of skipped row by
 * row: the UTC day holding the first row is found from per-day counts, the hour within it from
 * per-hour counts, and only the rows of that hour before the first one are skipped (a few hundred
 * at most in a busy hour). The rows then come from the sort's index, from that hour on.
 */
async function seekStretch(
  db: Db,
  { where, seek, dir, offset, size }: { where: SQL | undefined; seek: Seek; dir: 'asc' | 'desc'; offset: number; size: number },
): Promise<{ rows: PageRow[]; total: number }> {
  const sign = dir === 'asc' ? 1 : -1;
  const byValueThenTime = (x: { value: string | number | null; bucket: Date }, y: { value: string | number | null; bucket: Date }) =>
    (x.value === y.value ? 0 : (x.value ?? '') < (y.value ?? '') ? -sign : sign) || sign * (x.bucket.getTime() - y.bucket.getTime());
  const locate = <T extends { n: number }>(buckets: T[], at: number) => {
    let before = 0;
    for (const bucket of buckets) {
      if (before + bucket.n > at) return { bucket, before };
      before += bucket.n;
    }
    return undefined;
  };
  const days = (await countBuckets(db, { accountId: seek.accountId, range: seek.range, dims: seek.dims, by: seek.by, bucket: 'day' })).sort(byValueThenTime);
  // The days hold every matching job once: their sum is the list's total.
  const total = days.reduce((n, bucket) => n + bucket.n, 0);
  const limit = Math.min(size, total - offset);
  const day = locate(days, offset);
  if (!day || limit <= 0) return { rows: [], total };
  const value = day.bucket.value;
  const dims: DimensionFilters = { ...seek.dims };
  if (seek.by === 'status') dims.status = [value as JobStatus];
  if (seek.by === 'engine') dims.engine = value as Job['engine'];
  if (seek.by === 'credits') dims.credits = Number(value);
  const dayStart = day.bucket.bucket.getTime();
  const from = Math.max(dayStart, seek.range.from?.getTime() ?? -Infinity);
  const to = Math.min(dayStart + 86_400_000, seek.range.to?.getTime() ?? Infinity);
  const hours = (await countBuckets(db, { accountId: seek.accountId, range: { from: new Date(from), to: new Date(to) }, dims, by: null, bucket: 'hour' })).sort(byValueThenTime);
  const hour = locate(hours, offset - day.before);
  if (!hour) return { rows: [], total };
  const edge = new Date(hour.bucket.bucket.getTime() + (dir === 'desc' ? hourMs : 0)).toISOString();
  const after = seek.column === undefined
    ? sql`${jobs.createdAt} ${sql.raw(dir === 'desc' ? '<' : '>=')} ${edge}::timestamptz`
    : sql`(${seek.column}, ${jobs.createdAt}) ${sql.raw(dir === 'desc' ? '<' : '>=')} (${value}, ${edge}::timestamptz)`;
  const rows = await readStretch(db, { where: and(where, after), order: orderTerms(seek.column, dir), offset: offset - day.before - hour.before, limit, backwards: false });
  return { rows, total };
}

const shownCredits = (job: Job) => (job.status === 'queued' || job.status === 'processing' ? job.creditCost : job.creditsCharged);

/** The cursor that continues the list after this row. */
function cursorAfter(row: PageRow, sort: ListJobsQuery['sort'], order: 'asc' | 'desc'): string {
  const values = { createdAt: null, status: row.job.status, engine: row.job.engine, credits: shownCredits(row.job), duration: row.job.durationMs, apiKey: row.job.apiKeyId };
  return encodeCursor({ sort, order, value: values[sort], createdAt: row.job.createdAt.toISOString(), id: row.job.id });
}

/** The rows strictly after the cursor in the list's order (createdAt and id break ties, in the sort's direction). */
function afterCursor(cursor: ListCursor, column: SQL | AnyColumn | undefined): SQL {
  const cmp = sql.raw(cursor.order === 'asc' ? '>' : '<');
  const tail = sql`(${jobs.createdAt}, ${jobs.id}) ${cmp} (${cursor.createdAt}::timestamptz, ${cursor.id}::uuid)`;
  if (column === undefined) return tail;
  if (column !== jobs.durationMs) return sql`(${column}, ${jobs.createdAt}, ${jobs.id}) ${cmp} (${cursor.value}, ${cursor.createdAt}::timestamptz, ${cursor.id}::uuid)`;
  // Durations: NULLs come first ascending and last descending.
  const value = cursor.value === null ? null : Number(cursor.value);
  if (cursor.order === 'asc') {
    return value === null
      ? sql`(${column} IS NOT NULL OR ${tail})`
      : sql`(${column} > ${value} OR (${column} = ${value} AND ${tail}))`;
  }
  return value === null
    ? sql`(${column} IS NULL AND ${tail})`
    : sql`(${column} IS NULL OR ${column} < ${value} OR (${column} = ${value} AND ${tail}))`;
}

/** A page after a cursor: read straight from the sort's index, whatever the list's size. */
async function pageAfterCursor(
  db: Db,
  { where, query, cursor, accountId }: { where: SQL | undefined; query: ListJobsQuery; cursor: ListCursor; accountId: string | null },
): Promise<PageRow[]> {
  if (query.sort !== 'apiKey') {
    const column = query.sort === 'createdAt' ? undefined : sortColumns[query.sort];
    return readStretch(db, { where: and(where, afterCursor(cursor, column)), order: orderTerms(column, query.order), offset: 0, limit: query.size, backwards: false });
  }
  // By key name: the rest of the cursor's key, then the keys after it.
  const keys = await accountKeysInOrder(db, accountId, query.order);
  const at = keys.findIndex((key) => key.id === cursor.value);
  const rows: PageRow[] = [];
  for (const [i, key] of keys.entries()) {
    if (i < at || rows.length >= query.size) continue;
    const within = and(where, eq(jobs.apiKeyId, key.id), i === at ? afterCursor({ ...cursor, value: null }, undefined) : undefined);
    rows.push(...(await readStretch(db, { where: within, order: orderTerms(undefined, query.order), offset: 0, limit: query.size - rows.length, backwards: false })));
  }
  return rows;
}

/** The account's keys in the API key sort's order: by name, ties by id. */
async function accountKeysInOrder(db: Db, accountId: string | null, dir: 'asc' | 'desc') {
  const keys = await db
    .select({ id: apiKeys.id, name: apiKeys.name })
    .from(apiKeys)
    .where(accountId ? eq(apiKeys.accountId, accountId) : sql`true`)
    .orderBy(asc(apiKeys.name), asc(apiKeys.id));
  return dir === 'asc' ? keys : keys.reverse();
}

/**
 * A page of jobs with their keys, filtered and sorted as GET /api/v1/jobs asks, with the exact
 * total. One account's, or with a null accountId every account's (the admin list, which adds its
 * account filter as `extra`).
 *
 * Built to cost the same on the last page of a million jobs as on the first: the total comes from
 * the roll-ups (db/queries/job-counts.ts), each sort has an index that yields rows in list order,
 * and a page past the middle is read from the far end of that index, backwards, so no page skips
 * more than half the list. The API key sort (by key name) is read key by key, as a sequence of
 * per-key stretches of the key index.
 */
export async function listJobs(
  db: Db,
  { accountId, query, extra = [] }: { accountId: string | null; query: ListJobsQuery; extra?: SQL[] },
) {
  const filters = jobFilters(accountId, query);
  const where = and(...filters, ...extra);
  const offset = (query.page - 1) * query.size;
  const dir = query.order;
  const view = accountId && extra.length === 0 ? await rollupView(db, { accountId, query }) : null;
  const seekBy: Partial<Record<ListJobsQuery['sort'], SeekDimension>> = { createdAt: null, status: 'status', engine: 'engine', credits: 'credits' };
  const respond = (rows: PageRow[], total: number) => ({
    rows,
    total,
    nextCursor: rows.length === query.size ? cursorAfter(rows[rows.length - 1], query.sort, query.order) : null,
  });

  // Deep in a list the roll-ups answer for: the seek reads the total on its way.
  const column = query.sort === 'createdAt' || query.sort === 'apiKey' ? undefined : sortColumns[query.sort];
  if (!query.cursor && view && offset > seekAfter && query.sort in seekBy) {
    const seek: Seek = { accountId: accountId!, range: view.range, dims: view.dims, by: seekBy[query.sort]!, column };
    const { rows, total } = await seekStretch(db, { where, seek, dir, offset, size: query.size });
    return respond(rows, total);
  }

  // The matching jobs per key: the total, and the size of each key's segment for the key sort.
  const perKey = new Map<string, number>();
  const byKey = accountId && extra.length === 0
    ? (await matchingDimensionCounts(db, { accountId, filters: query })).map((row) => ({ key: row.apiKeyId, n: row.n }))
    : await db.select({ key: jobs.apiKeyId, n: sql<number>`count(*)::int` }).from(jobs).where(where).groupBy(jobs.apiKeyId);
  for (const { key, n } of byKey) perKey.set(key, (perKey.get(key) ?? 0) + n);
  const total = [...perKey.values()].reduce((sum, n) => sum + n, 0);
  const withCursor = (rows: PageRow[]) => respond(rows, total);
  if (query.cursor) return withCursor(await pageAfterCursor(db, { where, query, cursor: query.cursor, accountId }));
  const limit = Math.max(0, Math.min(query.size, total - offset));
  if (limit === 0) return withCursor([]);
  const flip = (d: 'asc' | 'desc') => (d === 'asc' ? 'desc' : 'asc');
  // Past the middle, read the same stretch from the other end.
  const backwards = offset + limit / 2 > total / 2;
  const skip = backwards ? total - offset - limit : offset;
  const seekable = (skipped: number) => view !== null && skipped > seekAfter;

  if (query.sort !== 'apiKey') {
    return withCursor(await readStretch(db, { where, order: orderTerms(column, backwards ? flip(dir) : dir), offset: skip, limit, backwards }));
  }

  // By key name: the account's keys in name order, each a segment of known size.
  const keys = await accountKeysInOrder(db, accountId, dir);
  const segments = keys.map((key) => ({ id: key.id, size: perKey.get(key.id) ?? 0 }));
  const rows: PageRow[] = [];
  let start = 0;
  for (const segment of segments) {
    const end = start + segment.size;
    const from = Math.max(offset, start);
    const to = Math.min(offset + limit, end);
    if (from < to) {
      const within = and(where, eq(jobs.apiKeyId, segment.id));
      if (seekable(Math.min(from - start, end - to))) {
        const seek: Seek = { accountId: accountId!, range: view!.range, dims: { ...view!.dims, apiKeyId: segment.id }, by: null, column: undefined };
        rows.push(...(await seekStretch(db, { where: within, seek, dir, offset: from - start, size: to - from })).rows);
      } else {
        // Within the key, from whichever end of its segment is nearer.
        const back = from - start > end - to;
        rows.push(...(await readStretch(db, { where: within, order: orderTerms(undefined, back ? flip(dir) : dir), offset: back ? end - to : from - start, limit: to - from, backwards: back })));
      }
    }
    start = end;
  }
  return withCursor(rows);
}

// ---- Transitions. Each is one conditional UPDATE: the row that comes back is the truth. ----

/**
 * Claims a queued job for a worker and opens its attempt row, in one statement: the job becomes
 * `processing` with the next attempt number and a lease, or nothing happens when it was not
 * queued (cancelled, expired, or taken by another worker) and undefined is returned.
 * `withinHostLimit` (a crawl page, claimed under its host's claim lock: workers/crawl/claim-page.ts)
 * also leaves it queued while its crawl already runs concurrencyPerHost pages of its host, or its
 * host started a page less than the crawl's spacing ago; a claimed page is then its host's last start.
 */
export async function claimJob(
  db: Db,
  { id, workerId, leaseSeconds, withinHostLimit = false }: { id: string; workerId: string; leaseSeconds: number; withinHostLimit?: boolean },
) {
  const rows = await executePrepared<Record<string, unknown>>(db, sql`
    WITH claimed AS (
      UPDATE jobs SET
        status = 'processing',
        attempts = attempts + 1,
        started_at = coalesce(started_at, now()),
        worker_id = ${workerId},
        lease_expires_at = now() + make_interval(secs => ${leaseSeconds})
      WHERE id = ${id} AND status = 'queued'${withinHostLimit ? sql` AND ${crawlHostHasRoom} AND ${crawlHostIsDue}` : sql``}
      RETURNING *
    ),${withinHostLimit ? sql` host_start AS (${recordCrawlHostStart}),` : sql``} attempt AS (
      INSERT INTO job_attempts (job_id, attempt, started_at, outcome)
      SELECT id, attempts, now(), 'running' FROM claimed
      ON CONFLICT (job_id, attempt) DO UPDATE
      SET started_at = excluded.started_at, finished_at = NULL, outcome = 'running', error_type = NULL, error_message = NULL
    )
    SELECT * FROM claimed`);
  return rows[0] ? rowToJob(rows[0]) : undefined;
}

const jobColumns = Object.entries(getTableColumns(jobs));

/** A `jobs` row from raw SQL (snake_case, driver values) as Drizzle would have returned it. */
function rowToJob(row: Record<string, unknown>): Job {
  const job: Record<string, unknown> = {};
  for (const [key, column] of jobColumns) {
    const value = row[column.name];
    job[key] = value === null || value === undefined ? null : column.mapFromDriverValue(value);
  }
  return job as Job;
}

export async function jobStatus(db: Db, id: string): Promise<JobStatus | undefined> {
  const [row] = await db.select({ status: jobs.status }).from(jobs).where(eq(jobs.id, id));
  return row?.status;
}

/** Moves a job to the next attempt counter while it stays processing (automatic retry). */
export async function bumpAttempt(db: Db, id: string) {
  const [job] = await db
    .update(jobs)
    .set({ attempts: sql`${jobs.attempts} + 1` })
    .where(and(eq(jobs.id, id), eq(jobs.status, 'processing')))
    .returning();
  return job;
}

export async function recordAttempt(
  db: Db,
  values: {
    jobId: string;
    attempt: number;
    outcome: (typeof jobAttempts.$inferInsert)['outcome'];
    errorType?: ErrorType | null;
    errorMessage?: string | null;
    finished?: boolean;
  },
) {
  const finishedAt = values.finished === false ? null : sql`now()`;
  await db
    .insert(jobAttempts)
    .values({
      jobId: values.jobId,
      attempt: values.attempt,
      startedAt: sql`now()`,
      finishedAt,
      outcome: values.outcome,
      errorType: values.errorType ?? null,
      errorMessage: values.errorMessage ?? null,
    })
    .onConflictDoUpdate({
      target: [jobAttempts.jobId, jobAttempts.attempt],
      set: { finishedAt, outcome: values.outcome, errorType: values.errorType ?? null, errorMessage: values.errorMessage ?? null },
    });
}

type FinishArgs = {
  id: string;
  accountId?: string;
  from: JobStatus[];
  to: 'completed' | 'failed' | 'cancelled' | 'expired';
  errorType?: ErrorType;
  errorMessage?: string;
};

/**
 * Moves a job from one of `from` to the terminal state `to`, and settles its credits in the
 * same transaction: the reserved price is charged for completed and failed jobs (one ledger row,
 * which a unique index makes impossible to write twice) and released otherwise.
 * Returns undefined when the job was not in `from`: another transition won the race.
 */
export async function finishJob(db: Db, args: FinishArgs): Promise<Job | undefined> {
  const job = await finishJobUnsettled(db, args);
  if (job) await settleCredits(db, job);
  return job;
}

/**
 * The transition half of finishJob, for a caller that writes more in the same transaction and
 * calls settleCredits last (see settleCredits for why last).
 */
export async function finishJobUnsettled(db: Db, args: FinishArgs): Promise<Job | undefined> {
  const charged = args.to === 'completed' || args.to === 'failed';
  const ownership = args.accountId ? [eq(jobs.accountId, args.accountId)] : [];
  const [job] = await db
    .update(jobs)
    .set({
      status: args.to,
      finishedAt: sql`now()`,
      durationMs: sql`CASE WHEN ${jobs.startedAt} IS NULL THEN NULL ELSE (extract(epoch FROM now() - ${jobs.startedAt}) * 1000)::int END`,
      creditsCharged: charged ? jobs.creditCost : 0,
      errorType: args.errorType ?? null,
      errorMessage: args.errorMessage ?? null,
      workerId: null,
      leaseExpiresAt: null,
    })
    .where(and(eq(jobs.id, args.id), inArray(jobs.status, args.from), ...ownership))
    .returning();
  if (job) await announceFinished(db, job, args.to);
  return job;
}

/**
 * The CTE (named `event`) that writes a finished job's webhook event to the outbox when anyone may
 * listen: its own webhookUrl, its batch, or an active endpoint of its account. Reads the finished
 * job from a CTE named `done` (id, account_id, batch_id, webhook_url).
 */
function outboxEvent(status: 'completed' | 'failed' | 'cancelled' | 'expired'): SQL {
  return sql`event AS (
      INSERT INTO webhook_outbox (account_id, job_id, batch_id, event)
      SELECT done.account_id, done.id, done.batch_id, ${`job.${status}`} FROM done
      WHERE done.webhook_url IS NOT NULL OR done.batch_id IS NOT NULL OR EXISTS (
        SELECT 1 FROM webhook_endpoints w
        WHERE w.account_id = done.account_id AND w.deleted_at IS NULL AND w.disabled_at IS NULL
      )
      RETURNING 1
    )`;
}

/** Notifies at commit whoever waits on the job (POST /api/v1/scrape), and the dispatcher when an event was written. */
const finishedNotifications = () => sql`pg_notify(${jobFinishedChannel}, done.id::text), (SELECT pg_notify(${webhookOutboxChannel}, '') FROM event)`;

/** In the transaction that finished the job, in one round trip: its outbox event and notifications. */
async function announceFinished(db: Db, job: Job, to: FinishArgs['to']): Promise<void> {
  await db.execute(sql`
    WITH done AS (
      SELECT ${job.id}::uuid AS id, ${job.accountId}::uuid AS account_id, ${job.batchId}::uuid AS batch_id, ${job.webhookUrl}::text AS webhook_url
    ), ${outboxEvent(to)}
    SELECT ${finishedNotifications()} FROM done`);
}

/** What a worker writes when an attempt ends the job: the results, the attempt, the last logs. */
export type RunEnd = {
  job: Pick<Job, 'id'>;
  /** The worker ending the run: a worker whose lease lapsed and whose job went to another ends nothing. */
  workerId: string;
  to: 'completed' | 'failed';
  attempt: number;
  errorType?: ErrorType;
  errorMessage?: string;
  results: Omit<typeof jobResults.$inferInsert, 'jobId'>[];
  logs: NewLogEntry[];
};

/**
 * Ends a processing job as completed or failed in ONE statement, which Postgres runs atomically:
 * the conditional transition, its results, the attempt row, the last log entries, the webhook
 * outbox event, the charge (account row and ledger row) and the notifications. The same writes
 * as finishJobUnsettled + insertResult + recordAttempt + appendLogs + settleCredits in a
 * transaction, in one round trip instead of eight; the account row is locked only for the
 * statement. Returns undefined when the job was no longer this worker's to end (a cancel won the
 * race, or the lease lapsed and the job was recovered): then nothing was written.
 */
export async function finishRun(db: Db, end: RunEnd): Promise<{ creditsCharged: number } | undefined> {
  const n = end.logs.length;
  const errorType = end.errorType ?? null;
  const errorMessage = end.errorMessage ?? null;
  const results = end.results.map(
    (r) => sql`SELECT done.id, ${r.kind}, ${r.format}, ${r.contentType}, ${r.size}::int, ${r.content ?? null}::bytea,
      ${r.width ?? null}::int, ${r.height ?? null}::int FROM done`,
  );
  const rows = await executePrepared<{ credits_charged: number; last_seq: number }>(db, sql`
    WITH done AS (
      UPDATE jobs SET
        status = ${end.to},
        finished_at = now(),
        duration_ms = CASE WHEN started_at IS NULL THEN NULL ELSE (extract(epoch FROM now() - started_at) * 1000)::int END,
        credits_charged = credit_cost,
        error_type = ${errorType},
        error_message = ${errorMessage},
        worker_id = NULL,
        lease_expires_at = NULL,
        log_seq = log_seq + ${n}
      WHERE id = ${end.job.id} AND status = 'processing' AND worker_id = ${end.workerId}
      RETURNING id, account_id, batch_id, webhook_url, credit_cost, credits_charged, log_seq - ${n} AS log_base
    ), results AS (
      INSERT INTO job_results (job_id, kind, format, content_type, size, content, width, height)
      ${results.length > 0 ? sql.join(results, sql` UNION ALL `) : sql`SELECT done.id, NULL, NULL, NULL, NULL::int, NULL::bytea, NULL::int, NULL::int FROM done WHERE false`}
    ), attempt AS (
      INSERT INTO job_attempts (job_id, attempt, started_at, finished_at, outcome, error_type, error_message)
      SELECT done.id, ${end.attempt}, now(), now(), ${end.to}, ${errorType}, ${errorMessage} FROM done
      ON CONFLICT (job_id, attempt) DO UPDATE
      SET finished_at = excluded.finished_at, outcome = excluded.outcome, error_type = excluded.error_type, error_message = excluded.error_message
    ), logs AS (
      INSERT INTO job_logs (job_id, seq, ts, level, message, metadata)
      SELECT done.id, done.log_base + e.i, e.ts, e.level, e.message, e.metadata
      FROM done, jsonb_to_recordset(${logPayload(end.logs)}::jsonb) AS e(i int, ts timestamptz, level text, message text, metadata jsonb)
    ), ${outboxEvent(end.to)}, account AS (
      UPDATE accounts SET credits = accounts.credits - done.credits_charged, reserved_credits = accounts.reserved_credits - done.credit_cost
      FROM done WHERE accounts.id = done.account_id AND done.credit_cost > 0
      RETURNING accounts.credits
    ), ledger AS (
      INSERT INTO credit_ledger (account_id, job_id, amount, reason, balance_after)
      SELECT done.account_id, done.id, -done.credits_charged, 'job_charge', account.credits
      FROM done, account WHERE done.credits_charged > 0
    )
    SELECT done.credits_charged, done.log_base + ${n} AS last_seq, ${finishedNotifications()}
    FROM done`);
  const row = rows[0];
  if (!row) return undefined;
  if (Number(row.last_seq) > maxLogEntriesPerJob) await pruneLogs(db, end.job.id);
  return { creditsCharged: Number(row.credits_charged) };
}

/**
 * Charges (or releases) a finished job's reserved price and writes its ledger row, in one
 * statement. Every job of an account settles on the same account row, which stays locked until
 * the transaction commits, so a transaction should settle as its last write: that lock then
 * serializes one statement and the commit, not the whole transaction.
 */
export async function settleCredits(db: Db, job: Pick<Job, 'id' | 'accountId' | 'creditCost' | 'creditsCharged'>): Promise<void> {
  if (job.creditCost === 0) return;
  await db.execute(sql`
    WITH account AS (
      UPDATE accounts
      SET credits = credits - ${job.creditsCharged}, reserved_credits = reserved_credits - ${job.creditCost}
      WHERE id = ${job.accountId}
      RETURNING credits
    )
    INSERT INTO credit_ledger (account_id, job_id, amount, reason, balance_after)
    SELECT ${job.accountId}, ${job.id}, ${-job.creditsCharged}, 'job_charge', account.credits
    FROM account WHERE ${job.creditsCharged} > 0`);
}

/** A processing job whose worker vanished goes back to the queue for a fresh attempt. */
export async function requeueLostJob(db: Db, id: string) {
  const [job] = await db
    .update(jobs)
    .set({ status: 'queued', workerId: null, leaseExpiresAt: null })
    .where(and(eq(jobs.id, id), eq(jobs.status, 'processing'), lt(jobs.leaseExpiresAt, sql`now()`)))
    .returning();
  return job;
}

export async function findLostJobs(db: Db, limit = 100) {
  return db
    .select()
    .from(jobs)
    .where(and(eq(jobs.status, 'processing'), lt(jobs.leaseExpiresAt, sql`now()`)))
    .limit(limit);
}

/** Queued jobs that never started and have waited longer than the maximum queue wait. */
export async function findStaleQueuedJobs(
  db: Db,
  { maxWaitSeconds, accountId, limit = 500 }: { maxWaitSeconds: number; accountId?: string; limit?: number },
) {
  return db
    .select({ id: jobs.id, waitingSince: sql`${queuedWaitStart}`.mapWith(jobs.createdAt) })
    .from(jobs)
    .where(
      and(
        eq(jobs.status, 'queued'),
        isNull(jobs.startedAt),
        lt(queuedWaitStart, sql`now() - make_interval(secs => ${maxWaitSeconds})`),
        ...(accountId ? [eq(jobs.accountId, accountId)] : []),
      ),
    )
    .limit(limit);
}

/** Counts the 30-second queue-wait marks a queued job has passed but not yet logged (from when its wait began). */
export async function advanceQueueWarnings(db: Db) {
  return db.execute<{ id: string; marks: number }>(sql`
    UPDATE jobs SET queue_warnings = floor(extract(epoch FROM now() - ${queuedWaitStart}) / 30)::int
    WHERE status = 'queued' AND started_at IS NULL
      AND ${queuedWaitStart} < now() - interval '30 seconds'
      AND floor(extract(epoch FROM now() - ${queuedWaitStart}) / 30)::int > queue_warnings
    RETURNING id, queue_warnings AS marks`);
}

/** Graceful shutdown: a job this worker could not finish goes back to the queue, the interrupted attempt uncounted. */
export async function handBackJob(db: Db, { id, workerId }: { id: string; workerId: string }) {
  const [job] = await db
    .update(jobs)
    .set({ status: 'queued', workerId: null, leaseExpiresAt: null, attempts: sql`greatest(${jobs.attempts} - 1, 0)` })
    .where(and(eq(jobs.id, id), eq(jobs.status, 'processing'), eq(jobs.workerId, workerId)))
    .returning();
  return job;
}

/**
 * Extends the claim of every job this worker runs, in one statement; returns the ids still
 * processing under it. The renewal never waits for a row lock: a job another transaction holds
 * right now (a cancel, its finish, a bulk update) is skipped and renewed next time, a third of a
 * lease later. Waiting there would hold the other renewed rows meanwhile, and a multi-row update
 * taking the same rows in another order would deadlock with it.
 */
export async function renewLeases(db: Db, { workerId, leaseSeconds }: { workerId: string; leaseSeconds: number }) {
  const rows = await db.execute<{ id: string }>(sql`
    WITH renewed AS (
      UPDATE jobs SET lease_expires_at = now() + make_interval(secs => ${leaseSeconds})
      WHERE id IN (SELECT id FROM jobs WHERE worker_id = ${workerId} AND status = 'processing' FOR UPDATE SKIP LOCKED)
    )
    SELECT id FROM jobs WHERE worker_id = ${workerId} AND status = 'processing'`);
  return new Set(rows.map((row) => row.id));
}

/** What a conditional poll needs to decide between 304 and a full read; see lib/server/jobs/version.ts. */
export type JobVersionRow = {
  accountId: string;
  deletedAt: Date | null;
  status: JobStatus;
  createdAt: Date;
  logsPurgedAt: Date | null;
  /** A digest of everything a job reply is read from except the clock: the row, its key, children, attempts, results and change. */
  digest: string;
  /** The stored results (kind, when written, when purged): the reply's retention notices count days from them. */
  results: { kind: string; createdAt: string; purgedAt: string | null }[];
  /** The last log entry's sequence number and the number of entries: a log poll's reply follows from them. */
  lastSeq: number | null;
  logCount: number;
};

/** One indexed statement: the job's owner and state, and the digest of its reply's sources. */
export async function findJobVersion(db: Db, id: string): Promise<JobVersionRow | undefined> {
  const rows = await db.execute<JobVersionRow>(sql`
    SELECT j.account_id AS "accountId", j.deleted_at AS "deletedAt", j.status, j.created_at AS "createdAt", j.logs_purged_at AS "logsPurgedAt",
      md5(concat_ws('|', j::text, k.name, k.kind, k.revoked_at::text,
        (SELECT string_agg(c.id::text, ',' ORDER BY c.created_at) FROM jobs c WHERE c.parent_job_id = j.id AND c.deleted_at IS NULL),
        (SELECT string_agg(a::text, ',' ORDER BY a.attempt) FROM job_attempts a WHERE a.job_id = j.id),
        (SELECT string_agg(concat_ws(':', r.kind, r.size, r.created_at, r.purged_at), ',' ORDER BY r.kind) FROM job_results r WHERE r.job_id = j.id),
        (SELECT ch::text FROM job_changes ch WHERE ch.job_id = j.id))) AS digest,
      coalesce((SELECT json_agg(json_build_object('kind', r.kind, 'createdAt', r.created_at, 'purgedAt', r.purged_at)) FROM job_results r WHERE r.job_id = j.id), '[]') AS results,
      l.last_seq AS "lastSeq", l.log_count AS "logCount"
    FROM jobs j
    JOIN api_keys k ON k.id = j.api_key_id
    CROSS JOIN LATERAL (SELECT max(seq)::int AS last_seq, count(*)::int AS log_count FROM job_logs WHERE job_id = j.id) l
    WHERE j.id = ${id}`);
  const [row] = rows;
  return row && { ...row, deletedAt: row.deletedAt && new Date(row.deletedAt), createdAt: new Date(row.createdAt), logsPurgedAt: row.logsPurgedAt && new Date(row.logsPurgedAt) };
}
