import { z } from 'zod';
import type { ZodOpenApiPathsObject } from 'zod-openapi';
import { countJobsQuerySchema, deleteJobsBodySchema, exportJobsQuerySchema, statsQuerySchema } from '@/lib/schemas/jobs';
import {
  bulkDeleteResultSchema,
  exportFileSchema,
  exportSummarySchema,
  jobCountsSchema,
  queueStatsSchema,
  statsSchema,
  storageSchema,
} from '@/lib/schemas/responses';
import { errorResponses } from '../errors';
import { jobSummaryExample, statsExample, storageExample } from '../examples';
import { json, jsonBody, jsonResponse, rateLimitHeaders } from '../operations';

// Jobs in bulk and in aggregate: filter counts, bulk delete, export, stats, storage.

export const jobReportPaths: ZodOpenApiPathsObject = {
  '/api/v1/jobs/counts': {
    get: {
      operationId: 'countJobs',
      tags: ['Jobs'],
      summary: 'Count jobs per filter option',
      description:
        'For each list filter, how many jobs each of its options would list given the other filters: the counts beside the ' +
        'dashboard\'s filter options. Takes the filter parameters of `GET /api/v1/jobs` (its paging and sort parameters are ignored).',
      requestParams: { query: countJobsQuerySchema },
      responses: {
        '200': {
          ...jsonResponse('Counts per option.', jobCountsSchema, {
            counts: {
              status: { completed: 110, failed: 6, queued: 1 },
              engine: { http: 100, browser: 17 },
              key: { [jobSummaryExample.apiKey.id]: 117 },
              priority: { normal: 110, high: 7 },
              date: { today: 4, last7: 30, last30: 117, last90: 117 },
            },
          }),
          headers: rateLimitHeaders,
        },
        ...errorResponses(['validation_error', 'rate_limited']),
      },
    },
  },
  '/api/v1/jobs/delete': {
    post: {
      operationId: 'deleteJobs',
      tags: ['Jobs'],
      summary: 'Delete every job matching the filters',
      description:
        'Soft-deletes the jobs the list filters match when the request arrives (active ones are cancelled first). ' +
        '`dryRun: true` only counts them. With only `to`, this deletes everything created up to that local date.',
      requestBody: jsonBody(deleteJobsBodySchema, {
        olderThanADate: { to: '2026-01-31', dryRun: true },
        failedLastWeek: { status: 'failed', from: '2026-02-23', to: '2026-03-01' },
      }),
      responses: {
        '200': jsonResponse('What was (or would be) deleted.', bulkDeleteResultSchema, {
          dryRun: { dryRun: true, count: 42, active: 0, cancelled: 0 },
          deleted: { dryRun: false, count: 42, active: 1, cancelled: 1 },
        }),
        ...errorResponses(['validation_error', 'payload_too_large']),
      },
    },
  },
  '/api/v1/jobs/export': {
    get: {
      operationId: 'exportJobs',
      tags: ['Jobs'],
      summary: 'Export jobs as CSV or JSON',
      description:
        'The jobs matching the list filters as a file download, most recent first, at most 10,000 (the `X-Export-Warning` header ' +
        'says when more match). At most 5 exports per hour. With `count=true` the reply is only a summary of what an export ' +
        'would hold, and does not use one of the hour\'s exports.',
      requestParams: { query: exportJobsQuerySchema },
      responses: {
        '200': {
          description: 'The file (`format=csv` or `json`), or with `count=true` the summary.',
          headers: {
            ...rateLimitHeaders,
            'Content-Disposition': { description: 'attachment; filename="scrapifie-jobs-2026-03-01.csv"', schema: { type: 'string' } },
            'X-Export-Total': { description: 'Jobs matching the filters (file downloads only).', schema: { type: 'integer' } },
            'X-Export-Rows': { description: 'Jobs in the file (file downloads only).', schema: { type: 'integer' } },
            'X-Export-Warning': { description: 'Set when more jobs match than one export holds.', schema: { type: 'string' } },
          },
          content: {
            'text/csv': {
              schema: { type: 'string', description: 'RFC 4180 with a UTF-8 BOM and a header row.' },
              example:
                '\uFEFFJob ID,Status,Target URL,Engine,API Key Name,Credits,Duration (seconds),Created At,Completed At,Error Type,Name,Tags,Priority\r\n' +
                `${jobSummaryExample.id},completed,https://example.com/products?page=2,http,Production key,1,0.842,2026-03-01T10:30:00.000Z,2026-03-01T10:30:00.962Z,,"Product listing, page 2",catalog daily,normal\r\n`,
            },
            'application/json': {
              schema: z.union([exportFileSchema, exportSummarySchema]),
              examples: {
                summary: {
                  value: { count: 12_500, rows: 10_000, maxRows: 10_000, warning: 'Your filters match 12,500 jobs. Only the most recent 10,000 will be exported.', exportsRemaining: 4, retryAfterSeconds: null },
                },
                file: {
                  value: [
                    {
                      jobId: jobSummaryExample.id,
                      status: 'completed',
                      targetUrl: jobSummaryExample.url,
                      engine: 'http',
                      apiKeyName: 'Production key',
                      credits: 1,
                      durationSeconds: 0.842,
                      createdAt: jobSummaryExample.createdAt,
                      completedAt: jobSummaryExample.finishedAt,
                      errorType: null,
                      name: jobSummaryExample.name,
                      tags: jobSummaryExample.tags,
                      priority: jobSummaryExample.priority,
                    },
                  ],
                },
              },
            },
          },
        },
        ...errorResponses(['validation_error', 'rate_limited']),
      },
    },
  },
  '/api/v1/stats': {
    get: {
      operationId: 'getStats',
      tags: ['Insights'],
      summary: 'Job statistics',
      description: 'Totals, the last 30 local days (counts, success rate, average duration, credits used, jobs per day) and the 10 most recent jobs.',
      requestParams: { query: statsQuerySchema },
      responses: {
        '200': { ...jsonResponse('The statistics.', statsSchema, { stats: statsExample }), headers: rateLimitHeaders },
        ...errorResponses(['validation_error', 'rate_limited']),
      },
    },
  },
  '/api/v1/stats/queue': {
    get: {
      operationId: 'getQueueStats',
      tags: ['Insights'],
      summary: 'Queue statistics',
      description:
        "The account's queued and processing jobs per engine with the oldest queued job's age, its jobs finished per minute " +
        '(last 5 minutes), its jobs stuck on or recovering from a lost worker, and the workers with their load, memory and ' +
        'status (alive: a heartbeat within 15 seconds; gone: the heartbeat stopped; stopped: shut down cleanly).',
      responses: {
        '200': { ...jsonResponse('The queue.', queueStatsSchema), headers: rateLimitHeaders },
        ...errorResponses(['rate_limited']),
      },
    },
  },
  '/api/v1/storage': {
    get: {
      operationId: 'getStorage',
      tags: ['Insights'],
      summary: 'Storage used',
      description: 'Bytes of result data, screenshots and log entries the account has stored and can still read.',
      responses: {
        '200': { ...jsonResponse('Bytes stored.', storageSchema, { storage: storageExample }), headers: rateLimitHeaders },
        ...errorResponses(['rate_limited']),
      },
    },
  },
};
