import { z } from 'zod';
import type { ZodOpenApiPathsObject } from 'zod-openapi';
import {
  crawlIdSchema,
  crawlListSchema,
  crawlPageListSchema,
  crawlSchema,
  createCrawlBodySchema,
  listCrawlPagesQuerySchema,
  listCrawlsQuerySchema,
  type CrawlPageResponse,
  type CrawlResponse,
} from '@/lib/schemas/crawls';
import { errorResponses, submissionErrorCodes } from '../errors';
import { idempotencyHeaders, json, jsonBody, jsonResponse, locationResponse } from '../operations';

// /api/v1/crawls and /api/v1/crawls/{id}/...: app/api/v1/crawls/**/route.ts

const crawlPathParams = z.object({
  id: crawlIdSchema.meta({ description: 'The crawl id (a UUID).', example: '5b1f8f3e-2c4d-4e6f-8a9b-0c1d2e3f4a5b' }),
});

export const activeCrawlExample: CrawlResponse = {
  id: '5b1f8f3e-2c4d-4e6f-8a9b-0c1d2e3f4a5b',
  url: 'https://example.com/',
  mode: 'crawl',
  engine: 'http',
  name: 'Docs crawl',
  tags: [],
  priority: 'normal',
  config: { method: 'GET', headers: {}, cookies: {}, renderJs: true, waitTimeoutMs: 10_000, screenshot: false, format: 'markdown', timeoutMs: 30_000 },
  options: {
    maxPages: 500,
    maxDepth: 5,
    include: ['/docs/**'],
    exclude: ['/docs/archive/**'],
    sameHost: true,
    allowedHosts: [],
    sitemap: true,
    robots: true,
    concurrencyPerHost: 2,
    delayMs: 250,
    stripTrackingParams: true,
  },
  webhookUrl: 'https://hooks.example.com/scrapifie',
  scheduleId: null,
  status: 'active',
  stopReason: null,
  progress: { discovered: 180, queued: 60, processing: 2, done: 95, failed: 3, skipped: 20, pages: 160, percent: 61.2 },
  skipReasons: { robots: 4, pattern: 9, other_host: 7 },
  depths: [
    { depth: 0, fetched: 1, skipped: 0 },
    { depth: 1, fetched: 24, skipped: 3 },
    { depth: 2, fetched: 135, skipped: 17 },
  ],
  creditsCharged: 98,
  creditsReserved: 62,
  createdAt: '2026-03-01T10:30:00.000Z',
  cancelledAt: null,
  completedAt: null,
};

const pageExample: CrawlPageResponse = {
  url: 'https://example.com/docs/start',
  depth: 1,
  parentUrl: 'https://example.com/',
  outcome: 'completed',
  skipReason: null,
  jobId: '3f0c1c8e-9b1a-4c5d-8e7f-6a5b4c3d2e1f',
  errorType: null,
  errorMessage: null,
  discoveredAt: '2026-03-01T10:30:01.000Z',
};

export const crawlPaths: ZodOpenApiPathsObject = {
  '/api/v1/crawls': {
    post: {
      operationId: 'createCrawl',
      tags: ['Crawls'],
      summary: 'Start a crawl (or a map) of a site',
      description:
        'Fetches the start URL, then the links found on each fetched page (`<a href>` and the canonical link, from the rendered DOM ' +
        'for browser engines), normalised (fragment dropped, trailing slash and default port unified, tracking parameters removed ' +
        'unless `stripTrackingParams` is false) and each fetched once per crawl. Every page is an ordinary job (`crawlId`): listed, ' +
        'logged, retried and charged. Limits (`maxPages`, required, at most 10,000; `maxDepth`; include/exclude path globs; ' +
        '`sameHost` or `allowedHosts`; robots.txt, honoured by default with its Crawl-delay) are enforced in the database. ' +
        'Each page\'s price is reserved as it is enqueued; when the balance runs out the crawl stops with `stopReason`. ' +
        '`concurrencyPerHost` (default 2) bounds the pages of a host running at once across all workers; `delayMs` spaces their starts. ' +
        '`mode: "map"` fetches with the HTTP engine only for links (1 credit a page), stores no content; the URL list is at `/pages`. ' +
        'A balance short of the first page is 402.',
      requestParams: { header: idempotencyHeaders },
      requestBody: jsonBody(createCrawlBodySchema, {
        minimal: { url: 'https://example.com/', maxPages: 100 },
        docs: { url: 'https://example.com/', maxPages: 500, maxDepth: 5, include: ['/docs/**'], sitemap: true, delayMs: 250, format: 'markdown' },
        map: { url: 'https://example.com/', maxPages: 1000, mode: 'map' },
      }),
      responses: {
        '202': locationResponse('Accepted: the crawl, its start page queued. `Location` is its URL.', crawlSchema, { created: activeCrawlExample }),
        ...errorResponses(submissionErrorCodes),
      },
    },
    get: {
      operationId: 'listCrawls',
      tags: ['Crawls'],
      summary: 'List crawls',
      description: "The account's crawls, newest first, each with its progress.",
      requestParams: { query: listCrawlsQuerySchema },
      responses: {
        '200': jsonResponse('A page of crawls.', crawlListSchema, { page: { data: [activeCrawlExample], page: 1, size: 25, total: 1, totalPages: 1 } }),
        ...errorResponses(['validation_error']),
      },
    },
  },
  '/api/v1/crawls/{id}': {
    get: {
      operationId: 'getCrawl',
      tags: ['Crawls'],
      summary: 'Get a crawl and its progress',
      description:
        'Discovered, queued, processing, done, failed and skipped, the skipped URLs per reason (robots, pattern, depth, limit, ' +
        'other_host, credits, cancelled, other), credits charged and reserved. `status`: `active`, `stopped` (credits ran out: the ' +
        'pages already queued still run), `completed` once every page job is terminal, or `cancelled`. Its page jobs: `GET /api/v1/jobs?crawl={id}`.',
      requestParams: { path: crawlPathParams },
      responses: {
        '200': jsonResponse('The crawl.', crawlSchema, { active: activeCrawlExample }),
        ...errorResponses(['forbidden', 'not_found']),
      },
    },
  },
  '/api/v1/crawls/{id}/cancel': {
    post: {
      operationId: 'cancelCrawl',
      tags: ['Crawls'],
      summary: 'Cancel a crawl',
      description:
        'Stops discovery and cancels every queued and processing page at once (their credits released). Sends one `crawl.cancelled` ' +
        'event, not one event per page. 409 once the crawl is completed or cancelled.',
      requestParams: { path: crawlPathParams },
      responses: {
        '200': jsonResponse('The crawl after the cancel.', crawlSchema, {
          cancelled: { ...activeCrawlExample, status: 'cancelled', cancelledAt: '2026-03-01T10:31:00.000Z', completedAt: '2026-03-01T10:31:00.000Z' },
        }),
        ...errorResponses(['forbidden', 'not_found', 'conflict']),
      },
    },
  },
  '/api/v1/crawls/{id}/pages': {
    get: {
      operationId: 'listCrawlPages',
      tags: ['Crawls'],
      summary: "A crawl's per-page ledger",
      description:
        'Every URL the crawl saw, in discovery order, with its depth, the page it was found on, its outcome (the page job\'s state, ' +
        'or `skipped`), the error type of a failed page and the reason of a skipped one. Filter by outcome, reason, depth and URL ' +
        'substring (`q`). `format=csv` exports the whole filtered ledger. In map mode this is the map.',
      requestParams: { path: crawlPathParams, query: listCrawlPagesQuerySchema },
      responses: {
        '200': {
          description: 'A page of the ledger (JSON), or the whole ledger as CSV with `format=csv`.',
          content: {
            ...json(crawlPageListSchema, { page: { data: [pageExample], page: 1, size: 100, total: 1, totalPages: 1 } }),
            'text/csv': {
              schema: { type: 'string', description: 'A header row, then one row per URL.' },
              example: 'URL,Depth,Outcome,Skip reason,Error type,Error message,Job ID,Found on,Discovered at\r\nhttps://example.com/docs/start,1,completed,,,,3f0c1c8e-9b1a-4c5d-8e7f-6a5b4c3d2e1f,https://example.com/,2026-03-01T10:30:01.000Z\r\n',
            },
          },
        },
        ...errorResponses(['validation_error', 'forbidden', 'not_found', 'rate_limited']),
      },
    },
  },
};
