import { z } from 'zod';
import type { ZodOpenApiPathsObject } from 'zod-openapi';
import { createJobBodySchema, listJobsQuerySchema, listLogsQuerySchema, resultQuerySchema, scrapeBodySchema } from '@/lib/schemas/jobs';
import { deletedJobSchema, jobListSchema, jobSchema, logListSchema, scrapeReplySchema } from '@/lib/schemas/responses';
import { errorResponses, submissionErrorCodes } from '../errors';
import { completedJobExample, failedJobExample, jobListExample, logListExample, queuedJobExample } from '../examples';
import { conditionalPoll, idempotencyHeaders, jobPathParams, json, jsonBody, jsonResponse, locationResponse, rateLimitHeaders } from '../operations';

// /api/v1/jobs and /api/v1/jobs/{id}/...: app/api/v1/jobs/**/route.ts

export const jobPaths: ZodOpenApiPathsObject = {
  '/api/v1/jobs': {
    post: {
      operationId: 'submitJob',
      tags: ['Jobs'],
      summary: 'Submit a scrape job',
      description:
        "Creates a job and queues it for a worker. The job's price (HTTP 1, Browser 5, Stealth 10 credits; 0 with a test key) " +
        'is reserved now and charged when it completes or fails; cancelled and expired jobs cost nothing. ' +
        'Poll `GET /api/v1/jobs/{id}` (or its logs) until the status is terminal, then fetch the result. ' +
        'Optional `name`, `tags` and `priority` (low, normal, high, urgent: higher is picked up first) label the job and filter the list.',
      requestParams: { header: idempotencyHeaders },
      requestBody: jsonBody(createJobBodySchema, {
        minimal: { url: 'https://example.com' },
        markdown: { url: 'https://example.com/blog', format: 'markdown', timeoutMs: 20_000 },
        browser: {
          url: 'https://example.com/app',
          engine: 'browser',
          waitForSelector: '#content',
          screenshot: 'fullPage',
          proxyCountry: 'us',
        },
      }),
      responses: {
        '202': locationResponse('Accepted: the job, queued. `Location` is its URL.', jobSchema, { queued: queuedJobExample }),
        ...errorResponses(submissionErrorCodes),
      },
    },
    get: {
      operationId: 'listJobs',
      tags: ['Jobs'],
      summary: 'List jobs',
      description:
        "The account's jobs, newest first by default. Filters combine; `status=active` means queued or processing; " +
        '`q` matches a URL substring or a job-id prefix; `name` a substring of the name; `tag=a,b` jobs with any of the tags; `from`/`to` are local dates (YYYY-MM-DD, at most 90 days apart) ' +
        'in the timezone `tz` (minutes as `Date#getTimezoneOffset` reports them).',
      requestParams: { query: listJobsQuerySchema },
      responses: {
        '200': { ...jsonResponse('A page of jobs.', jobListSchema, { page: jobListExample }), headers: rateLimitHeaders },
        ...errorResponses(['validation_error', 'rate_limited']),
      },
    },
  },
  '/api/v1/jobs/{id}': {
    get: {
      operationId: 'getJob',
      tags: ['Jobs'],
      summary: 'Get a job',
      description: 'One job with its configuration, attempts, retries and a description of its result (the content is at `/result`).',
      requestParams: { path: jobPathParams, header: conditionalPoll.header },
      responses: {
        '200': { ...jsonResponse('The job.', jobSchema, { completed: completedJobExample, failed: failedJobExample }), headers: conditionalPoll.etag },
        ...conditionalPoll.notModified,
        ...errorResponses(['forbidden', 'not_found', 'gone']),
      },
    },
    delete: {
      operationId: 'deleteJob',
      tags: ['Jobs'],
      summary: 'Delete a job',
      description: 'Soft-deletes the job (an active one is cancelled first); its result and logs are purged. Its charge stays in the ledger.',
      requestParams: { path: jobPathParams },
      responses: {
        '200': jsonResponse('The deleted job.', deletedJobSchema, {
          deleted: { id: completedJobExample.id, status: 'completed', deletedAt: '2026-03-02T08:00:00.000Z' },
        }),
        ...errorResponses(['forbidden', 'not_found', 'conflict', 'gone']),
      },
    },
  },
  '/api/v1/jobs/{id}/logs': {
    get: {
      operationId: 'listJobLogs',
      tags: ['Jobs'],
      summary: "Read a job's log",
      description:
        'The log entries in order (at most 200 per job). Pass the last `seq` you have as `after` to read only newer entries while following a job. ' +
        'Log lines contain the URL as submitted: the engine does not sanitize URLs.',
      requestParams: { path: jobPathParams, query: listLogsQuerySchema, header: conditionalPoll.header },
      responses: {
        '200': { ...jsonResponse('Log entries.', logListSchema, { log: logListExample }), headers: conditionalPoll.etag },
        ...conditionalPoll.notModified,
        ...errorResponses(['validation_error', 'forbidden', 'not_found', 'gone']),
      },
    },
  },
  '/api/v1/jobs/{id}/result': {
    get: {
      operationId: 'getJobResult',
      tags: ['Jobs'],
      summary: "Download a job's result",
      description:
        "The result content as stored, with its content type (the requested format's, or the target's own for binary " +
        'content such as images) and a download name `scrapifie-{first 8 of id}-{format}.{ext}`. Result data is kept 30 days. ' +
        'With `part=extracted`, the document the job\'s extraction rules read (`application/json`, `scrapifie-{id8}-extracted.json`; 404 for a job without rules).',
      requestParams: { path: jobPathParams, query: resultQuerySchema },
      responses: {
        '200': {
          description: 'The result content.',
          headers: {
            'Content-Disposition': {
              description: 'attachment; filename="scrapifie-3f0c1c8e-markdown.md"',
              schema: { type: 'string' },
            },
          },
          content: {
            'text/html': { schema: { type: 'string', description: '`format: html` of an HTML page (UTF-8).' } },
            'text/markdown': { schema: { type: 'string', description: '`format: markdown` (UTF-8).' } },
            'text/plain': { schema: { type: 'string', description: '`format: text` (UTF-8).' } },
            'application/json': {
              schema: z.unknown().meta({
                description:
                  '`format: json`: a JSON target as fetched (pretty-printed), or for any other page `{url, statusCode, headers, title, text}`. With `part=extracted`: the extracted document.',
              }),
            },
            '*/*': {
              schema: {
                type: 'string',
                contentMediaType: 'application/octet-stream',
                description: 'Anything else as the target sent it: binary content (images, PDFs, ...) and, with `format: html`, non-HTML text under its own type.',
              },
            },
          },
        },
        ...errorResponses(['forbidden', 'not_found', 'gone']),
      },
    },
  },
  '/api/v1/jobs/{id}/screenshot': {
    get: {
      operationId: 'getJobScreenshot',
      tags: ['Jobs'],
      summary: "Get a job's screenshot",
      description: 'The PNG taken by a Browser or Stealth job submitted with `screenshot`, shown inline.',
      requestParams: { path: jobPathParams },
      responses: {
        '200': { description: 'The screenshot.', content: { 'image/png': { schema: { type: 'string', contentMediaType: 'image/png' } } } },
        ...errorResponses(['forbidden', 'not_found', 'gone']),
      },
    },
  },
  '/api/v1/jobs/{id}/cancel': {
    post: {
      operationId: 'cancelJob',
      tags: ['Jobs'],
      summary: 'Cancel a job',
      description:
        'Cancels a queued or processing job; nothing is charged. A job that completes while the cancel is processed stays completed: ' +
        'the reply always carries the actual final state.',
      requestParams: { path: jobPathParams },
      responses: {
        '200': jsonResponse('The job in its final state (normally `cancelled`).', jobSchema, {
          cancelled: { ...queuedJobExample, status: 'cancelled', finishedAt: '2026-03-01T10:30:01.000Z', credits: 0 },
        }),
        ...errorResponses(['forbidden', 'not_found', 'conflict', 'gone']),
      },
    },
  },
  '/api/v1/jobs/{id}/retry': {
    post: {
      operationId: 'retryJob',
      tags: ['Jobs'],
      summary: 'Retry a finished job',
      description: "A new job with the same URL, engine, configuration, name, tags and priority, linked by `parentJobId`, priced at today's price.",
      requestParams: { path: jobPathParams, header: idempotencyHeaders },
      responses: {
        '201': locationResponse('The new job. `Location` is its URL.', jobSchema, { retry: { ...queuedJobExample, parentJobId: completedJobExample.id } }),
        ...errorResponses(['insufficient_credits', 'forbidden', 'not_found', 'conflict', 'idempotency_in_flight', 'gone', 'idempotency_mismatch', 'rate_limited']),
      },
    },
  },
  '/api/v1/scrape': {
    post: {
      operationId: 'scrape',
      tags: ['Jobs'],
      summary: 'Scrape and wait for the result',
      description:
        'The body of `POST /api/v1/jobs` plus `wait`: seconds to wait for the job to finish (default 30, at most 60). ' +
        'A job that finishes in time answers 200 with the job and its content inline (up to 5 MB: utf8 text, or base64 for binary). ' +
        'Otherwise 202 with the job: poll `Location` as for any job. It is an ordinary job underneath: listed, logged and charged once.',
      requestParams: { header: idempotencyHeaders },
      requestBody: jsonBody(scrapeBodySchema, { minimal: { url: 'https://example.com' }, markdown: { url: 'https://example.com/blog', format: 'markdown', wait: 10 } }),
      responses: {
        '200': locationResponse('The job finished within `wait`: the job in its terminal state, and its content when it completed.', scrapeReplySchema),
        '202': locationResponse('The job did not finish within `wait`: the job (queued or processing) with `result: null`. `Location` is its URL.', scrapeReplySchema),
        ...errorResponses(submissionErrorCodes),
      },
    },
  },
};

