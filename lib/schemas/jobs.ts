import { z } from 'zod';
import { engines, jobStatuses, resultFormats } from '@/lib/jobs';

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
});

export const createJobBodySchema = jobRequestSchema.extend({
  url: httpUrl,
  engine: z.enum(engines).default('http'),
});

export type CreateJobBody = z.infer<typeof createJobBodySchema>;
export type JobConfig = z.infer<typeof jobRequestSchema>;

export const sortColumns = ['status', 'engine', 'apiKey', 'credits', 'duration', 'createdAt'] as const;
export type SortColumn = (typeof sortColumns)[number];

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date as YYYY-MM-DD');

export const pageSizes = [25, 50, 100] as const;
export const maxDateRangeDays = 90;

export const listJobsQuerySchema = z
  .object({
    status: z.enum([...jobStatuses, 'active']).optional(),
    engine: z.enum(engines).optional(),
    key: z.uuid('key must be an API key id').optional(),
    from: isoDate.optional(),
    to: isoDate.optional(),
    /** Minutes east of UTC are negative, as Date#getTimezoneOffset reports them. */
    tz: z.coerce.number().int().min(-14 * 60).max(14 * 60).default(0),
    q: z.string().trim().max(maxUrlLength).optional(),
    page: z.coerce.number().int().min(1).default(1),
    size: z.coerce
      .number()
      .int()
      .refine((n) => (pageSizes as readonly number[]).includes(n), 'size must be 25, 50 or 100')
      .default(25),
    sort: z.enum(sortColumns).default('createdAt'),
    order: z.enum(['asc', 'desc']).default('desc'),
  })
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

export type ListJobsQuery = z.infer<typeof listJobsQuerySchema>;

export const listLogsQuerySchema = z.object({
  after: z.coerce.number().int().min(0).optional(),
});

export const jobIdSchema = z.uuid('job id must be a UUID');
