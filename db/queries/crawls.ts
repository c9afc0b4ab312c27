import { createHash } from 'node:crypto';
import { and, count, desc, eq, isNull, sql, type SQL } from 'drizzle-orm';
import type { JobStatus } from '@/lib/jobs';
import { cancelChannel, webhookOutboxChannel } from '@/lib/queue';
import type { CrawlSkipReason, ListCrawlPagesQuery } from '@/lib/schemas/crawls';
import type { ErrorType } from '@/lib/scrape-errors';
import type { Db } from '../client';
import { crawlHosts, crawlHostStarts, crawls, crawlUrls, jobs, type Crawl } from '../schema';
import { cancelledInBulk } from './job-cancels';

// Crawls: the crawl row (whose counters enforce the limits), its URLs (one row per URL seen, the
// primary key deduplicating them across workers), its hosts' robots.txt, and its page jobs.

export async function insertCrawl(db: Db, values: typeof crawls.$inferInsert): Promise<Crawl> {
  const [crawl] = await db.insert(crawls).values(values).returning();
  return crawl;
}

/**
 * A crawl URL's host in SQL, as hostOf (lib/crawl-urls.ts) gives it for the URLs a crawl stores:
 * normaliseUrl writes `scheme://host[:port]/…` (lower case, no user info, the default port gone),
 * so the host is what lies between `://` and the first `/`.
 */
function urlHost(url: SQL): SQL {
  return sql`split_part(split_part(${url}, '://', 2), '/', 1)`;
}

/**
 * A condition on the row of `jobs` being claimed, a crawl page: its crawl runs fewer of its host's
 * pages than concurrencyPerHost. Exact only under the host's claim lock (lockHostClaims), taken
 * before the statement: each claim then counts the pages every earlier one made processing. The
 * crawl's processing pages are few and come from jobs_crawl_status_idx; the crawl row is read, not
 * locked.
 */
export const crawlHostHasRoom = sql`(
  SELECT count(*) FROM jobs busy
  WHERE busy.crawl_id = jobs.crawl_id AND busy.status = 'processing' AND ${urlHost(sql`busy.url`)} = ${urlHost(sql`jobs.url`)}
) < (SELECT (c.options->>'concurrencyPerHost')::int FROM crawls c WHERE c.id = jobs.crawl_id)`;

/**
 * The least time between the starts of two pages of one crawl host, in ms, for the row `page` of
 * `jobs`: the crawl's politeness delay, or the host's robots.txt Crawl-delay when the crawl honours
 * robots and it is longer. The crawl and host rows are read, not locked.
 */
function crawlHostSpacingMs(page: SQL): SQL {
  return sql`(
    SELECT greatest(coalesce((c.options->>'delayMs')::int, 0), CASE WHEN (c.options->>'robots')::boolean THEN coalesce(h.crawl_delay_ms, 0) ELSE 0 END)
    FROM crawls c LEFT JOIN crawl_hosts h ON h.crawl_id = c.id AND h.host = ${urlHost(sql`${page}.url`)}
    WHERE c.id = ${page}.crawl_id)`;
}

/**
 * The earliest start of the next page of the host of the row `page` of `jobs`: the host's last
 * start plus the spacing. Null while the crawl has started none of the host's pages with a spacing
 * (a crawl without one never has a row), so its spacing is not even read.
 */
function crawlHostNextStart(page: SQL): SQL {
  return sql`(
    SELECT s.last_started_at + ${crawlHostSpacingMs(page)} * interval '1 millisecond'
    FROM crawl_host_starts s WHERE s.crawl_id = ${page}.crawl_id AND s.host = ${urlHost(sql`${page}.url`)})`;
}

/**
 * A condition on the row of `jobs` being claimed, a crawl page: the spacing since its host's last
 * start has passed. Exact under the host's claim lock, as crawlHostHasRoom: the previous claim's
 * start committed before this statement began. now() is the claim's transaction time, the one
 * that jobs.started_at and the attempt's start record, so the recorded starts keep the spacing.
 */
export const crawlHostIsDue = sql`coalesce(${crawlHostNextStart(sql`jobs`)} <= now(), true)`;

/**
 * A statement for the claim's CTE: the page just claimed (the CTE `claimed`) is its host's last
 * start, when its crawl spaces its pages. Inserted on a host's first start: the start page and
 * hosts whose robots.txt was not read have no crawl_hosts row to hold it.
 */
export const recordCrawlHostStart = sql`
  INSERT INTO crawl_host_starts (crawl_id, host, last_started_at)
  SELECT claimed.crawl_id, ${urlHost(sql`claimed.url`)}, now() FROM claimed WHERE ${crawlHostSpacingMs(sql`claimed`)} > 0
  ON CONFLICT (crawl_id, host) DO UPDATE SET last_started_at = excluded.last_started_at`;

const hostClaimLockNamespace = 5104;

/**
 * Makes the claims of one crawl host's pages (their delivery group, lib/crawl-groups.ts) take
 * turns until commit. Taken first in the claim's transaction, before any row: a claim waiting
 * here holds nothing another transaction could wait for.
 */
export async function lockHostClaims(db: Db, groupId: string): Promise<void> {
  await db.execute(sql`SELECT pg_advisory_xact_lock(${hostClaimLockNamespace}, hashtext(${groupId}))`);
}

/**
 * A queued crawl page, its row share-locked until commit, with its crawl's id and options, its
 * host's spacing (crawlHostSpacingMs) and, when that spacing since the host's last start has not
 * passed yet, when it will have (`spacedUntil`): what its next delivery needs. The lock orders the
 * new delivery against a cancel of the crawl, which locks its pages' rows before it removes their
 * deliveries: the cancel either sees the new delivery or, first, leaves the page cancelled and not
 * returned here.
 */
export async function findQueuedCrawlPage(db: Db, id: string) {
  const nextStart = crawlHostNextStart(sql`jobs`);
  const [row] = await db
    .select({
      job: jobs,
      crawl: { id: crawls.id, options: crawls.options },
      spacingMs: sql<number>`${crawlHostSpacingMs(sql`jobs`)}`.mapWith(Number),
      spacedUntil: sql<Date | null>`CASE WHEN ${nextStart} > now() THEN ${nextStart} END`.mapWith(crawlHostStarts.lastStartedAt),
    })
    .from(jobs)
    .innerJoin(crawls, eq(crawls.id, jobs.crawlId))
    .where(and(eq(jobs.id, id), eq(jobs.status, 'queued')))
    .for('share', { of: jobs });
  return row;
}

/**
 * Puts off a queued crawl page's start to `until`, the end of its host's spacing: its queue wait
 * (expiry after the maximum wait, the wait warnings) counts from then, as it counts from a spaced
 * page's first scheduled start, so waiting its turn behind the host's other pages never expires it.
 */
export async function postponeCrawlPage(db: Db, { id, until }: { id: string; until: Date }): Promise<void> {
  await db.update(jobs).set({ notBefore: until }).where(and(eq(jobs.id, id), eq(jobs.status, 'queued')));
}

/** Any account's crawl by id; callers check ownership so they can tell 403 from 404. */
export async function findCrawl(db: Db, id: string): Promise<Crawl | undefined> {
  const [crawl] = await db.select().from(crawls).where(eq(crawls.id, id));
  return crawl;
}

/**
 * The crawl row, locked until the transaction ends. Every writer of a crawl's counters and page
 * jobs (discovery, cancel, completion) takes it first, so their decisions are serialized: a
 * limit read here cannot be overtaken by another worker before this transaction commits.
 */
export async function lockCrawl(db: Db, id: string): Promise<Crawl | undefined> {
  const [crawl] = await db.select().from(crawls).where(eq(crawls.id, id)).for('update');
  return crawl;
}

export async function listCrawls(db: Db, { accountId, page, size }: { accountId: string; page: number; size: number }) {
  const where = and(eq(crawls.accountId, accountId), isNull(crawls.deletedAt));
  const [rows, [{ total }]] = await Promise.all([
    db.select().from(crawls).where(where).orderBy(desc(crawls.createdAt), desc(crawls.id)).limit(size).offset((page - 1) * size),
    db.select({ total: count() }).from(crawls).where(where),
  ]);
  return { rows, total };
}

export type CrawlTally = {
  counts: Record<JobStatus, number>;
  skipReasons: Partial<Record<CrawlSkipReason, number>>;
  /** URLs per depth, fetched (a page job) and skipped. */
  depths: { depth: number; fetched: number; skipped: number }[];
  creditsCharged: number;
  creditsReserved: number;
};

const emptyTally = (): CrawlTally => ({
  counts: { queued: 0, processing: 0, completed: 0, failed: 0, cancelled: 0, expired: 0 },
  skipReasons: {},
  depths: [],
  creditsCharged: 0,
  creditsReserved: 0,
});

/** Page jobs per state and credits (jobs_crawl_status_idx), and skipped URLs per reason, of each crawl. */
export async function tallyCrawls(db: Db, crawlIds: string[]): Promise<Map<string, CrawlTally>> {
  const tallies = new Map(crawlIds.map((id) => [id, emptyTally()]));
  if (crawlIds.length === 0) return tallies;
  const ids = sql`ARRAY[${sql.join(crawlIds.map((id) => sql`${id}`), sql`, `)}]::uuid[]`;
  const [jobRows, skipRows] = await Promise.all([
    db.execute<{ crawl_id: string; status: JobStatus; n: number; charged: number; cost: number }>(sql`
      SELECT crawl_id, status, count(*)::int AS n, coalesce(sum(credits_charged), 0)::int AS charged, coalesce(sum(credit_cost), 0)::int AS cost
      FROM jobs WHERE crawl_id = ANY(${ids}) GROUP BY crawl_id, status`),
    db.execute<{ crawl_id: string; depth: number; reason: CrawlSkipReason | null; n: number }>(sql`
      SELECT crawl_id, depth, skip_reason AS reason, count(*)::int AS n
      FROM crawl_urls WHERE crawl_id = ANY(${ids}) GROUP BY crawl_id, depth, skip_reason`),
  ]);
  for (const row of jobRows) {
    const tally = tallies.get(row.crawl_id)!;
    tally.counts[row.status] = row.n;
    tally.creditsCharged += row.charged;
    if (row.status === 'queued' || row.status === 'processing') tally.creditsReserved += row.cost;
  }
  for (const row of skipRows) {
    const tally = tallies.get(row.crawl_id)!;
    if (row.reason) tally.skipReasons[row.reason] = (tally.skipReasons[row.reason] ?? 0) + row.n;
    let level = tally.depths.find((d) => d.depth === row.depth);
    if (!level) tally.depths.push((level = { depth: row.depth, fetched: 0, skipped: 0 }));
    if (row.reason) level.skipped += row.n;
    else level.fetched += row.n;
  }
  for (const tally of tallies.values()) tally.depths.sort((a, b) => a.depth - b.depth);
  return tallies;
}

/** The hosts of a crawl already looked up, with their robots.txt. */
export async function findCrawlHosts(db: Db, { crawlId, hosts }: { crawlId: string; hosts: string[] }) {
  if (hosts.length === 0) return [];
  return db
    .select()
    .from(crawlHosts)
    .where(and(eq(crawlHosts.crawlId, crawlId), sql`${crawlHosts.host} = ANY(${sql`ARRAY[${sql.join(hosts.map((h) => sql`${h}`), sql`, `)}]::text[]`})`));
}

/** Records a host's robots.txt; the first worker to look it up wins, later ones keep its answer. */
export async function saveCrawlHost(db: Db, values: typeof crawlHosts.$inferInsert): Promise<void> {
  await db.insert(crawlHosts).values(values).onConflictDoNothing();
}

/** Of `urls`, those the crawl has already seen (by any page). A URL once seen stays seen, so the answer never goes stale. */
export async function seenCrawlUrls(db: Db, { crawlId, urls }: { crawlId: string; urls: string[] }): Promise<Set<string>> {
  if (urls.length === 0) return new Set();
  const rows = await db.execute<{ url: string }>(sql`
    SELECT url FROM crawl_urls WHERE crawl_id = ${crawlId} AND url IN (SELECT jsonb_array_elements_text(${JSON.stringify(urls)}::jsonb))`);
  return new Set(rows.map((row) => row.url));
}

export type CandidateUrl = { url: string; depth: number; parentUrl: string | null; reason: CrawlSkipReason | null };

/**
 * Writes the URLs a page led to, each once per crawl: a URL already seen (by this or any worker)
 * is ignored by the primary key. Returns the URLs that are new, in the order given, with the
 * reason already decided for them (null: to be fetched, if the limits allow).
 */
export async function insertCandidateUrls(db: Db, { crawlId, candidates }: { crawlId: string; candidates: CandidateUrl[] }) {
  if (candidates.length === 0) return [];
  const payload = JSON.stringify(candidates.map((c, i) => ({ i, url: c.url, depth: c.depth, parent: c.parentUrl, reason: c.reason })));
  const rows = await db.execute<{ url: string; reason: CrawlSkipReason | null; seq: number }>(sql`
    WITH base AS (SELECT coalesce(max(seq), 0) AS n FROM crawl_urls WHERE crawl_id = ${crawlId})
    INSERT INTO crawl_urls (crawl_id, url, depth, seq, parent_url, skip_reason)
    SELECT ${crawlId}, c.url, c.depth, base.n + c.i + 1, c.parent, c.reason
    FROM jsonb_to_recordset(${payload}::jsonb) AS c(i int, url text, depth int, parent text, reason text), base
    ON CONFLICT (crawl_id, url) DO NOTHING
    RETURNING url, skip_reason AS reason, seq`);
  return [...rows].sort((a, b) => a.seq - b.seq);
}

/** Settles the new URLs: a job id for each fetched one, a reason for each held back by a limit. */
export async function settleCandidateUrls(
  db: Db,
  { crawlId, fetched, held }: { crawlId: string; fetched: { url: string; jobId: string }[]; held: { url: string; reason: CrawlSkipReason }[] },
): Promise<void> {
  if (fetched.length + held.length === 0) return;
  const payload = JSON.stringify([...fetched.map((f) => ({ url: f.url, job: f.jobId, reason: null })), ...held.map((h) => ({ url: h.url, job: null, reason: h.reason }))]);
  await db.execute(sql`
    UPDATE crawl_urls u SET job_id = c.job, skip_reason = c.reason
    FROM jsonb_to_recordset(${payload}::jsonb) AS c(url text, job uuid, reason text)
    WHERE u.crawl_id = ${crawlId} AND u.url = c.url`);
}

/** The credits an account can still reserve, with its row locked until commit (finishRun settles on it later in the same transaction). */
export async function availableCredits(db: Db, accountId: string): Promise<number> {
  const rows = await db.execute<{ available: number }>(sql`
    SELECT (credits - reserved_credits)::int AS available FROM accounts
    WHERE id = ${accountId} AND suspended_at IS NULL AND deletion_requested_at IS NULL AND deleted_at IS NULL
    FOR UPDATE`);
  return rows[0] ? Number(rows[0].available) : 0;
}

export async function reserveCrawlCredits(db: Db, { accountId, amount }: { accountId: string; amount: number }): Promise<void> {
  if (amount <= 0) return;
  await db.execute(sql`UPDATE accounts SET reserved_credits = reserved_credits + ${amount} WHERE id = ${accountId}`);
}

/** Raises the crawl's counters by what one discovery decided; stops it (with a reason) when credits ran out. */
export async function advanceCrawl(
  db: Db,
  { id, discovered, queued, skipped, nextStartAt, stopReason }: { id: string; discovered: number; queued: number; skipped: number; nextStartAt: Date | null; stopReason: string | null },
): Promise<void> {
  await db.execute(sql`
    UPDATE crawls SET
      discovered = discovered + ${discovered},
      queued = queued + ${queued},
      skipped = skipped + ${skipped},
      next_start_at = coalesce(${nextStartAt?.toISOString() ?? null}::timestamptz, next_start_at),
      stop_reason = coalesce(stop_reason, ${stopReason}::text),
      stopped_at = CASE WHEN ${stopReason}::text IS NOT NULL AND stopped_at IS NULL THEN now() ELSE stopped_at END
    WHERE id = ${id}`);
}

type CrawlJobsInsert = {
  crawl: Pick<Crawl, 'id' | 'accountId' | 'apiKeyId' | 'engine' | 'config' | 'name' | 'tags' | 'priority' | 'scheduleId' | 'changeSeries'>;
  /** notBefore: a page spaced by the politeness delay, its delivery's startAfter (its queue wait counts from then). */
  jobs: { id: string; url: string; depth: number; notBefore?: Date }[];
  maxAttempts: number;
  creditCost: number;
  isTest: boolean;
};

/** Writes a crawl's page jobs and their first two log entries, in two statements however many pages. */
export async function insertCrawlJobs(db: Db, args: CrawlJobsInsert): Promise<void> {
  if (args.jobs.length === 0) return;
  const { crawl } = args;
  const payload = JSON.stringify(args.jobs.map((job) => ({ id: job.id, url: job.url, depth: job.depth, not_before: job.notBefore?.toISOString() ?? null })));
  const tags = crawl.tags.length === 0 ? sql`'{}'::text[]` : sql`ARRAY[${sql.join(crawl.tags.map((t) => sql`${t}`), sql`, `)}]::text[]`;
  await db.execute(sql`
    INSERT INTO jobs (id, account_id, api_key_id, url, engine, config, name, tags, priority, max_attempts,
      credit_cost, is_test, crawl_id, schedule_id, change_series, not_before, log_seq)
    SELECT e.id, ${crawl.accountId}, ${crawl.apiKeyId}, e.url, ${crawl.engine}, ${JSON.stringify(crawl.config)}::jsonb,
      ${crawl.name}, ${tags}, ${crawl.priority}, ${args.maxAttempts}, ${args.creditCost}, ${args.isTest},
      ${crawl.id}, ${crawl.scheduleId}, ${crawl.changeSeries}, e.not_before, 2
    FROM jsonb_to_recordset(${payload}::jsonb) AS e(id uuid, url text, not_before timestamptz)`);
  await db.execute(sql`
    INSERT INTO job_logs (job_id, seq, ts, level, message)
    SELECT e.id, m.seq, now(), 'INFO', CASE m.seq WHEN 1 THEN 'Job queued' ELSE 'Crawl page at depth ' || e.depth END
    FROM jsonb_to_recordset(${payload}::jsonb) AS e(id uuid, depth int), (VALUES (1), (2)) AS m(seq)`);
}

/** A crawl page's crawl and depth (its URL row), for the links it leads to: one statement. */
export async function findCrawlPage(db: Db, { crawlId, url }: { crawlId: string; url: string }): Promise<{ crawl: Crawl; depth: number } | undefined> {
  const [row] = await db
    .select({
      crawl: crawls,
      depth: sql<number | null>`(SELECT ${crawlUrls.depth} FROM ${crawlUrls} WHERE ${crawlUrls.crawlId} = ${crawlId} AND ${crawlUrls.url} = ${url})`,
    })
    .from(crawls)
    .where(eq(crawls.id, crawlId));
  return row && { crawl: row.crawl, depth: row.depth ?? 0 };
}

/**
 * Marks the crawl completed once none of its page jobs is queued or processing, with its
 * crawl.completed event in the outbox; one statement. Run after a page's transaction has
 * committed (or by the sweeper): of pages ending at once, the check of the last to commit sees
 * every end. With `wake`, a crawl not yet done wakes the workers of that queue instead: the page's
 * end may have freed a slot of its host's group, which pg-boss would only notice at its next poll
 * (its own NOTIFY comes with inserts, not with ends).
 */
export async function completeCrawlIfDone(db: Db, id: string, { wake }: { wake?: string } = {}): Promise<boolean> {
  const [row] = await db.execute<{ completed: boolean }>(sql`
    WITH done AS (
      UPDATE crawls SET completed_at = now()
      WHERE id = ${id} AND completed_at IS NULL AND cancelled_at IS NULL
        AND NOT EXISTS (SELECT 1 FROM jobs WHERE crawl_id = ${id} AND status IN ('queued', 'processing'))
      RETURNING id, account_id
    ), event AS (
      INSERT INTO webhook_outbox (account_id, crawl_id, event) SELECT account_id, id, 'crawl.completed' FROM done
    ), outcome AS (SELECT EXISTS (SELECT 1 FROM done) AS completed)
    SELECT completed, CASE
      WHEN completed THEN pg_notify(${webhookOutboxChannel}, '')
      WHEN ${wake ?? null}::text IS NOT NULL THEN pg_notify(${pgBossChannel}, ${wake ?? null}::text)
    END
    FROM outcome`);
  return row.completed;
}

/** pg-boss's own NOTIFY channel for the `pgboss` schema (what its workers LISTEN on). */
const pgBossChannel = `pgboss_${createHash('sha224').update('pgboss').digest('hex').slice(0, 24)}`;

/** Crawls not completed or cancelled whose page jobs are all terminal: the sweeper completes them. */
export async function findFinishedCrawls(db: Db, limit = 50): Promise<string[]> {
  const rows = await db.execute<{ id: string }>(sql`
    SELECT c.id FROM crawls c
    WHERE c.completed_at IS NULL AND c.cancelled_at IS NULL
      AND NOT EXISTS (SELECT 1 FROM jobs WHERE crawl_id = c.id AND status IN ('queued', 'processing'))
    LIMIT ${limit}`);
  return rows.map((row) => row.id);
}

/**
 * Cancels a crawl at once, in one statement, under its lock: every queued and processing page
 * job becomes cancelled (with the two log entries a cancel writes and its reserved credits
 * released), the processing ones announced to their workers, and ONE crawl.cancelled event is
 * written, not one per page. Returns the ids of the pages that were queued, for their queue entries.
 */
export async function cancelCrawlPages(db: Db, { crawl, requested }: { crawl: Crawl; requested: string }): Promise<{ queued: string[]; processing: number }> {
  const rows = await db.execute<{ id: string; was: JobStatus }>(sql`
    WITH targets AS (
      SELECT id, status FROM jobs WHERE crawl_id = ${crawl.id} AND status IN ('queued', 'processing') FOR UPDATE
    ), cancelled AS (
      -- Not jobs.status = targets.status: a page a worker claimed while this statement waited for
      -- its lock is 'processing' in targets (the locked row) but 'queued' in this scan's snapshot.
      UPDATE jobs SET ${cancelledInBulk}
      FROM targets WHERE jobs.id = targets.id AND jobs.status IN ('queued', 'processing')
      RETURNING jobs.id, targets.status AS was, jobs.credit_cost, jobs.log_seq
    ), logs AS (
      INSERT INTO job_logs (job_id, seq, ts, level, message)
      SELECT c.id, c.log_seq - 2 + m.k, clock_timestamp(), 'INFO', m.message
      FROM cancelled c, (VALUES (1, ${requested}), (2, 'Job cancelled with its crawl')) AS m(k, message)
    ), released AS (
      UPDATE accounts SET reserved_credits = reserved_credits - (SELECT coalesce(sum(credit_cost), 0) FROM cancelled)
      WHERE id = ${crawl.accountId} AND EXISTS (SELECT 1 FROM cancelled WHERE credit_cost > 0)
    ), marked AS (
      UPDATE crawls SET cancelled_at = now(), completed_at = now() WHERE id = ${crawl.id}
    ), event AS (
      INSERT INTO webhook_outbox (account_id, crawl_id, event) VALUES (${crawl.accountId}, ${crawl.id}, 'crawl.cancelled')
    )
    SELECT id, was, CASE WHEN was = 'processing' THEN pg_notify(${cancelChannel}, id::text) END FROM cancelled`);
  await db.execute(sql`SELECT pg_notify(${webhookOutboxChannel}, '')`);
  return { queued: rows.filter((r) => r.was === 'queued').map((r) => r.id), processing: rows.filter((r) => r.was === 'processing').length };
}

export type CrawlPageRow = {
  url: string;
  depth: number;
  parentUrl: string | null;
  skipReason: CrawlSkipReason | null;
  jobId: string | null;
  status: JobStatus | null;
  errorType: ErrorType | null;
  errorMessage: string | null;
  createdAt: Date;
};

function pageFilters(crawlId: string, query: Partial<ListCrawlPagesQuery>): SQL {
  const where: SQL[] = [sql`u.crawl_id = ${crawlId}`];
  if (query.outcome === 'skipped') where.push(sql`u.skip_reason IS NOT NULL`);
  else if (query.outcome) where.push(sql`j.status = ${query.outcome}`);
  if (query.reason) where.push(sql`u.skip_reason = ${query.reason}`);
  if (query.depth !== undefined) where.push(sql`u.depth = ${query.depth}`);
  if (query.q) where.push(sql`u.url ILIKE ${`%${query.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`}`);
  return sql.join(where, sql` AND `);
}

/** The ledger: a crawl's URLs in discovery order with their page job's outcome, filtered; and the count. */
export async function listCrawlPages(db: Db, { crawlId, query, limit, offset }: { crawlId: string; query: Partial<ListCrawlPagesQuery>; limit: number; offset: number }) {
  const where = pageFilters(crawlId, query);
  const [rows, [{ total }]] = await Promise.all([
    db.execute<Record<string, unknown>>(sql`
      SELECT u.url, u.depth, u.parent_url, u.skip_reason, u.job_id, u.created_at, j.status, j.error_type, j.error_message
      FROM crawl_urls u LEFT JOIN jobs j ON j.id = u.job_id
      WHERE ${where} ORDER BY u.seq LIMIT ${limit} OFFSET ${offset}`),
    db.execute<{ total: number }>(sql`SELECT count(*)::int AS total FROM crawl_urls u LEFT JOIN jobs j ON j.id = u.job_id WHERE ${where}`),
  ]);
  const pages: CrawlPageRow[] = rows.map((row) => ({
    url: row.url as string,
    depth: Number(row.depth),
    parentUrl: (row.parent_url as string | null) ?? null,
    skipReason: (row.skip_reason as CrawlSkipReason | null) ?? null,
    jobId: (row.job_id as string | null) ?? null,
    status: (row.status as JobStatus | null) ?? null,
    errorType: (row.error_type as ErrorType | null) ?? null,
    errorMessage: (row.error_message as string | null) ?? null,
    createdAt: new Date(row.created_at as string),
  }));
  return { pages, total: Number(total) };
}
