import { z } from 'zod';
import { cronProblem, isTimeZone, maxCronLength } from '@/lib/cron';
import { createBatchBodySchema } from './batches';
import { crawlOptionFields, createCrawlBodySchema } from './crawls';
import { createJobBodySchema, pageFields } from './jobs';
import { engines } from '@/lib/jobs';
import { priorities } from '@/lib/queue';
import { jobConfigSchema, paginated, timestamp } from './responses';

// Schedules: a job, batch or crawl definition started on a cron expression (app/api/v1/schedules/**).

export const scheduleOverlaps = ['skip', 'queue'] as const;
export type ScheduleOverlap = (typeof scheduleOverlaps)[number];

/** What became of a scheduled time: a job, batch or crawl made, skipped (overlap), or refused (credits, key, account). */
export const scheduleRunOutcomes = ['created', 'skipped', 'refused'] as const;
export type ScheduleRunOutcome = (typeof scheduleRunOutcomes)[number];

export const maxScheduleNameLength = 200;
export const previewRunCount = 5;

const nameField = z
  .string({ error: 'name is required' })
  .trim()
  .min(1, 'name must not be empty')
  .max(maxScheduleNameLength, `name must be at most ${maxScheduleNameLength} characters`);

const cronField = z
  .string({ error: 'cron is required' })
  .trim()
  .min(1, 'cron is required')
  .max(maxCronLength, `cron must be at most ${maxCronLength} characters`)
  .superRefine((value, ctx) => {
    const problem = cronProblem(value);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  })
  .meta({ description: 'Five fields: minute hour day-of-month month day-of-week, e.g. `0 6 * * 1-5`.', example: '0 6 * * *' });

const timezoneField = z
  .string()
  .trim()
  .refine(isTimeZone, 'timezone must be an IANA time zone such as Europe/Paris or UTC')
  .meta({ description: 'The IANA time zone the cron expression is read in.', example: 'Europe/Paris' });

const overlapField = z
  .enum(scheduleOverlaps)
  .describe("`skip`: a run whose previous run's job, batch or crawl is unfinished is recorded as skipped; `queue`: it starts anyway.");

/** What each run starts: the body of POST /api/v1/jobs, /api/v1/batches or /api/v1/crawls, with its type. */
export const scheduleTargetSchema = z.discriminatedUnion('type', [
  createJobBodySchema.extend({ type: z.literal('job') }),
  createBatchBodySchema.extend({ type: z.literal('batch') }),
  createCrawlBodySchema.extend({ type: z.literal('crawl') }),
]);
export type ScheduleTarget = z.infer<typeof scheduleTargetSchema>;

export const createScheduleBodySchema = z.object({
  name: nameField,
  cron: cronField,
  timezone: timezoneField.default('UTC'),
  overlap: overlapField.default('skip'),
  target: scheduleTargetSchema,
  paused: z.boolean().default(false).describe('Create it paused: it runs once resumed.'),
});
export type CreateScheduleBody = z.infer<typeof createScheduleBodySchema>;

/** PATCH: any of the fields; the next runs are computed again from the new expression or zone. */
export const updateScheduleBodySchema = z.object({
  name: nameField.optional(),
  cron: cronField.optional(),
  timezone: timezoneField.optional(),
  overlap: overlapField.optional(),
  target: scheduleTargetSchema.optional(),
});
export type UpdateScheduleBody = z.infer<typeof updateScheduleBodySchema>;

export const listSchedulesQuerySchema = z.object(pageFields);
export const listScheduleRunsQuerySchema = z.object(pageFields);

export const scheduleIdSchema = z.uuid('schedule id must be a UUID');

// ---- replies: lib/server/schedules/serialize.ts ----

// The stored target as replies show it: the parsed body, defaults applied (no request transforms).
const targetReplyFields = {
  engine: z.enum(engines),
  name: z.string().optional(),
  tags: z.array(z.string()),
  priority: z.enum(priorities),
  webhookUrl: z.string().optional(),
};

export const scheduleTargetReplySchema = z.discriminatedUnion('type', [
  jobConfigSchema.extend({ type: z.literal('job'), url: z.string(), ...targetReplyFields }),
  jobConfigSchema.extend({ type: z.literal('batch'), urls: z.array(z.string()), ...targetReplyFields }),
  jobConfigSchema.extend({ type: z.literal('crawl'), url: z.string().describe('The start URL.'), ...targetReplyFields, ...crawlOptionFields }),
]);

export const scheduleRunSchema = z.strictObject({
  id: z.uuid(),
  scheduledFor: timestamp.describe('The scheduled time this run is for.'),
  ranAt: timestamp.describe('When a worker ran it (later than scheduledFor after downtime: the one catch-up run).'),
  outcome: z.enum(scheduleRunOutcomes),
  reason: z.string().nullable().describe('Why it was skipped or refused.'),
  jobId: z.uuid().nullable().describe('The job it created (GET /api/v1/jobs/{id}).'),
  batchId: z.uuid().nullable().describe('The batch it created (GET /api/v1/batches/{id}).'),
  crawlId: z.uuid().nullable().describe('The crawl it created (GET /api/v1/crawls/{id}).'),
});

export const scheduleSchema = z.strictObject({
  id: z.uuid(),
  name: z.string(),
  cron: z.string(),
  description: z.string().nullable().describe('The cron expression in words.'),
  timezone: z.string(),
  overlap: z.enum(scheduleOverlaps),
  target: scheduleTargetReplySchema.describe('What each run starts: a job, batch or crawl body with its defaults applied.'),
  status: z.enum(['active', 'paused']),
  pausedAt: timestamp.nullable(),
  nextRunAt: timestamp.nullable().describe('The next scheduled time; null while paused.'),
  nextRuns: z.array(timestamp).describe('The next 5 scheduled times (empty while paused).'),
  lastRun: scheduleRunSchema.nullable(),
  apiKeyId: z.uuid().nullable().describe('The key its runs use; null for a dashboard schedule (the account\'s default key).'),
  createdAt: timestamp,
  updatedAt: timestamp,
});

export const scheduleListSchema = paginated(scheduleSchema);
export const scheduleRunListSchema = paginated(scheduleRunSchema);

export type ScheduleResponse = z.infer<typeof scheduleSchema>;
export type ScheduleRunResponse = z.infer<typeof scheduleRunSchema>;
export type ScheduleListResponse = z.infer<typeof scheduleListSchema>;
export type ScheduleRunListResponse = z.infer<typeof scheduleRunListSchema>;
