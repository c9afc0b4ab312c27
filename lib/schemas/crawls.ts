import { z } from 'zod';
import { engines, jobStatuses } from '@/lib/jobs';
import { priorities } from '@/lib/queue';
import { errorTypes } from '@/lib/scrape-errors';
import { createJobBodySchema, jobLabelFields, jobRequestSchema, pageFields, webhookUrlField } from './jobs';
import { count, jobConfigSchema, paginated, timestamp } from './responses';

// Crawls: a start URL and limits; every page fetched is an ordinary job (app/api/v1/crawls/**).

export const maxCrawlPages = 10_000;
export const maxCrawlDepth = 100;
export const maxHostConcurrency = 10;
export const maxPolitenessDelayMs = 60_000;
export const maxCrawlPatterns = 50;

export const crawlModes = ['crawl', 'map'] as const;
export type CrawlMode = (typeof crawlModes)[number];

/** Why a discovered URL was not fetched. */
export const crawlSkipReasons = ['robots', 'pattern', 'depth', 'limit', 'other_host', 'credits', 'cancelled', 'other'] as const;
export type CrawlSkipReason = (typeof crawlSkipReasons)[number];

const pathGlob = z.string().trim().min(1, 'a pattern must not be empty').max(500, 'a pattern must be at most 500 characters');
const hostName = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9.-]+(:\d+)?$/, 'a host is a name like example.com (with an optional :port)');

/** The crawl's own options, stored on the crawl row (`options`). */
export const crawlOptionFields = {
  maxPages: z
    .number({ error: 'maxPages is required: the most pages the crawl may fetch' })
    .int('maxPages must be a whole number')
    .min(1, 'maxPages must be at least 1')
    .max(maxCrawlPages, `maxPages must be at most ${maxCrawlPages.toLocaleString('en-US')}`),
  maxDepth: z.number().int().min(0).max(maxCrawlDepth, `maxDepth must be at most ${maxCrawlDepth}`).default(10),
  include: z.array(pathGlob).max(maxCrawlPatterns).default([]).describe('Path globs (picomatch); when given, only matching paths are fetched.'),
  exclude: z.array(pathGlob).max(maxCrawlPatterns).default([]).describe('Path globs (picomatch) never fetched.'),
  sameHost: z.boolean().default(true).describe("Only fetch the start URL's host (and `allowedHosts`)."),
  allowedHosts: z.array(hostName).max(maxCrawlPatterns).default([]).describe('Other hosts the crawl may fetch; with sameHost false and none given, any host.'),
  sitemap: z.boolean().default(false).describe("Also read the start host's sitemap.xml (and robots.txt `Sitemap:` lines)."),
  robots: z.boolean().default(true).describe('Honour robots.txt: disallowed paths are skipped, its Crawl-delay spaces the pages.'),
  concurrencyPerHost: z.number().int().min(1).max(maxHostConcurrency, `concurrencyPerHost must be at most ${maxHostConcurrency}`).default(2),
  delayMs: z.number().int().min(0).max(maxPolitenessDelayMs, `delayMs must be at most ${maxPolitenessDelayMs}`).default(0).describe('Politeness delay: the least time between the starts of two pages.'),
  stripTrackingParams: z.boolean().default(true).describe('Drop utm_*, gclid, fbclid and similar parameters when normalising URLs.'),
  mode: z.enum(crawlModes).default('crawl').describe('`map`: fetch pages only for their links (HTTP engine, 1 credit a page), store no content; the URL list is the result.'),
};

/** POST /api/v1/crawls: the start URL, the crawl's limits, the options every page job runs with. */
export const createCrawlBodySchema = jobRequestSchema.extend({
  url: createJobBodySchema.shape.url.describe('The start URL (depth 0).'),
  engine: z.enum(engines).default('http'),
  ...jobLabelFields,
  webhookUrl: webhookUrlField.describe('Receives a signed `crawl.completed` (or `crawl.cancelled`) POST.'),
  ...crawlOptionFields,
});
export type CreateCrawlBody = z.infer<typeof createCrawlBodySchema>;

const { mode: _mode, ...storedOptionFields } = crawlOptionFields;
export const crawlOptionsSchema = z.strictObject(storedOptionFields);
export type CrawlOptions = z.infer<typeof crawlOptionsSchema>;

export const listCrawlsQuerySchema = z.object(pageFields);
export type ListCrawlsQuery = z.infer<typeof listCrawlsQuerySchema>;

export const crawlIdSchema = z.uuid('crawl id must be a UUID');

/** What a ledger row shows: the page job's state, or skipped. */
export const crawlPageOutcomes = [...jobStatuses, 'skipped'] as const;
export type CrawlPageOutcome = (typeof crawlPageOutcomes)[number];

/** GET /api/v1/crawls/{id}/pages: the ledger, filtered; `format=csv` for the export. */
export const listCrawlPagesQuerySchema = z.object({
  outcome: z.enum(crawlPageOutcomes).optional(),
  reason: z.enum(crawlSkipReasons).optional(),
  depth: z.coerce.number().int().min(0).max(maxCrawlDepth + 1).optional(),
  q: z.string().trim().min(1).max(500).optional().meta({ description: 'A substring of the URL, case-insensitive.' }),
  page: pageFields.page,
  size: z.coerce.number().int().min(1).max(1000).default(100).meta({ description: 'URLs per page, 1 to 1,000 (default 100).' }),
  format: z.enum(['json', 'csv']).default('json').meta({ description: '`csv`: the whole filtered ledger as a CSV file instead of a JSON page.' }),
});
export type ListCrawlPagesQuery = z.infer<typeof listCrawlPagesQuerySchema>;

export const crawlStatuses = ['active', 'completed', 'cancelled', 'stopped'] as const;
export type CrawlStatus = (typeof crawlStatuses)[number];

// ---- replies: lib/server/crawls/serialize.ts ----

export const crawlProgressSchema = z.strictObject({
  discovered: count.describe('Distinct URLs seen (fetched or skipped).'),
  queued: count.describe('Page jobs waiting in the queue.'),
  processing: count,
  done: count.describe('Page jobs completed.'),
  failed: count.describe('Page jobs failed, cancelled or expired.'),
  skipped: count.describe('URLs not fetched; see skipReasons.'),
  pages: count.describe('Page jobs created (at most maxPages).'),
  percent: z.number().min(0).max(100).describe('Finished page jobs over page jobs created, × 100.'),
});

export const crawlSchema = z.strictObject({
  id: z.uuid(),
  url: z.string().describe('The start URL.'),
  mode: z.enum(crawlModes),
  engine: z.enum(engines),
  name: z.string().nullable(),
  tags: z.array(z.string()),
  priority: z.enum(priorities),
  config: jobConfigSchema.describe('The options every page job runs with.'),
  options: crawlOptionsSchema,
  webhookUrl: z.string().nullable(),
  scheduleId: z.uuid().nullable(),
  status: z.enum(crawlStatuses).describe('`active` while pages are unfinished; `stopped` when credits ran out (its pages still finish); `completed`; `cancelled`.'),
  stopReason: z.string().nullable(),
  progress: crawlProgressSchema,
  skipReasons: z.partialRecord(z.enum(crawlSkipReasons), count).describe('Skipped URLs per reason.'),
  depths: z.array(z.strictObject({ depth: count, fetched: count, skipped: count })).describe('URLs per depth from the start URL (0): fetched as page jobs, and skipped.'),
  creditsCharged: count,
  creditsReserved: count,
  createdAt: timestamp,
  cancelledAt: timestamp.nullable(),
  completedAt: timestamp.nullable(),
});

export const crawlListSchema = paginated(crawlSchema);

export const crawlPageSchema = z.strictObject({
  url: z.string(),
  depth: count,
  parentUrl: z.string().nullable(),
  outcome: z.enum(crawlPageOutcomes),
  skipReason: z.enum(crawlSkipReasons).nullable(),
  jobId: z.uuid().nullable(),
  errorType: z.enum(errorTypes).nullable(),
  errorMessage: z.string().nullable(),
  discoveredAt: timestamp,
});

export const crawlPageListSchema = paginated(crawlPageSchema);

export type CrawlResponse = z.infer<typeof crawlSchema>;
export type CrawlListResponse = z.infer<typeof crawlListSchema>;
export type CrawlPageResponse = z.infer<typeof crawlPageSchema>;
export type CrawlPageListResponse = z.infer<typeof crawlPageListSchema>;
