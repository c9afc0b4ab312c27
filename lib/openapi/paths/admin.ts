import type { ZodOpenApiPathsObject } from 'zod-openapi';
import {
  adminJobListSchema,
  adminListJobsQuerySchema,
  adminOverviewSchema,
  auditListSchema,
  auditQuerySchema,
  bulkJobsBodySchema,
  bulkOutcomeSchema,
} from '@/lib/schemas/admin';
import { errorResponses } from '../errors';
import { jobSummaryExample } from '../examples';
import { jsonBody, jsonResponse } from '../operations';

// The admin API: app/api/v1/admin. Only a signed-in admin's dashboard session; API keys (even an
// admin's) and other accounts get 403.

const adminOnly =
  'Admins only, from a signed-in dashboard session (the role is granted with `npm run admin -- grant-admin`). ' +
  "Any other caller, including an API key of an admin's account, gets 403 `forbidden`.";

const accountExample = { id: '1d5e6f70-8a9b-4c0d-9e1f-2a3b4c5d6e7f', email: 'ops@example.com' };

export const adminPaths: ZodOpenApiPathsObject = {
  '/api/v1/admin/jobs': {
    get: {
      operationId: 'adminListJobs',
      tags: ['Admin'],
      summary: "List every account's jobs",
      description: `The same filters, sorting and pages as \`GET /api/v1/jobs\`, over all accounts, plus \`account\` (an id or part of an email); each job names its account. ${adminOnly}`,
      requestParams: { query: adminListJobsQuerySchema },
      responses: {
        '200': jsonResponse('A page of jobs.', adminJobListSchema, {
          page: { data: [{ ...jobSummaryExample, account: accountExample }], page: 1, size: 25, total: 1, totalPages: 1 },
        }),
        ...errorResponses(['validation_error', 'forbidden']),
      },
    },
  },
  '/api/v1/admin/jobs/bulk': {
    post: {
      operationId: 'adminBulkJobs',
      tags: ['Admin'],
      summary: 'Cancel or retry many jobs',
      description:
        'Cancels (queued or processing jobs, uncharged) or retries (finished jobs: a new linked job each, charged to its owner ' +
        'under the original\'s key) the jobs given by `ids` (at most 1,000) or every job `filter` matches when the request ' +
        'arrives (the list filters plus `account`). `dryRun: true` only counts them. Jobs the action does not apply to, or ' +
        `that their account refuses (credits, suspension), are skipped with the reason. Every change is audited. ${adminOnly}`,
      requestBody: jsonBody(bulkJobsBodySchema, {
        cancelSelected: { action: 'cancel', ids: [jobSummaryExample.id] },
        retryFailedDryRun: { action: 'retry', filter: { status: 'failed', account: 'example.com' }, dryRun: true },
      }),
      responses: {
        '200': jsonResponse('What was (or would be) done.', bulkOutcomeSchema, {
          dryRun: { action: 'retry', dryRun: true, matched: 12, eligible: 12, changed: 0, skipped: [], skippedCount: 0 },
          cancelled: {
            action: 'cancel',
            dryRun: false,
            matched: 2,
            eligible: 1,
            changed: 1,
            skipped: [{ id: jobSummaryExample.id, reason: 'already completed' }],
            skippedCount: 1,
          },
        }),
        ...errorResponses(['validation_error', 'forbidden', 'payload_too_large']),
      },
    },
  },
  '/api/v1/admin/audit': {
    get: {
      operationId: 'adminListAudit',
      tags: ['Admin'],
      summary: 'Read the audit log',
      description:
        'Every action that changed a job, a key, credits or an account role, newest first: who (a user, an API key, an admin, ' +
        `the operator command), what, on which target and account. ${adminOnly}`,
      requestParams: { query: auditQuerySchema },
      responses: {
        '200': jsonResponse('A page of entries.', auditListSchema, {
          page: {
            data: [
              {
                id: 42,
                createdAt: '2026-03-01T10:30:00.000Z',
                actor: { type: 'api_key', accountId: accountExample.id, email: accountExample.email, apiKeyId: jobSummaryExample.apiKey.id },
                action: 'job.cancel',
                target: { type: 'job', id: jobSummaryExample.id },
                account: accountExample,
                details: { from: 'processing' },
              },
            ],
            page: 1,
            size: 25,
            total: 1,
            totalPages: 1,
          },
        }),
        ...errorResponses(['validation_error', 'forbidden']),
      },
    },
  },
  '/api/v1/admin/overview': {
    get: {
      operationId: 'adminOverview',
      tags: ['Admin'],
      summary: 'Queue, workers, stuck jobs and purges',
      description:
        "Every account's queued and processing jobs per engine, throughput, the workers with their heartbeat, load and memory " +
        `(gone when the heartbeat stopped), processing jobs with a lapsed lease, and the latest retention purges. ${adminOnly}`,
      responses: {
        '200': jsonResponse('The overview.', adminOverviewSchema),
        ...errorResponses(['forbidden']),
      },
    },
  },
};
