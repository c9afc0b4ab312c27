import { z } from 'zod';
import { engines, jobStatuses } from '@/lib/jobs';
import { priorities } from '@/lib/queue';
import { createJobBodySchema, jobLabelFields, jobRequestSchema, pageFields, webhookUrlField } from './jobs';
import { count, jobConfigSchema, paginated, timestamp } from './responses';

// Batches: many URLs with shared options, one job per URL (app/api/v1/batches/**).

export const maxBatchUrls = 10_000;

/** POST /api/v1/batches: the URLs, the options every job shares, the batch's labels and its own webhook. */
export const createBatchBodySchema = jobRequestSchema.extend({
  urls: z
    .array(createJobBodySchema.shape.url, 'urls must be an array of http:// or https:// URLs')
    .min(1, 'urls must hold at least one URL')
    .max(maxBatchUrls, `urls must hold at most ${maxBatchUrls.toLocaleString('en-US')} URLs`),
  engine: z.enum(engines).default('http'),
  ...jobLabelFields,
  webhookUrl: webhookUrlField.describe('Receives a signed `batch.completed` POST once every job of the batch has finished.'),
});
export type CreateBatchBody = z.infer<typeof createBatchBodySchema>;

export const listBatchesQuerySchema = z.object(pageFields);
export type ListBatchesQuery = z.infer<typeof listBatchesQuerySchema>;

export const batchIdSchema = z.uuid('batch id must be a UUID');

export const batchStatuses = ['active', 'completed', 'cancelled'] as const;
export type BatchStatus = (typeof batchStatuses)[number];

// ---- replies: lib/server/batches/serialize.ts ----

export const batchCountsSchema = z.strictObject(
  Object.fromEntries(jobStatuses.map((status) => [status, count])) as Record<(typeof jobStatuses)[number], typeof count>,
);

export const batchSchema = z.strictObject({
  id: z.uuid(),
  name: z.string().nullable(),
  tags: z.array(z.string()),
  priority: z.enum(priorities),
  engine: z.enum(engines),
  config: jobConfigSchema.describe('The options every job of the batch runs with.'),
  webhookUrl: z.string().nullable().describe("The batch's own webhook URL (receives `batch.completed`), if one was given."),
  createdAt: timestamp,
  cancelledAt: timestamp.nullable(),
  completedAt: timestamp.nullable().describe('When the last job finished, once the completion event was recorded.'),
  total: count.describe('Jobs (URLs) in the batch.'),
  counts: batchCountsSchema.describe('Jobs in each state.'),
  finished: count.describe('Jobs in a terminal state: completed, failed, cancelled or expired.'),
  percent: z.number().min(0).max(100).describe('finished / total × 100, to one decimal.'),
  creditsCharged: count.describe('Credits charged so far for completed and failed jobs.'),
  creditsReserved: count.describe('Credits still reserved for unfinished jobs.'),
  status: z
    .enum(batchStatuses)
    .describe('`active` while jobs are unfinished, `completed` once all have finished, `cancelled` after a cancel.'),
});

export const batchListSchema = paginated(batchSchema);

export type BatchResponse = z.infer<typeof batchSchema>;
export type BatchListResponse = z.infer<typeof batchListSchema>;
