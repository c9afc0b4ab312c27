import { z } from 'zod';
import { engines, jobStatuses, resultFormats } from '@/lib/jobs';
import { decodeCursor } from '@/lib/list-cursor';
import { priorities } from '@/lib/queue';
import { extractRulesSchema } from './extract';

export const maxUrlLength = 8192;

export const maxTimeoutMs = 120_000;
export const defaultTimeoutMs = 30_000;
export const defaultWaitTimeoutMs = 10_000;

const httpUrl = z
  .string({ error: 'url is required' })
  .trim()
  .min(1, 'url is required')
  .max(maxUrlLength, `url must be at most ${maxUrlLength} characters`)
  .refine((value) => {
    try {
      const url = new URL(value);
      return url.protocol === 'http:' || url.protocol === 'https:';
    } catch {
      return false;
    }
  }, 'url must be an absolute http:// or https:// URL');

const headerName = z.string().regex(/^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/, 'invalid header name');

/** The request options a job runs with; stored as the job's `config`. */
export const jobRequestSchema = z.object({
  method: z.enum(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS']).default('GET'),
  headers: z.record(headerName, z.string().max(8192)).default({}),
  body: z.string().max(1_000_000, 'body must be at most 1,000,000 characters').optional(),
  cookies: z.record(z.string().min(1).max(256), z.string().max(4096)).default({}),
  renderJs: z.boolean().default(true),
  waitForSelector: z.string().trim().min(1).max(1024).optional(),
  waitTimeoutMs: z.number().int().min(100).max(maxTimeoutMs).default(defaultWaitTimeoutMs),
  screenshot: z.union([z.boolean(), z.enum(['viewport', 'fullPage'])]).default(false),
  proxyCountry: z
    .string()
    .trim()
    .regex(/^(auto|[A-Za-z]{2})$/, 'proxyCountry must be "auto" or a two-letter country code')
    .transform((value) => value.toLowerCase())
    .optional(),
  format: z.enum(resultFormats).default('html'),
  timeoutMs: z.number().int().min(1000).max(maxTimeoutMs).default(defaultTimeoutMs),
  extract: extractRulesSchema.optional(),
  trackChanges: z
    .boolean()
    .optional()
    .meta({ description: 'Compare each run with the previous completed run of the same URL (default false): the job gets a `change` (new, same, changed, removed) and a diff, and a change sends `job.changed`.' }),
});

export const maxJobNameLength = 200;
export const maxTags = 20;
export const maxTagLength = 50;

export const tag = z
  .string()
  .max(maxTagLength, `a tag must be at most ${maxTagLength} characters`)
  .regex(/^[a-z0-9\-_:.]+$/, 'a tag is lowercase letters, digits and - _ : . only');

/** A job's label, tags and queue priority: stored on the job, not in its request config. */
export const jobLabelFields = {
  name: z.string().trim().min(1, 'name must not be empty').max(maxJobNameLength, `name must be at most ${maxJobNameLength} characters`).optional(),
  tags: z
    .array(tag)
    .max(maxTags, `at most ${maxTags} tags`)
    .transform((tags) => [...new Set(tags)])
    .default([]),
  priority: z.enum(priorities).default('normal'),
};

/** Where to POST a job's (or batch's) terminal event; checked by the egress guard when sent. */
export const webhookUrlField = httpUrl
  .describe('Receives a signed POST when the job reaches a terminal state (see Webhooks in the docs).')
  .optional();

export const createJobBodySchema = jobRequestSchema.extend({
  url: httpUrl,
  engine: z.enum(engines).default('http'),
  ...jobLabelFields,
  webhookUrl: webhookUrlField,
});

export const maxScrapeWaitSeconds = 60;
export const defaultScrapeWaitSeconds = 30;

/** POST /api/v1/scrape: a job body plus how long to wait for it to finish. */
export const scrapeBodySchema = createJobBodySchema.extend({
  wait: z
    .number()
    .min(0)
    .max(maxScrapeWaitSeconds, `wait must be at most ${maxScrapeWaitSeconds} seconds`)
    .default(defaultScrapeWaitSeconds),
});
export type ScrapeBody = z.infer<typeof scrapeBodySchema>;

export type CreateJobBody = z.infer<typeof createJobBodySchema>;
export type JobConfig = z.infer<typeof jobRequestSchema>;

export const sortColumns = ['status', 'engine', 'apiKey', 'credits', 'duration', 'createdAt'] as const;
export type SortColumn = (typeof sortColumns)[number];

/** A real calendar date: 2026-02-30 or 2026-13-01 is a 400 naming the field, never a query. */
const isoDate = z.iso.date('must be a calendar date as YYYY-MM-DD');

export const pageSizes = [25, 50, 100] as const;
export const minSearchLength = 3;
export const maxDateRangeDays = 90;

/** The viewer's timezone: minutes east of UTC are negative, as Date#getTimezoneOffset reports them. */
export const tzOffsetField = z.coerce.number().int().min(-14 * 60).max(14 * 60).default(0);

/** Page number and size of a paginated list. */
export const pageFields = {
  page: z.coerce.number().int().min(1).default(1),
  size: z.coerce
    .number()
    .int()
    .refine((n) => (pageSizes as readonly number[]).includes(n), 'size must be 25, 50 or 100')
    .default(25),
};

/** The list filters of spec section 9, shared by the list, its counts, export and bulk delete. */
const jobFilterFields = {
  status: z.enum([...jobStatuses, 'active']).optional(),
  engine: z.enum(engines).optional(),
  key: z.uuid('key must be an API key id').optional(),
  from: isoDate.optional(),
  to: isoDate.optional(),
  tz: tzOffsetField,
  /** URL substring or job-ID prefix; 3 characters at least, as the dashboard's search (spec section 9). */
  q: z
    .string()
    .trim()
    .max(maxUrlLength)
    .transform((value) => value || undefined)
    .refine((value) => value === undefined || value.length >= minSearchLength, `q must be at least ${minSearchLength} characters`)
    .optional(),
  /** A substring of the job's name, case-insensitive. */
  name: z.string().trim().min(1).max(maxJobNameLength).optional(),
  /** Jobs carrying any of these tags: `tag=a,b` in a query string, a string or an array in a body. */
  tag: z
    .union([z.string(), z.array(z.string())])
    .transform((value) => (Array.isArray(value) ? value : value.split(',')).map((t) => t.trim()).filter(Boolean))
    .pipe(z.array(tag).max(maxTags))
    .optional(),
  priority: z.enum(priorities).optional(),
  /** Jobs created in this batch. */
  batch: z.uuid('batch must be a batch id').optional(),
  /** Pages fetched by this crawl. */
  crawl: z.uuid('crawl must be a crawl id').optional(),
  /** Only runs that found their page changed or removed since the previous run (change tracking). */
  changed: z.union([z.boolean(), z.stringbool()], 'changed must be true or false').optional(),
};

function withDateRangeRules<S extends z.ZodType<{ from?: string; to?: string }>>(schema: S) {
  return schema
    .refine((query) => !query.from || !query.to || query.from <= query.to, {
      path: ['to'],
      message: 'to must not be before from',
    })
    .refine(
      (query) =>
        !query.from ||
        !query.to ||
        (Date.parse(query.to) - Date.parse(query.from)) / 86_400_000 <= maxDateRangeDays,
      { path: ['from'], message: `the date range must be at most ${maxDateRangeDays} days` },
    );
}

export const listJobsQuerySchema = withDateRangeRules(
  z.object({
    ...jobFilterFields,
    ...pageFields,
    sort: z.enum(sortColumns).default('createdAt'),
    order: z.enum(['asc', 'desc']).default('desc'),
    /**
     * Keyset paging for API clients: the `nextCursor` of the previous page. The page then starts
     * right after that page's last job, so jobs created meanwhile never shift or repeat a page;
     * `page` is ignored and `sort`/`order` must be the ones the cursor was made with.
     */
    cursor: z
      .string()
      .max(500)
      .transform((text, ctx) => {
        const cursor = decodeCursor(text);
        if (!cursor) ctx.addIssue({ code: 'custom', message: 'cursor must be the nextCursor of a previous page' });
        return cursor ?? z.NEVER;
      })
      .optional(),
  }),
).refine((query) => !query.cursor || (query.cursor.sort === query.sort && query.cursor.order === query.order), {
  path: ['cursor'],
  message: 'cursor was made for another sort or order: pass the same sort and order as the page it came from',
});

export type ListJobsQuery = z.infer<typeof listJobsQuerySchema>;

/** GET /api/v1/jobs/counts: the list's filters only; paging and sort parameters are accepted and ignored. */
export const countJobsQuerySchema = withDateRangeRules(z.object(jobFilterFields));

export const listLogsQuerySchema = z.object({
  after: z.coerce.number().int().min(0).optional(),
});

export const jobIdSchema = z.uuid('job id must be a UUID');

/** GET /api/v1/jobs/{id}/result: the content (default), or the extracted document. */
export const resultQuerySchema = z.object({
  part: z.enum(['content', 'extracted'], 'part must be content or extracted').default('content'),
});

/** GET /api/v1/jobs/export: the list filters, the file format, and `count=1` for the count only. */
export const exportJobsQuerySchema = withDateRangeRules(
  z.object({
    ...jobFilterFields,
    format: z.enum(['csv', 'json'], 'format must be csv or json').default('csv'),
    count: z.stringbool().default(false),
    /** Add each job's extracted document: `extracted` in JSON, a column per extracted field in CSV. */
    extracted: z.stringbool().default(false),
  }),
);
export type ExportJobsQuery = z.infer<typeof exportJobsQuerySchema>;

/** POST /api/v1/jobs/delete: the list filters; `dryRun` only counts, for the confirmation. */
export const deleteJobsBodySchema = withDateRangeRules(
  z.object({ ...jobFilterFields, dryRun: z.boolean().default(false) }),
);

/** The create-job form's remembered choices: every option of a job request except its URL. */
export const jobDefaultsBodySchema = createJobBodySchema.omit({ url: true, name: true, tags: true, priority: true });
export type JobDefaults = z.infer<typeof jobDefaultsBodySchema>;

/** GET /api/v1/stats: the viewer's timezone, for the per-day chart and the 30-day window. */
export const statsQuerySchema = z.object({ tz: tzOffsetField });
