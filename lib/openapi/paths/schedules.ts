import { z } from 'zod';
import type { ZodOpenApiPathsObject } from 'zod-openapi';
import {
  createScheduleBodySchema,
  listScheduleRunsQuerySchema,
  listSchedulesQuerySchema,
  scheduleIdSchema,
  scheduleListSchema,
  scheduleRunListSchema,
  scheduleSchema,
  updateScheduleBodySchema,
  type ScheduleResponse,
  type ScheduleRunResponse,
} from '@/lib/schemas/schedules';
import { errorResponses } from '../errors';
import { jsonBody, jsonResponse, locationResponse } from '../operations';

// /api/v1/schedules and /api/v1/schedules/{id}/...: app/api/v1/schedules/**/route.ts

const schedulePathParams = z.object({
  id: scheduleIdSchema.meta({ description: 'The schedule id (a UUID).', example: '5d8e2c1a-7b3f-4e6d-9a2c-8f1e0d3b4c5a' }),
});

const createdRunExample: ScheduleRunResponse = {
  id: '0b7c3d2e-1f4a-4b5c-8d6e-9f0a1b2c3d4e',
  scheduledFor: '2026-03-01T06:00:00.000Z',
  ranAt: '2026-03-01T06:00:02.000Z',
  outcome: 'created',
  reason: null,
  jobId: '3f0c1c8e-5b7a-4a57-9a47-1c2d3e4f5a6b',
  batchId: null,
  crawlId: null,
};

const refusedRunExample: ScheduleRunResponse = {
  id: '1c8d4e3f-2a5b-4c6d-9e7f-0a1b2c3d4e5f',
  scheduledFor: '2026-03-02T06:00:00.000Z',
  ranAt: '2026-03-02T06:00:01.000Z',
  outcome: 'refused',
  reason: 'Insufficient credits. You need 1 credits but have 0.',
  jobId: null,
  batchId: null,
  crawlId: null,
};

const crawlRunExample: ScheduleRunResponse = {
  id: '2d9e5f4a-3b6c-4d7e-8f9a-1b2c3d4e5f6a',
  scheduledFor: '2026-03-01T03:00:00.000Z',
  ranAt: '2026-03-01T03:00:01.000Z',
  outcome: 'created',
  reason: null,
  jobId: null,
  batchId: null,
  crawlId: '6e1f2a3b-4c5d-4e6f-8a7b-9c0d1e2f3a4b',
};

const scheduleExample: ScheduleResponse = {
  id: '5d8e2c1a-7b3f-4e6d-9a2c-8f1e0d3b4c5a',
  name: 'Prices every morning',
  cron: '0 7 * * *',
  description: 'At 07:00',
  timezone: 'Europe/Paris',
  overlap: 'skip',
  target: {
    type: 'job',
    url: 'https://example.com/prices',
    engine: 'http',
    method: 'GET',
    headers: {},
    cookies: {},
    renderJs: true,
    waitTimeoutMs: 10000,
    screenshot: false,
    format: 'markdown',
    timeoutMs: 30000,
    tags: [],
    priority: 'normal',
  },
  status: 'active',
  pausedAt: null,
  nextRunAt: '2026-03-02T06:00:00.000Z',
  nextRuns: ['2026-03-02T06:00:00.000Z', '2026-03-03T06:00:00.000Z', '2026-03-04T06:00:00.000Z', '2026-03-05T06:00:00.000Z', '2026-03-06T06:00:00.000Z'],
  lastRun: createdRunExample,
  apiKeyId: '9b2f7d0e-1a4c-4e8b-8f6d-2c3b4a5d6e7f',
  createdAt: '2026-02-28T09:00:00.000Z',
  updatedAt: '2026-02-28T09:00:00.000Z',
};

const pausedScheduleExample: ScheduleResponse = { ...scheduleExample, status: 'paused', pausedAt: '2026-03-01T12:00:00.000Z', nextRunAt: null, nextRuns: [] };

const scheduleErrors = ['forbidden', 'not_found'] as const;

export const schedulePaths: ZodOpenApiPathsObject = {
  '/api/v1/schedules': {
    post: {
      operationId: 'createSchedule',
      tags: ['Schedules'],
      summary: 'Create a schedule',
      description:
        'Starts a job (`target.type: "job"`, the body of `POST /api/v1/jobs`), a batch (`"batch"`, the body of `POST /api/v1/batches`) ' +
        'or a crawl (`"crawl"`, the body of `POST /api/v1/crawls`: start URL, `maxPages`, `maxDepth`, patterns, page job options) ' +
        'on a five-field cron expression read in an IANA time zone (default UTC). The reply shows the next 5 runs. The worker fleet ' +
        'runs each scheduled time exactly once; after downtime, one catch-up run, then the next time. Each run is an ordinary job, ' +
        'batch or crawl under the key that created the schedule (a dashboard schedule: the account\'s default key), reserved and charged as usual; ' +
        'a run refused for credits, a revoked key or a suspended account is recorded in the run history with the reason. ' +
        "`overlap: skip` (default) records a run as skipped while the previous run's job, batch or crawl is unfinished (a crawl until it is completed or " +
        "cancelled); `queue` starts it anyway. Its jobs (a crawl's page jobs too) carry `scheduleId` and are compared for changes " +
        "within the schedule's series: each URL with its previous successful run in the schedule.",
      requestBody: jsonBody(createScheduleBodySchema, {
        job: { name: 'Prices every morning', cron: '0 7 * * *', timezone: 'Europe/Paris', target: { type: 'job', url: 'https://example.com/prices', format: 'markdown' } },
        batch: {
          name: 'Catalog hourly',
          cron: '0 * * * 1-5',
          overlap: 'queue',
          target: { type: 'batch', urls: ['https://example.com/products/1', 'https://example.com/products/2'] },
        },
        crawl: {
          name: 'Docs nightly',
          cron: '0 3 * * *',
          target: { type: 'crawl', url: 'https://example.com/docs/', maxPages: 500, maxDepth: 3, include: ['/docs/**'], format: 'markdown', trackChanges: true },
        },
      }),
      responses: {
        '201': locationResponse('Created: the schedule and its next 5 runs. `Location` is its URL.', scheduleSchema, { created: { ...scheduleExample, lastRun: null } }, { rateLimited: false }),
        ...errorResponses(['validation_error', 'forbidden', 'conflict']),
      },
    },
    get: {
      operationId: 'listSchedules',
      tags: ['Schedules'],
      summary: 'List schedules',
      description: "The account's schedules, newest first, each with its next 5 runs and its last run.",
      requestParams: { query: listSchedulesQuerySchema },
      responses: {
        '200': jsonResponse('A page of schedules.', scheduleListSchema, { page: { data: [scheduleExample], page: 1, size: 25, total: 1, totalPages: 1 } }),
        ...errorResponses(['validation_error']),
      },
    },
  },
  '/api/v1/schedules/{id}': {
    get: {
      operationId: 'getSchedule',
      tags: ['Schedules'],
      summary: 'Get a schedule',
      description: 'The schedule with its next 5 runs (none while paused) and its last run.',
      requestParams: { path: schedulePathParams },
      responses: {
        '200': jsonResponse('The schedule.', scheduleSchema, { active: scheduleExample }),
        ...errorResponses([...scheduleErrors]),
      },
    },
    patch: {
      operationId: 'updateSchedule',
      tags: ['Schedules'],
      summary: 'Edit a schedule',
      description: 'Changes any of `name`, `cron`, `timezone`, `overlap` and `target`. A new expression or zone moves the next run to its first time from now.',
      requestParams: { path: schedulePathParams },
      requestBody: jsonBody(updateScheduleBodySchema, { cron: { cron: '30 6 * * *' } }),
      responses: {
        '200': jsonResponse('The schedule as edited.', scheduleSchema, { edited: { ...scheduleExample, cron: '30 6 * * *', description: 'At 06:30' } }),
        ...errorResponses(['validation_error', ...scheduleErrors]),
      },
    },
    delete: {
      operationId: 'deleteSchedule',
      tags: ['Schedules'],
      summary: 'Delete a schedule',
      description: 'Deletes the schedule and its run history. The jobs, batches and crawls its runs made stay.',
      requestParams: { path: schedulePathParams },
      responses: {
        '200': jsonResponse('Deleted.', z.strictObject({ id: z.uuid(), deleted: z.literal(true) }), { deleted: { id: scheduleExample.id, deleted: true } }),
        ...errorResponses([...scheduleErrors]),
      },
    },
  },
  '/api/v1/schedules/{id}/pause': {
    post: {
      operationId: 'pauseSchedule',
      tags: ['Schedules'],
      summary: 'Pause a schedule',
      description: 'Stops its runs until it is resumed. Pausing a paused schedule changes nothing.',
      requestParams: { path: schedulePathParams },
      responses: {
        '200': jsonResponse('The paused schedule.', scheduleSchema, { paused: pausedScheduleExample }),
        ...errorResponses([...scheduleErrors]),
      },
    },
  },
  '/api/v1/schedules/{id}/resume': {
    post: {
      operationId: 'resumeSchedule',
      tags: ['Schedules'],
      summary: 'Resume a schedule',
      description: 'Runs it again from its next time after now; the times it was paused for are not caught up.',
      requestParams: { path: schedulePathParams },
      responses: {
        '200': jsonResponse('The resumed schedule with its next 5 runs.', scheduleSchema, { resumed: scheduleExample }),
        ...errorResponses([...scheduleErrors]),
      },
    },
  },
  '/api/v1/schedules/{id}/runs': {
    get: {
      operationId: 'listScheduleRuns',
      tags: ['Schedules'],
      summary: "A schedule's run history",
      description:
        'Its runs, latest scheduled time first: the scheduled time, when it ran, the outcome (`created`, `skipped` for overlap, ' +
        '`refused` for credits, a revoked key or a suspended account) with the reason, and the job, batch or crawl it created (`jobId`, `batchId`, `crawlId`).',
      requestParams: { path: schedulePathParams, query: listScheduleRunsQuerySchema },
      responses: {
        '200': jsonResponse('A page of runs.', scheduleRunListSchema, {
          page: { data: [refusedRunExample, createdRunExample], page: 1, size: 25, total: 2, totalPages: 1 },
          crawl: { data: [crawlRunExample], page: 1, size: 25, total: 1, totalPages: 1 },
        }),
        ...errorResponses(['validation_error', ...scheduleErrors]),
      },
    },
  },
};
