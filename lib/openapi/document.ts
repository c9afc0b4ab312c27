import { createDocument, type ZodOpenApiObject, type ZodOpenApiPathsObject } from 'zod-openapi';
import { errorStatuses, type ApiErrorCode } from '@/lib/api-errors';
import { componentSchemas } from './components';
import { exactSchema, finishDocument } from './document-finish';
import { errorCodeDescriptions, errorResponses } from './errors';
import { accountPaths } from './paths/account';
import { adminPaths } from './paths/admin';
import { batchPaths } from './paths/batches';
import { crawlPaths } from './paths/crawls';
import { jobReportPaths } from './paths/job-reports';
import { jobPaths } from './paths/jobs';
import { webhookPaths, webhooksDescription } from './paths/webhooks';
import { webhookEventOperations } from './webhook-events';
import { eventPaths } from './paths/events';
import { streamPaths } from './paths/streams';
import { schedulePaths } from './paths/schedules';

// The OpenAPI 3.1 document of /api/v1, generated from the zod schemas the routes parse requests
// with and the response schemas their replies are tested against. Served at /api/v1/openapi.json
// and rendered at /docs. A new route adds its operations to a module under paths/ and to `paths`
// below; tests/integration/openapi.test.ts fails while a route file is missing from here.

export const openApiPath = '/api/v1/openapi.json';

const metaPaths: ZodOpenApiPathsObject = {
  [openApiPath]: {
    get: {
      operationId: 'getOpenApiDocument',
      tags: ['Meta'],
      summary: 'This document',
      description: 'The OpenAPI 3.1 description of the API. Public: no API key needed.',
      security: [],
      responses: {
        '200': {
          description: 'The OpenAPI document.',
          content: { 'application/json': { schema: { type: 'object', description: 'An OpenAPI 3.1 document.' } } },
        },
        // The document takes no input: only a malformed HTTP request (an over-long URL or header)
        // is refused, by the server before the route.
        '4XX': { description: 'A request the server refused before reading it, such as one with an over-long URL or header.' },
        ...errorResponses([], { authenticated: false }),
      },
    },
  },
};

export const paths: ZodOpenApiPathsObject = {
  ...jobPaths,
  ...jobReportPaths,
  ...batchPaths,
  ...webhookPaths,
  ...accountPaths,
  ...adminPaths,
  ...metaPaths,
  ...streamPaths,
  ...eventPaths,
  ...schedulePaths,
  ...crawlPaths,
};

function errorTable(): string {
  const rows = (Object.keys(errorStatuses) as ApiErrorCode[]).map(
    (code) => `| ${errorStatuses[code]} | \`${code}\` | ${errorCodeDescriptions[code]} |`,
  );
  return ['| Status | Code | Meaning |', '|---|---|---|', ...rows].join('\n');
}

const description = `Scrapifie runs web-scraping jobs. Submit a URL, poll the job (or read its log as it grows), then download the result.

## Authentication

Every request except this document carries an API key from the dashboard:
\`Authorization: Bearer sk_live_...\`. Test keys (\`sk_test_...\`) run real jobs that never charge credits.
Bodies and replies are JSON in camelCase.

## Job lifecycle

\`queued\` → \`processing\` → \`completed\` | \`failed\`; \`queued\` → \`expired\` after 5 minutes without a worker;
\`queued\` or \`processing\` → \`cancelled\` by you. Network timeouts, proxy failures and HTTP 429/502/503/504 are retried
(3 attempts in all, with backoff); other failures end the job at once with an error \`type\` and suggestions.
Credits: HTTP 1, Browser 5, Stealth 10, reserved at submission and charged once when the job completes or fails.

## Errors

Every error reply has one shape, \`{"error": {"code", "message", "details"?}}\`, and each code one HTTP status:

${errorTable()}

## URLs are logged as given

> **Warning:** the scraping engine does not sanitize URLs. The URL you submit is stored with the job and appears in its
> log and in exports exactly as given, query string included. Do not put API keys, tokens, passwords or personal data
> in scraping URLs; send credentials in \`headers\` or \`cookies\` instead, which are masked in the dashboard.

## Webhooks

Give a job (or batch) a \`webhookUrl\`, or add account endpoints under Webhooks, to be told when jobs end: signed with
HMAC-SHA256 over timestamp and body, retried with backoff, every attempt recorded. See the Webhooks section below for the
events, headers, retry schedule and a verification snippet.

## Command line

The \`scrapifie\` CLI (see the README) wraps these endpoints: \`scrapifie submit --url https://example.com --wait\`.
`;

const document: ZodOpenApiObject = {
  openapi: '3.1.0',
  info: { title: 'Scrapifie API', version: '1', description, license: { name: 'Scrapifie terms of service', identifier: 'LicenseRef-Scrapifie-Terms' } },
  servers: [{ url: '/', description: 'This server' }],
  security: [{ apiKey: [] }],
  tags: [
    { name: 'Jobs', description: 'Submit, follow, cancel, retry, export and delete scrape jobs.' },
    { name: 'Batches', description: 'Many URLs with shared options, one job each, and their progress.' },
    { name: 'Insights', description: 'Statistics and storage.' },
    { name: 'Account', description: 'The account, its credits and saved preferences.' },
    { name: 'API keys', description: 'Keys that authenticate API requests.' },
    { name: 'Webhooks', description: webhooksDescription },
    { name: 'Crawls', description: 'Crawl or map a site from a start URL within limits; every page an ordinary job.' },
    { name: 'Admin', description: "Every account's jobs, bulk actions, the queue and workers, the audit log: admins' dashboard sessions only." },
    { name: 'Meta', description: 'This document.' },
    { name: 'Schedules', description: 'Jobs and batches started on a cron expression, and their run history.' },
  ],
  paths,
  webhooks: webhookEventOperations,
  components: {
    securitySchemes: {
      apiKey: {
        type: 'http',
        scheme: 'bearer',
        bearerFormat: 'sk_live_... | sk_test_...',
        description: 'An API key from the dashboard (API Keys page) or `npm run admin -- create-key`.',
      },
    },
    schemas: componentSchemas,
  },
};

let built: ReturnType<typeof createDocument> | undefined;

/** The document, built once per process. */
export function openApiDocument(): ReturnType<typeof createDocument> {
  built ??= finishDocument(createDocument(document, { override: exactSchema }));
  return built;
}
