// What each query parameter means, by name: the same name means the same thing on every
// operation that takes it (the jobs list, its counts, export and the admin list share one filter
// builder). A parameter whose schema already describes itself keeps that text; tests and
// `redocly lint` fail while a query parameter has neither.

export const queryParameterDescriptions: Record<string, string> = {
  status: 'Only jobs in this state; `active` means queued or processing.',
  engine: 'Only jobs run by this engine.',
  key: 'Only jobs submitted with this API key (its id).',
  from: 'Only jobs created on or after this local date (YYYY-MM-DD, in the timezone `tz`). At most 90 days before `to`.',
  to: 'Only jobs created on or before this local date (YYYY-MM-DD, in the timezone `tz`).',
  tz: 'The timezone of the dates, in minutes as `Date#getTimezoneOffset` reports them (UTC+2 is -120). Default 0 (UTC).',
  q: 'A substring of the URL, or the start of a job id.',
  name: "A substring of the job's name, case-insensitive.",
  tag: 'Jobs with any of these tags, comma-separated: `tag=a,b`.',
  priority: 'Only jobs of this priority.',
  batch: 'Only jobs created in this batch (its id).',
  page: 'The page to return, from 1.',
  cursor: "The previous page's `nextCursor`, for the page after it (keyset paging): `page` is then ignored, and `sort` and `order` must be the ones that page was read with.",
  size: 'Items per page: 25, 50 or 100.',
  sort: 'The column to sort by.',
  order: 'Sort order: `asc` or `desc` (default).',
  after: 'Only entries with a `seq` greater than this: pass the last `seq` you have to read only newer entries.',
  format: 'The file format of the export.',
  count: '`true`: reply with a summary of what an export would hold (how many jobs, the warning, exports left) instead of the file.',
  account: 'An account id, or part of an account email (case-insensitive).',
  actorType: 'Only entries made by this kind of actor.',
  crawl: 'Only the pages fetched by this crawl (its id).',
  outcome: "Only URLs with this outcome: the page job's state, or `skipped`.",
  reason: 'Only skipped URLs with this reason.',
  depth: 'Only URLs at this depth (links from the start URL: 0 is the start URL).',
  changed: '`true`: only runs that found their page changed or removed since the previous run of the same URL (change tracking: `trackChanges`, schedules, crawls).',
  extracted: "`true`: add each job's extracted document (`extracted` in JSON; in CSV a column `extracted.<field>` per top-level field of the jobs' extraction rules, in name order, lists and objects as JSON).",
  part: '`extracted`: the extracted document (JSON) of a job with extraction rules, instead of the content.',
};
