import { isIsoDate, maxRangeDays, rangeDays } from '@/lib/date-ranges';
import { engines, jobStatuses, uuidPattern, type Engine, type JobStatus } from '@/lib/jobs';
import { priorities, type Priority } from '@/lib/queue';
import { maxJobNameLength, maxTagLength, maxTags, pageSizes, sortColumns, type SortColumn } from '@/lib/schemas/jobs';

// The jobs list's state lives in the URL (spec section 9): ?status=&engine=&key=&from=&to=&q=
// &name=&tag=&priority=&batch=&changed=&page=&size=&sort=&order=. Parsing is forgiving (a bad value is
// ignored, not an error page), and defaults are left out of the URL so a shared link stays short.

export type StatusFilter = JobStatus | 'active';
export type PageSize = (typeof pageSizes)[number];
export type SortOrder = 'asc' | 'desc';

export type ListParams = {
  status?: StatusFilter;
  engine?: Engine;
  key?: string;
  from?: string;
  to?: string;
  q?: string;
  /** A substring of the job's name. */
  name?: string;
  /** Jobs with any of these tags, comma-separated as the API takes them. */
  tag?: string;
  priority?: Priority;
  /** Jobs of one batch. */
  batch?: string;
  /** "Changed only": runs that found their page changed or removed (change tracking). */
  changed?: boolean;
  page: number;
  size: PageSize;
  sort: SortColumn;
  order: SortOrder;
  /** Why the URL's date range was not applied (a bad date, or past the 90-day limit); the rest still is. */
  dateIssue?: string;
};

export const defaultSort = { sort: 'createdAt', order: 'desc' } as const satisfies { sort: SortColumn; order: SortOrder };
export const minSearchLength = 3;

type Source = URLSearchParams | Record<string, string | string[] | undefined>;

function read(source: Source, name: string): string | undefined {
  if (source instanceof URLSearchParams) return source.get(name) ?? undefined;
  const value = source[name];
  return Array.isArray(value) ? value[0] : value;
}

const tagPattern = /^[a-z0-9\-_:.]+$/;

/** A tag filter as typed ("daily, shop:eu"): normalized to "daily,shop:eu", or undefined when any tag is invalid. */
export function normalizeTagFilter(value: string | undefined): string | undefined {
  const tags = (value ?? '')
    .split(',')
    .map((tag) => tag.trim().toLowerCase())
    .filter(Boolean);
  if (tags.length === 0 || tags.length > maxTags) return undefined;
  return tags.every((tag) => tag.length <= maxTagLength && tagPattern.test(tag)) ? tags.join(',') : undefined;
}

export function normalizeNameFilter(value: string | undefined): string | undefined {
  const name = value?.trim();
  return name && name.length <= maxJobNameLength ? name : undefined;
}

export function parseListParams(source: Source): ListParams {
  const status = read(source, 'status');
  const engine = read(source, 'engine');
  const key = read(source, 'key');
  let from = read(source, 'from');
  let to = read(source, 'to');
  const q = read(source, 'q')?.trim();
  const priority = read(source, 'priority');
  const batch = read(source, 'batch');
  const page = Number(read(source, 'page'));
  const size = Number(read(source, 'size'));
  const sort = read(source, 'sort');
  const order = read(source, 'order');

  const dateIssue = describeDateIssue(from, to);
  if (dateIssue) {
    from = undefined;
    to = undefined;
  }
  const sortValid = (sortColumns as readonly string[]).includes(sort ?? '');
  return {
    status: status === 'active' || (jobStatuses as readonly string[]).includes(status ?? '') ? (status as StatusFilter) : undefined,
    engine: (engines as readonly string[]).includes(engine ?? '') ? (engine as Engine) : undefined,
    key: key && uuidPattern.test(key) ? key : undefined,
    from,
    to,
    q: q && q.length >= minSearchLength ? q : undefined,
    name: normalizeNameFilter(read(source, 'name')),
    tag: normalizeTagFilter(read(source, 'tag')),
    priority: (priorities as readonly string[]).includes(priority ?? '') ? (priority as Priority) : undefined,
    batch: batch && uuidPattern.test(batch) ? batch : undefined,
    changed: read(source, 'changed') === 'true' ? true : undefined,
    page: Number.isInteger(page) && page >= 1 ? page : 1,
    size: (pageSizes as readonly number[]).includes(size) ? (size as PageSize) : 25,
    sort: sortValid ? (sort as SortColumn) : defaultSort.sort,
    order: sortValid ? (order === 'asc' || order === 'desc' ? order : 'asc') : defaultSort.order,
    ...(dateIssue ? { dateIssue } : {}),
  };
}

/** What is wrong with a date range from the URL, in the words of the date filter; undefined when nothing is. */
export function describeDateIssue(from: string | undefined, to: string | undefined): string | undefined {
  for (const value of [from, to]) {
    if (value !== undefined && value !== '' && !isIsoDate(value)) return `"${value}" is not a date (YYYY-MM-DD).`;
  }
  if (!from || !to) return undefined;
  if (from > to) return '"From" must not be after "To".';
  if (rangeDays(from, to) > maxRangeDays) return `The date range can be at most ${maxRangeDays} days.`;
  return undefined;
}

/** The page's own query string: only what differs from the defaults, in a stable order. */
export function toSearchString(params: ListParams): string {
  const out = new URLSearchParams();
  if (params.status) out.set('status', params.status);
  if (params.engine) out.set('engine', params.engine);
  if (params.key) out.set('key', params.key);
  if (params.from) out.set('from', params.from);
  if (params.to) out.set('to', params.to);
  if (params.q) out.set('q', params.q);
  setLabelFilters(out, params);
  if (params.page > 1) out.set('page', String(params.page));
  if (params.size !== 25) out.set('size', String(params.size));
  if (params.sort !== defaultSort.sort || params.order !== defaultSort.order) {
    out.set('sort', params.sort);
    out.set('order', params.order);
  }
  const text = out.toString();
  return text ? `?${text}` : '';
}

function setLabelFilters(out: URLSearchParams, params: ListParams) {
  if (params.name) out.set('name', params.name);
  if (params.tag) out.set('tag', params.tag);
  if (params.priority) out.set('priority', params.priority);
  if (params.batch) out.set('batch', params.batch);
  if (params.changed) out.set('changed', 'true');
}

/** Filters only (no page, size or sort), with the viewer's offset when a date bound is set. */
function filterQuery(params: ListParams, tz: number): URLSearchParams {
  const out = new URLSearchParams();
  if (params.status) out.set('status', params.status);
  if (params.engine) out.set('engine', params.engine);
  if (params.key) out.set('key', params.key);
  if (params.from) out.set('from', params.from);
  if (params.to) out.set('to', params.to);
  if (params.q) out.set('q', params.q);
  setLabelFilters(out, params);
  // Date bounds are days in the viewer's timezone; without them the offset changes nothing.
  if (params.from || params.to) out.set('tz', String(tz));
  return out;
}

export function jobsApiUrl(params: ListParams, tz: number): string {
  const query = filterQuery(params, tz);
  query.set('page', String(params.page));
  query.set('size', String(params.size));
  query.set('sort', params.sort);
  query.set('order', params.order);
  return `/api/v1/jobs?${query}`;
}

export function countsApiUrl(params: ListParams, tz: number): string {
  return `/api/v1/jobs/counts?${filterQuery(params, tz)}`;
}

/** GET /api/v1/jobs/export for everything matching the filters; `count` asks only how many. */
export function exportApiUrl(params: ListParams, tz: number, format: 'csv' | 'json' | 'count', { extracted = false } = {}): string {
  const query = filterQuery(params, tz);
  // The file is dated in the viewer's timezone even without a date filter.
  query.set('tz', String(tz));
  if (format === 'count') query.set('count', '1');
  else query.set('format', format);
  if (extracted && format !== 'count') query.set('extracted', 'true');
  return `/api/v1/jobs/export?${query}`;
}

/** The body of POST /api/v1/jobs/delete: the list's filters as JSON. */
export function deleteJobsBody(params: ListParams, tz: number, dryRun: boolean) {
  const body: Record<string, string | number | boolean> = Object.fromEntries(filterQuery(params, tz));
  if ('tz' in body) body.tz = tz;
  return { ...body, dryRun };
}

export function hasActiveFilters(params: ListParams): boolean {
  return Boolean(
    params.status || params.engine || params.key || params.from || params.to || params.q || params.name || params.tag || params.priority || params.batch || params.changed,
  );
}

export function clearedFilters(params: ListParams): ListParams {
  return {
    ...params,
    status: undefined,
    engine: undefined,
    key: undefined,
    from: undefined,
    to: undefined,
    q: undefined,
    name: undefined,
    tag: undefined,
    priority: undefined,
    batch: undefined,
    changed: undefined,
    page: 1,
  };
}

/** Three-state sorting: ascending, descending, then back to the default (created, newest first). */
export function nextSort(params: ListParams, column: SortColumn): Pick<ListParams, 'sort' | 'order'> {
  // The default column starts out descending, so its cycle is: ascending, then back to default.
  if (column === defaultSort.sort) return params.sort === column && params.order === 'asc' ? { ...defaultSort } : { sort: column, order: 'asc' };
  if (params.sort !== column) return { sort: column, order: 'asc' };
  if (params.order === 'asc') return { sort: column, order: 'desc' };
  return { ...defaultSort };
}
