import { z } from 'zod';
import { engines } from '@/lib/jobs';
import { deleteJobsBodySchema, listJobsQuerySchema, pageFields } from './jobs';
import { count, engineQueueSchema, jobSummarySchema, paginated, stuckJobsSchema, timestamp, workerSchema } from './responses';

// Inputs of the admin API (app/api/v1/admin): every filter of the jobs list, across all accounts.

/** An account by id, or any account whose email contains this (case-insensitive). */
export const accountFilterField = z
  .string()
  .trim()
  .min(1, 'account must not be empty')
  .max(320, 'account must be at most 320 characters')
  .describe('An account id, or part of an account email (case-insensitive).')
  .optional();

/** GET /api/v1/admin/jobs: GET /api/v1/jobs's query (filters, sort, page) plus `account`. */
export const adminListJobsQuerySchema = listJobsQuerySchema.safeExtend({ account: accountFilterField });
export type AdminListJobsQuery = z.infer<typeof adminListJobsQuerySchema>;

// The list filters alone (the bulk delete body without its dryRun), plus the account.
const { dryRun: _dryRun, ...jobFilterShape } = deleteJobsBodySchema.shape;

export const adminJobFilterSchema = z
  .strictObject({ ...jobFilterShape, account: accountFilterField })
  .refine((filter) => !filter.from || !filter.to || filter.from <= filter.to, { path: ['to'], message: 'to must not be before from' });
export type AdminJobFilter = z.infer<typeof adminJobFilterSchema>;

export const bulkActions = ['cancel', 'retry'] as const;
export type BulkAction = (typeof bulkActions)[number];

/** At most this many ids in one bulk request; a filter has no such bound. */
export const maxBulkIds = 1000;

/**
 * POST /api/v1/admin/jobs/bulk: an action on the jobs given by `ids`, or on every job `filter`
 * matches (all accounts unless it names one). `dryRun` only counts them.
 */
export const bulkJobsBodySchema = z
  .object({
    action: z.enum(bulkActions, 'action must be cancel or retry'),
    ids: z
      .array(z.uuid('every id must be a job id'))
      .min(1, 'ids must not be empty')
      .max(maxBulkIds, `at most ${maxBulkIds.toLocaleString('en-US')} ids`)
      .transform((ids) => [...new Set(ids)])
      .optional(),
    filter: adminJobFilterSchema.optional(),
    dryRun: z.boolean().default(false),
  })
  .refine((body) => (body.ids === undefined) !== (body.filter === undefined), {
    path: ['ids'],
    message: 'give either ids or filter, not both',
  });
export type BulkJobsBody = z.infer<typeof bulkJobsBodySchema>;

/** GET /api/v1/admin/audit */
export const auditQuerySchema = z.object({
  ...pageFields,
  account: accountFilterField.describe('Entries about, or made by, this account: an id or part of an email.'),
  action: z
    .string()
    .trim()
    .min(1)
    .max(64)
    .regex(/^[a-z_.]+$/, 'action is lowercase letters, dots and underscores, such as job.cancel or job.')
    .describe('An action (`job.cancel`), or a prefix ending in a dot (`job.`).')
    .optional(),
  target: z.string().trim().min(1).max(64).describe("A target's id (a job or key id); bulk entries that list the job count too.").optional(),
  actorType: z.enum(['user', 'api_key', 'admin', 'operator', 'system']).optional(),
});
export type AuditQuery = z.infer<typeof auditQuerySchema>;

// ---- replies: lib/server/admin/{jobs,bulk,overview,audit}.ts ----

export const adminJobSchema = jobSummarySchema.extend({
  account: z.strictObject({ id: z.uuid(), email: z.string() }).describe('The account the job belongs to.'),
});
export const adminJobListSchema = paginated(adminJobSchema);

export const bulkOutcomeSchema = z.strictObject({
  action: z.enum(bulkActions),
  dryRun: z.boolean(),
  matched: count.describe('Jobs the ids or the filter matched (unknown and deleted jobs excluded).'),
  eligible: count.describe('Matched jobs the action applies to: queued or processing for cancel, finished for retry.'),
  changed: count.describe('Jobs cancelled, or retried (one new job each, charged to its owner); 0 with dryRun.'),
  skipped: z
    .array(z.strictObject({ id: z.uuid(), reason: z.string() }))
    .describe('Jobs left alone and why (at most 1,000 listed; with dryRun only those in the wrong state).'),
  skippedCount: count,
});

export const auditEntrySchema = z.strictObject({
  id: z.number().int(),
  createdAt: timestamp,
  actor: z.strictObject({
    type: z.enum(['user', 'api_key', 'admin', 'operator', 'system']),
    accountId: z.uuid().nullable(),
    email: z.string().nullable(),
    apiKeyId: z.uuid().nullable(),
  }),
  action: z.string().describe('job.create, job.cancel, job.retry, job.delete, jobs.delete, jobs.bulk_cancel, key.create, credits.grant, ...'),
  target: z.strictObject({ type: z.enum(['job', 'batch', 'api_key', 'account', 'jobs', 'crawl']), id: z.string().nullable() }),
  account: z.strictObject({ id: z.uuid(), email: z.string().nullable() }).nullable().describe('The account the target belongs to.'),
  details: z.record(z.string(), z.unknown()).nullable(),
});
export const auditListSchema = paginated(auditEntrySchema);

const purgeCount = z.strictObject({ rows: count, bytes: count });

export const adminOverviewSchema = z.strictObject({
  queue: z.array(engineQueueSchema).describe('Every account\'s queued and processing jobs per engine.'),
  jobsPerMinute: z.number().min(0).describe('Jobs of all accounts completed or failed in the last 5 minutes, per minute.'),
  workers: z.array(workerSchema).describe('Workers heard from in the last hour, running ones first.'),
  stuckJobs: stuckJobsSchema.describe('Processing jobs whose lease lapsed (their worker stopped renewing it); a live worker recovers them.'),
  purges: z
    .array(
      z.strictObject({
        id: z.number().int(),
        trigger: z.enum(['schedule', 'manual']),
        startedAt: timestamp,
        finishedAt: timestamp.nullable(),
        retentionDays: z.strictObject({ logs: count, results: count, screenshots: count, events: count }),
        marked: z.strictObject({ results: count, screenshots: count, logsJobs: count }),
        purged: z.strictObject({
          results: purgeCount,
          screenshots: purgeCount,
          logs: purgeCount,
          events: z.strictObject({ rows: count }),
          deliveries: z.strictObject({ rows: count }),
        }),
        error: z.string().nullable(),
      }),
    )
    .describe('The 10 latest retention purges, newest first.'),
});

export type AdminJobListResponse = z.infer<typeof adminJobListSchema>;
export type BulkOutcomeResponse = z.infer<typeof bulkOutcomeSchema>;
export type AuditListResponse = z.infer<typeof auditListSchema>;
export type AdminOverviewResponse = z.infer<typeof adminOverviewSchema>;
