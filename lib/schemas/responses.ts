import { z } from 'zod';
import { errorStatuses } from '@/lib/api-errors';
import { datePresets } from '@/lib/date-ranges';
import { engines, jobStatuses, logLevels, resultFormats } from '@/lib/jobs';
import { priorities } from '@/lib/queue';
import { errorTypes } from '@/lib/scrape-errors';
import { apiKeyKinds } from './accounts';
import { jobChangeSchema } from './changes';
import { jobDefaultsBodySchema, jobRequestSchema } from './jobs';

// The API's replies as zod schemas: the OpenAPI document is generated from them and the tests
// validate every route's reply against them. Each mirrors a serializer (lib/server/jobs/serialize.ts,
// lib/server/account-json.ts, ...) field for field; strict objects, so an undocumented field fails.

// Pieces the other reply schemas (lib/schemas/{admin,batches,webhooks}.ts) build on too.
export const timestamp = z.iso.datetime().meta({ example: '2026-03-01T10:30:00.000Z' });
export const count = z.number().int().min(0);
/** What extraction rules read from a page: field name → text, number, list or list of objects. */
export const extractedDocumentSchema = z.record(z.string(), z.unknown());

export const paginated = <T extends z.ZodType>(item: T) =>
  z.strictObject({
    data: z.array(item),
    page: z.number().int().min(1),
    size: z.number().int(),
    total: count,
    totalPages: z.number().int().min(1),
  });

// ---- errors: lib/api-errors.ts ----

export const errorCodes = Object.keys(errorStatuses) as [keyof typeof errorStatuses, ...(keyof typeof errorStatuses)[]];

export const errorSchema = z.strictObject({
  error: z.strictObject({
    code: z.enum(errorCodes).describe('Stable machine-readable code; each maps to one HTTP status (see the table above).'),
    message: z.string().describe('A human-readable explanation, safe to show to a user.'),
    details: z.unknown().optional().describe('Structured context, by code: `fields` for validation_error, `status` for conflict, ...'),
  }),
});

export const fieldErrorSchema = z.strictObject({
  field: z.string().describe('The invalid field, dotted for nested fields; `body` or `query` when the whole input is wrong.'),
  message: z.string(),
});

// ---- jobs: lib/server/jobs/serialize.ts ----

export const jobErrorSchema = z.strictObject({
  type: z.enum(errorTypes),
  message: z.string(),
  suggestions: z.array(z.string()),
});

export const jobSummarySchema = z.strictObject({
  id: z.uuid(),
  status: z.enum(jobStatuses),
  url: z.string().describe('The URL as submitted. It is stored and logged as given: never put secrets in it.'),
  engine: z.enum(engines),
  apiKey: z.strictObject({ id: z.uuid(), name: z.string(), revoked: z.boolean(), test: z.boolean() }),
  credits: count.describe('The reserved price while the job is active; what it was charged once finished.'),
  attempts: count,
  maxAttempts: z.number().int().min(1),
  durationMs: count.nullable(),
  createdAt: timestamp,
  notBefore: timestamp
    .nullable()
    .describe("A crawl page spaced by its crawl's politeness delay: the earliest time it may start. Its queue wait (and its expiry past the maximum wait) counts from then."),
  startedAt: timestamp.nullable(),
  finishedAt: timestamp.nullable(),
  parentJobId: z.uuid().nullable().describe('The job this one retries, if any.'),
  error: jobErrorSchema.nullable(),
  name: z.string().nullable().describe('The label given at submission; a retry keeps it.'),
  tags: z.array(z.string()).describe('Tags given at submission; filter the list with `tag`.'),
  priority: z.enum(priorities).describe('Queue priority: higher priorities are picked up first.'),
  batchId: z.uuid().nullable().describe('The batch the job was created in, if any.'),
  webhookUrl: z.string().nullable().describe("The job's own webhook URL, if one was given."),
});

/** A job's stored request options: the create-job body without url and engine, defaults applied. */
export const jobConfigSchema = jobRequestSchema.extend({
  // Stored lowercased; the request schema's transform is not part of the reply.
  proxyCountry: z.string().optional(),
});

export const resultMetaSchema = z.strictObject({
  format: z.enum(resultFormats),
  size: count.describe('Bytes'),
  contentType: z.string(),
  purged: z.boolean().describe('The data was removed by retention; the job keeps the description.'),
});

export const screenshotMetaSchema = z.strictObject({
  width: count,
  height: count,
  size: count.describe('Bytes'),
});

export const attemptSchema = z.strictObject({
  attempt: z.number().int().min(1),
  startedAt: timestamp,
  finishedAt: timestamp.nullable(),
  outcome: z.enum(['running', 'completed', 'failed', 'retrying', 'cancelled', 'lost']),
  error: z.strictObject({ type: z.enum(errorTypes), message: z.string() }).nullable(),
});

/** lib/retention.ts's describeRetention: when each kind of the job's data expires, and the notices. */
export const retentionSchema = z.strictObject({
  days: z.strictObject({ logsDays: count, resultsDays: count, screenshotsDays: count }),
  resultExpiresAt: timestamp.nullable(),
  screenshotExpiresAt: timestamp.nullable(),
  logsExpireAt: timestamp,
  resultPurged: z.boolean(),
  screenshotPurged: z.boolean(),
  logsPurged: z.boolean(),
  notices: z.strictObject({ result: z.string().nullable(), screenshot: z.string().nullable(), logs: z.string().nullable() }),
});

export const jobSchema = jobSummarySchema.extend({
  childJobIds: z.array(z.uuid()).describe('Jobs that retried this one.'),
  config: jobConfigSchema,
  maskedSecrets: z
    .strictObject({ headers: z.array(z.string()), cookies: z.array(z.string()) })
    .optional()
    .describe('Dashboard sessions only: the headers and cookies whose values `config` holds masked. A reply to an API key has the values as sent, and no such field.'),
  result: resultMetaSchema.nullable(),
  screenshot: screenshotMetaSchema.nullable(),
  attemptHistory: z.array(attemptSchema),
  retention: retentionSchema,
  retryCost: count.describe('What retrying the job would cost today, in credits (0 with a test key).'),
  extracted: extractedDocumentSchema
    .nullable()
    .describe('The document the job\'s extraction rules (`config.extract`) read from the page: field → value, list or list of objects. Null without rules, before completion, or once purged. Also at `/api/v1/jobs/{id}/result?part=extracted`.'),
  change: jobChangeSchema.nullable().describe('How this run compares with the previous run of the same URL (jobs that track changes); null otherwise or until it finished.'),
});

export const jobListSchema = paginated(jobSummarySchema).extend({
  nextCursor: z
    .string()
    .nullable()
    .describe('Pass as `cursor` for the page after this one (keyset paging); null on the last page.'),
});

export const logEntrySchema = z.strictObject({
  seq: z.number().int().min(1).describe('Increasing within the job; pass the last one seen as `after` to read only newer entries.'),
  timestamp,
  level: z.enum(logLevels),
  message: z.string(),
  metadata: z.record(z.string(), z.unknown()).nullable(),
});

export const logListSchema = z.strictObject({
  data: z.array(logEntrySchema),
  total: count.describe('Entries the job has, whatever `after` skipped.'),
  purged: z.boolean().describe('Retention removed the log: `data` is empty and `message` says why.'),
  message: z.string().optional(),
});

export const deletedJobSchema = z.strictObject({
  id: z.uuid(),
  status: z.enum(jobStatuses),
  deletedAt: timestamp,
});

export const bulkDeleteResultSchema = z.strictObject({
  dryRun: z.boolean(),
  count: count.describe('Jobs deleted, or with dryRun the jobs that would be.'),
  active: count.describe('How many of the matching jobs were queued or processing.'),
  cancelled: count.describe('Active jobs cancelled before being deleted.'),
});

export const jobCountsSchema = z.strictObject({
  status: z.partialRecord(z.enum(jobStatuses), count),
  engine: z.partialRecord(z.enum(engines), count),
  key: z.record(z.uuid(), count).describe('Jobs per API key id.'),
  priority: z.partialRecord(z.enum(priorities), count),
  date: z.record(z.enum(datePresets.map((preset) => preset.id) as [string, ...string[]]), count),
});

export const exportSummarySchema = z.strictObject({
  count: count.describe('Jobs matching the filters.'),
  rows: count.describe('Jobs an export would hold (at most maxRows, the most recent).'),
  maxRows: count,
  warning: z.string().nullable(),
  exportsRemaining: count.describe('Exports left in the current hour.'),
  retryAfterSeconds: count.nullable(),
});

export const exportRecordSchema = z.strictObject({
  jobId: z.uuid(),
  status: z.enum(jobStatuses),
  targetUrl: z.string(),
  engine: z.enum(engines),
  apiKeyName: z.string(),
  credits: count,
  durationSeconds: z.number().min(0).nullable(),
  createdAt: timestamp,
  completedAt: timestamp.nullable(),
  errorType: z.enum(errorTypes).nullable(),
  name: z.string().nullable(),
  tags: z.array(z.string()),
  priority: z.enum(priorities),
});

export const exportFileSchema = z.array(exportRecordSchema);

// ---- account, keys, credits: lib/server/account-json.ts, lib/server/credits.ts ----

export const accountSchema = z.strictObject({
  id: z.uuid(),
  email: z.string(),
  credits: count,
  reservedCredits: count,
  available: z.number().int().describe('What a new job can spend: credits less the price of unfinished jobs.'),
  suspended: z.boolean(),
  deletionRequestedAt: timestamp.nullable(),
});

export const apiKeySchema = z.strictObject({
  id: z.uuid(),
  name: z.string(),
  kind: z.enum(apiKeyKinds),
  prefix: z.string().describe('The first characters of the secret, to recognise it.'),
  revoked: z.boolean(),
  status: z.enum(['active', 'revoked']),
  createdAt: timestamp,
  lastUsedAt: timestamp.nullable(),
  revokedAt: timestamp.nullable(),
});

export const apiKeyListSchema = z.strictObject({ data: z.array(apiKeySchema) });

export const createdApiKeySchema = apiKeySchema.extend({
  secret: z.string().describe('The key itself. Shown only in this reply; store it now.'),
});

export const creditsSchema = z.strictObject({
  balance: count,
  reserved: count,
  available: z.number().int(),
  prices: z.record(z.enum(engines), count).describe("Today's price of a job on each engine, in credits."),
  ledger: paginated(
    z.strictObject({
      id: z.number().int(),
      amount: z.number().int().describe('Negative for a charge, positive for a grant.'),
      reason: z.enum(['job_charge', 'grant']),
      jobId: z.uuid().nullable(),
      job: z
        .strictObject({ url: z.string(), engine: z.enum(engines), status: z.enum(jobStatuses), deleted: z.boolean() })
        .nullable(),
      balanceAfter: z.number().int(),
      createdAt: timestamp,
    }),
  ),
  history: z.array(z.strictObject({ date: z.iso.date(), balance: z.number().int() })).describe('The balance at the end of each of the last 30 days.'),
});

export const jobDefaultsSchema = z.strictObject({
  defaults: jobDefaultsBodySchema.extend({ proxyCountry: z.string().optional() }).nullable(),
  updatedAt: timestamp.nullable(),
});

// ---- stats and storage: lib/server/stats.ts, db/queries/storage.ts ----

export const statsSchema = z.strictObject({
  totalJobs: count,
  activeNow: count,
  queued: count,
  processing: count,
  completed30d: count,
  failed30d: count,
  creditsUsed30d: count,
  successRate30d: z.number().min(0).max(1).nullable().describe('completed / (completed + failed) over 30 days; null when none finished.'),
  avgDurationMs30d: count.nullable(),
  perDay: z.array(
    z.strictObject({
      date: z.iso.date(),
      queued: count,
      processing: count,
      completed: count,
      failed: count,
      cancelled: count,
      expired: count,
    }),
  ),
  recent: z.array(jobSummarySchema).describe('The 10 most recent jobs.'),
});

export const storageSchema = z.strictObject({
  resultsBytes: count,
  screenshotsBytes: count,
  logsBytes: count,
  totalBytes: count,
});

// ---- POST /api/v1/scrape: lib/server/jobs/scrape.ts ----

export const inlineResultSchema = z.strictObject({
  format: z.enum(resultFormats),
  contentType: z.string(),
  size: count.describe('Bytes'),
  encoding: z.enum(['utf8', 'base64']).describe('utf8 for textual content, base64 for binary content such as images.'),
  content: z
    .string()
    .nullable()
    .describe('The result itself; null when it is larger than 5 MB or was purged: download it from `/api/v1/jobs/{id}/result`.'),
  extracted: extractedDocumentSchema.nullable().describe('The extracted document when the job has extraction rules (as `job.extracted`); else null.'),
});

export const scrapeReplySchema = z.strictObject({
  job: jobSchema,
  result: inlineResultSchema.nullable().describe('The content of a completed job; null while the job is unfinished, or when it failed.'),
});

// ---- GET /api/v1/stats/queue: lib/server/queue-stats.ts ----

// The queue views share these: GET /api/v1/stats/queue (one account) and the admin overview (all).

export const engineQueueSchema = z.strictObject({
  engine: z.enum(engines),
  queued: count,
  processing: count,
  oldestQueuedAgeSeconds: count.nullable().describe('How long the oldest queued job has waited (a spaced crawl page from its `notBefore`); null with none queued.'),
});

export const workerSchema = z.strictObject({
  id: z.string(),
  hostname: z.string(),
  pid: z.number().int(),
  status: z
    .enum(['alive', 'gone', 'stopped'])
    .describe('alive: a heartbeat within 15 s; stopped: shut down cleanly, its jobs handed back; gone: its heartbeat stopped (killed or hung): its jobs are recovered once their lease lapses.'),
  heartbeatAgeSeconds: count.describe('Seconds since its last heartbeat (every 5 s while it runs).'),
  running: count.describe('Jobs running at the last heartbeat.'),
  concurrency: z.record(z.enum(engines), count).describe('Jobs it runs at once, per engine.'),
  rssBytes: count,
  heapBytes: count,
  startedAt: timestamp,
  heartbeatAt: timestamp,
  stoppedAt: timestamp.nullable(),
});

export const stuckJobsSchema = z.strictObject({
  count,
  oldestLeaseExpiredSeconds: count.nullable().describe('How long ago the oldest lapsed lease ran out; null with none.'),
});

export const queueStatsSchema = z.strictObject({
  engines: z.array(engineQueueSchema).describe("The account's own jobs."),
  jobsPerMinute: z.number().min(0).describe("The account's jobs completed or failed in the last 5 minutes, per minute."),
  workers: z
    .array(workerSchema.extend({ alive: z.boolean().describe('A heartbeat within the last 15 seconds and not stopped.') }))
    .describe('The workers heard from in the last 10 minutes (shared by all accounts), running ones first.'),
  stuckJobs: stuckJobsSchema.describe(
    "The account's processing jobs whose lease lapsed (their worker stopped renewing it) and that no live worker's sweeper has " +
      'given a new attempt yet; recovered within seconds while any worker is alive (bound: JOB_LEASE_SECONDS + 2 s).',
  ),
  recoveringJobs: z
    .strictObject({
      count,
      withinSeconds: count.nullable().describe('When the last of their leases lapses; null with none.'),
    })
    .describe("The account's processing jobs held by a gone or stopped worker whose lease still runs: recovered once it lapses."),
});

export type ScrapeReplyResponse = z.infer<typeof scrapeReplySchema>;
export type QueueStatsResponse = z.infer<typeof queueStatsSchema>;
export type JobSummaryResponse = z.infer<typeof jobSummarySchema>;
export type JobResponse = z.infer<typeof jobSchema>;
export type JobListResponse = z.infer<typeof jobListSchema>;
export type LogListResponse = z.infer<typeof logListSchema>;
export type LogEntryResponse = z.infer<typeof logEntrySchema>;
export type ErrorResponse = z.infer<typeof errorSchema>;
export type DeletedJobResponse = z.infer<typeof deletedJobSchema>;
export type BulkDeleteResponse = z.infer<typeof bulkDeleteResultSchema>;
export type ExportSummaryResponse = z.infer<typeof exportSummarySchema>;
export type AccountResponse = z.infer<typeof accountSchema>;
export type StatsResponse = z.infer<typeof statsSchema>;
export type StorageResponse = z.infer<typeof storageSchema>;
