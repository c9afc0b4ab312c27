import { and, sql, type AnyColumn, type SQL } from 'drizzle-orm';
import { addDays, datePresets, localToday, type DatePresetId } from '@/lib/date-ranges';
import { localMidnight } from '@/lib/day-series';
import { activeStatuses, type Engine, type JobStatus } from '@/lib/jobs';
import type { Priority } from '@/lib/queue';
import type { ListJobsQuery } from '@/lib/schemas/jobs';
import type { Db } from '../client';
import { jobs, jobSearch } from '../schema';
import {
  countJobGroups, countNamedJobs, dimensionWhere, jobCountsReady, jobSearchReady, namesMatching, onTheHour, toDimensionCount,
  type CountRow, type DimensionFilters, type DimensionCount, type InstantRange, type RawDimensionCount,
} from './job-counts';
import { containsPattern, jobFilters, searchCondition } from './jobs';

export type JobCounts = {
  status: Partial<Record<JobStatus, number>>;
  engine: Partial<Record<Engine, number>>;
  key: Record<string, number>;
  priority: Partial<Record<Priority, number>>;
  date: Record<DatePresetId, number>;
};

/** The list filters alone, without paging or sorting (bulk delete, export). */
export type JobFilterQuery = Partial<Pick<ListJobsQuery, 'status' | 'engine' | 'key' | 'from' | 'to' | 'tz' | 'q' | 'name' | 'tag' | 'priority' | 'batch' | 'crawl' | 'changed'>>;

type Dimension = 'status' | 'engine' | 'key' | 'priority';

/** Whether a group of jobs passes the filters on status, engine, key and priority, less `omit`. */
function matches(row: DimensionCount, query: JobFilterQuery, omit?: Dimension): boolean {
  if (omit !== 'status' && query.status) {
    if (query.status === 'active' ? !(activeStatuses as readonly string[]).includes(row.status) : row.status !== query.status) return false;
  }
  if (omit !== 'engine' && query.engine && row.engine !== query.engine) return false;
  if (omit !== 'key' && query.key && row.apiKeyId !== query.key) return false;
  if (omit !== 'priority' && query.priority && row.priority !== query.priority) return false;
  return true;
}

const sumOf = (rows: { n: number }[]) => rows.reduce((n, row) => n + row.n, 0);

function tally(rows: DimensionCount[], pick: (row: DimensionCount) => string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const row of rows) out[pick(row)] = (out[pick(row)] ?? 0) + row.n;
  return out;
}

/**
 * The filters the roll-ups cannot answer: these need the jobs themselves. One tag they answer (its
 * own rows); several cannot be summed, since a job may carry more than one of them.
 */
function needsRows(query: JobFilterQuery): boolean {
  return Boolean(query.q || query.name || (query.tag?.length ?? 0) > 1 || query.batch || query.crawl || query.changed);
}

/** The one tag a query filters on, which the roll-ups count under. */
const rolledTag = (query: JobFilterQuery) => (query.tag?.length === 1 ? query.tag[0] : undefined);

/** The query's filters on the counted dimensions (status, engine, key, priority). */
const dimensionsOf = (filters: JobFilterQuery): DimensionFilters => ({
  status: filters.status === 'active' ? [...activeStatuses] : filters.status ? [filters.status] : undefined,
  engine: filters.engine,
  apiKeyId: filters.key,
  priority: filters.priority,
});

/**
 * The query as roll-up filters (a created-at range on whole hours and the dimension filters), or
 * null when the roll-ups cannot answer it: a search, name, tags or batch filter, a timezone off
 * the hour, or an account not counted yet.
 */
export async function rollupView(db: Db, { accountId, query }: { accountId: string; query: JobFilterQuery }) {
  const range = filterRange(query);
  if (needsRows(query) || !onTheHour(range) || !(await jobCountsReady(db, accountId))) return null;
  const dims: DimensionFilters = { ...dimensionsOf(query), tag: rolledTag(query) };
  return { range, dims };
}

function filterRange(query: JobFilterQuery): InstantRange {
  const tz = query.tz ?? 0;
  return {
    from: query.from ? localMidnight(query.from, tz) : undefined,
    to: query.to ? localMidnight(query.to, tz, 1) : undefined,
  };
}

function presetRanges(tz: number): Record<DatePresetId, InstantRange> {
  const today = localToday(tz);
  return Object.fromEntries(
    datePresets.map((preset) => [preset.id, { from: localMidnight(addDays(today, -(preset.days - 1)), tz), to: localMidnight(today, tz, 1) }]),
  ) as Record<DatePresetId, InstantRange>;
}

const inRange = (range: InstantRange, column: AnyColumn = jobs.createdAt): SQL =>
  and(
    sql`true`,
    range.from ? sql`${column} >= ${range.from.toISOString()}::timestamptz` : undefined,
    range.to ? sql`${column} < ${range.to.toISOString()}::timestamptz` : undefined,
  )!;

/**
 * The jobs of each named range as groups (status, engine, key, priority, credits), under the
 * filters the roll-ups cannot answer (search, name, several tags, batch). From the roll-ups when
 * there are none (and the account is counted); otherwise one scan of the matching jobs, by the indexes those
 * filters have (trigram on url and name, GIN on tags, the batch index).
 */
async function groupsByRange<R extends string>(
  db: Db,
  { accountId, query, ranges, narrowed = false }: { accountId: string; query: JobFilterQuery; ranges: Record<R, InstantRange>; narrowed?: boolean },
): Promise<Record<R, CountRow[]>> {
  const names = Object.keys(ranges) as R[];
  if (!needsRows(query) && (await jobCountsReady(db, accountId))) {
    const groups = await Promise.all(names.map((name) => countJobGroups(db, { accountId, range: ranges[name], tag: rolledTag(query) })));
    return Object.fromEntries(names.map((name, i) => [name, groups[i]])) as Record<R, CountRow[]>;
  }
  // The dimension filters are applied to the groups by the caller, or here too when it wants only
  // the matching groups (`narrowed`): then the scan visits the matching jobs alone.
  const dimensions: JobFilterQuery = narrowed ? { status: query.status, engine: query.engine, key: query.key, priority: query.priority } : {};
  const rest: JobFilterQuery = { ...dimensions, q: query.q, name: query.name, tag: query.tag, batch: query.batch, crawl: query.crawl, changed: query.changed };
  // A name filter, once the account is counted: the matching names from their roll-up, then those
  // names' stretches of the name index (read without the table) instead of every name checked.
  const byNames = query.name && (await jobCountsReady(db, accountId))
    ? [...jobFilters(accountId, { ...rest, name: undefined }), sql`${jobs.name} IN ${namesMatching(accountId, containsPattern(query.name))}`]
    : jobFilters(accountId, rest);
  const flags = names.map((name, i) => sql`${inRange(ranges[name])} AS ${sql.raw(`r${i}`)}`);
  const rows = await db.execute<Record<string, unknown>>(sql`
    SELECT status, engine, api_key_id, priority,
      CASE WHEN status IN ('queued', 'processing') THEN credit_cost ELSE credits_charged END AS credits,
      ${sql.join(flags, sql`, `)}, count(*) AS n,
      count(*) FILTER (WHERE status IN ('completed', 'failed') AND duration_ms IS NOT NULL) AS ran_n,
      coalesce(sum(duration_ms) FILTER (WHERE status IN ('completed', 'failed')), 0) AS ran_ms
    FROM jobs
    WHERE ${and(...byNames, sql`(${sql.join(names.map((name) => inRange(ranges[name])), sql` OR `)})`)}
    GROUP BY ${sql.raw(Array.from({ length: 5 + names.length }, (_, i) => i + 1).join(', '))}`);
  const out = Object.fromEntries(names.map((name) => [name, [] as CountRow[]])) as Record<R, CountRow[]>;
  for (const row of rows) {
    const group: CountRow = {
      status: row.status as JobStatus,
      engine: row.engine as Engine,
      apiKeyId: row.api_key_id as string,
      priority: row.priority as Priority,
      credits: Number(row.credits),
      n: Number(row.n),
      ranN: Number(row.ran_n),
      ranMs: Number(row.ran_ms),
    };
    names.forEach((name, i) => {
      if (row[`r${i}`]) out[name].push(group);
    });
  }
  return out;
}

/**
 * The count beside each option of the jobs list filters (spec section 9): for every filter, the
 * jobs that match all the *other* active filters, grouped by that filter's values; for the date
 * presets, the jobs that match every filter but the date. The rules are jobFilters', so a count
 * always equals what choosing the option would list.
 */
export async function countJobsByFilter(db: Db, { accountId, query }: { accountId: string; query: JobFilterQuery }): Promise<JobCounts> {
  const presets = presetRanges(query.tz ?? 0);
  const pattern = await namedRollup(db, { accountId, filters: query });
  let range: DimensionCount[];
  let date: JobCounts['date'];
  if (pattern) {
    // A name filter: the dimensions from its roll-up, the date presets counted from the name index.
    [range, date] = await Promise.all([countNamedJobs(db, { accountId, pattern, dims: {} }), countNamedPresets(db, { accountId, query, presets })]);
  } else {
    const ranges = { range: filterRange(query), ...presets };
    const term = await searchOnly(db, { accountId, filters: query });
    const groups: Record<keyof typeof ranges, DimensionCount[]> = term
      ? await countSearchedJobs(db, { accountId, q: term, ranges })
      : await groupsByRange(db, { accountId, query, ranges });
    range = groups.range;
    date = Object.fromEntries(datePresets.map((preset) => [preset.id, sumOf(groups[preset.id].filter((row) => matches(row, query)))])) as JobCounts['date'];
  }
  const without = (omit: Dimension) => range.filter((row) => matches(row, query, omit));
  return {
    status: tally(without('status'), (row) => row.status),
    engine: tally(without('engine'), (row) => row.engine),
    key: tally(without('key'), (row) => row.apiKeyId),
    priority: tally(without('priority'), (row) => row.priority),
    date,
  };
}

/**
 * The jobs of each date preset under every filter, a name among them: one pass over the matching
 * names' stretches of the name index (newer than the longest preset), a count per preset.
 */
async function countNamedPresets(
  db: Db,
  { accountId, query, presets }: { accountId: string; query: JobFilterQuery; presets: Record<DatePresetId, InstantRange> },
): Promise<JobCounts['date']> {
  const ids = Object.keys(presets) as DatePresetId[];
  const [row] = await db.execute<Record<string, string>>(sql`
    SELECT ${sql.join(ids.map((id, i) => sql`count(*) FILTER (WHERE ${inRange(presets[id])}) AS ${sql.raw(`r${i}`)}`), sql`, `)}
    FROM jobs
    WHERE ${and(...jobFilters(accountId, { ...query, name: undefined }), sql`${jobs.name} IN ${namesMatching(accountId, containsPattern(query.name!))}`,
      sql`(${sql.join(ids.map((id) => inRange(presets[id])), sql` OR `)})`)}`);
  return Object.fromEntries(ids.map((id, i) => [id, Number(row[`r${i}`])])) as JobCounts['date'];
}

/** The groups of the jobs the filters match, for totals and the overview's figures. */
export async function matchingJobGroups(db: Db, { accountId, filters }: { accountId: string; filters: JobFilterQuery }): Promise<CountRow[]> {
  const { range } = await groupsByRange(db, { accountId, query: filters, ranges: { range: filterRange(filters) }, narrowed: true });
  return range.filter((row) => matches(row, filters));
}

/**
 * A name filter the per-name roll-up answers: besides the name, only the dimensions it counts by
 * (status, engine, key, priority), over all time, with the account counted. Returns its pattern.
 */
async function namedRollup(db: Db, { accountId, filters }: { accountId: string; filters: JobFilterQuery }): Promise<string | null> {
  if (!filters.name || filters.from || filters.to || filters.tag?.length || needsRows({ ...filters, name: undefined })) return null;
  return (await jobCountsReady(db, accountId)) ? containsPattern(filters.name) : null;
}

/**
 * A search job_search answers: a term, with at most the dimension and date filters besides, once
 * the account's older jobs are copied there. Returns the term.
 */
async function searchOnly(db: Db, { accountId, filters }: { accountId: string; filters: JobFilterQuery }): Promise<string | null> {
  if (!filters.q || filters.name || filters.tag?.length || filters.batch || filters.crawl || filters.changed) return null;
  return (await jobSearchReady(db, accountId)) ? filters.q : null;
}

/**
 * The jobs a search term matches in each named range, per status, engine, key and priority, under
 * the dimension filters: one pass over job_search (a third of the pages the job rows take).
 */
async function countSearchedJobs<R extends string>(
  db: Db,
  { accountId, q, ranges, dims = {} }: { accountId: string; q: string; ranges: Record<R, InstantRange>; dims?: DimensionFilters },
): Promise<Record<R, DimensionCount[]>> {
  const names = Object.keys(ranges) as R[];
  const within = names.map((name) => inRange(ranges[name], jobSearch.createdAt));
  const rows = await db.execute<RawDimensionCount & Record<string, unknown>>(sql`
    SELECT api_key_id, status, engine, priority, ${sql.join(within.map((range, i) => sql`${range} AS ${sql.raw(`r${i}`)}`), sql`, `)}, count(*) AS n
    FROM job_search
    WHERE account_id = ${accountId} AND ${searchCondition(q, { url: jobSearch.url, id: jobSearch.jobId, lowered: true })}
      ${dimensionWhere(dims)} AND (${sql.join(within, sql` OR `)})
    GROUP BY ${sql.raw(Array.from({ length: 4 + names.length }, (_, i) => i + 1).join(', '))}`);
  const out = Object.fromEntries(names.map((name) => [name, [] as DimensionCount[]])) as Record<R, DimensionCount[]>;
  for (const row of rows) {
    const group = toDimensionCount(row);
    names.forEach((name, i) => {
      if (row[`r${i}`]) out[name].push(group);
    });
  }
  return out;
}

/** The jobs the filters match per key, status, engine and priority: the list's total and its key segments. */
export async function matchingDimensionCounts(db: Db, { accountId, filters }: { accountId: string; filters: JobFilterQuery }): Promise<DimensionCount[]> {
  const pattern = await namedRollup(db, { accountId, filters });
  if (pattern) return countNamedJobs(db, { accountId, pattern, dims: dimensionsOf(filters) });
  const term = await searchOnly(db, { accountId, filters });
  if (term) return (await countSearchedJobs(db, { accountId, q: term, ranges: { range: filterRange(filters) }, dims: dimensionsOf(filters) })).range;
  return matchingJobGroups(db, { accountId, filters });
}

/** Jobs the filters match (not deleted), and how many of them are still queued or processing. */
export async function countMatchingJobs(db: Db, { accountId, filters }: { accountId: string; filters: JobFilterQuery }) {
  const rows = await matchingDimensionCounts(db, { accountId, filters });
  return {
    total: sumOf(rows),
    active: sumOf(rows.filter((row) => (activeStatuses as readonly string[]).includes(row.status))),
  };
}
