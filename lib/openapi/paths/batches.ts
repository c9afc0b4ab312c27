import { z } from 'zod';
import type { ZodOpenApiPathsObject } from 'zod-openapi';
import { batchIdSchema, batchListSchema, batchSchema, createBatchBodySchema, listBatchesQuerySchema, type BatchResponse } from '@/lib/schemas/batches';
import { errorResponses, submissionErrorCodes } from '../errors';
import { activeBatchExample } from '../examples';
import { idempotencyHeaders, jsonBody, jsonResponse, locationResponse } from '../operations';

// /api/v1/batches and /api/v1/batches/{id}/...: app/api/v1/batches/**/route.ts

const batchPathParams = z.object({
  id: batchIdSchema.meta({ description: 'The batch id (a UUID).', example: '7c9e6679-7425-40de-944b-e07fc1f90ae7' }),
});

const createdBatchExample: BatchResponse = {
  ...activeBatchExample,
  counts: { queued: 100, processing: 0, completed: 0, failed: 0, cancelled: 0, expired: 0 },
  finished: 0,
  percent: 0,
  creditsCharged: 0,
  creditsReserved: 100,
};

const cancelledBatchExample: BatchResponse = {
  ...activeBatchExample,
  cancelledAt: '2026-03-01T10:31:00.000Z',
  counts: { queued: 0, processing: 0, completed: 24, failed: 2, cancelled: 74, expired: 0 },
  finished: 100,
  percent: 100,
  creditsCharged: 26,
  creditsReserved: 0,
  status: 'cancelled',
};

export const batchPaths: ZodOpenApiPathsObject = {
  '/api/v1/batches': {
    post: {
      operationId: 'createBatch',
      tags: ['Batches'],
      summary: 'Submit many URLs as a batch',
      description:
        'Creates one job per URL (1 to 10,000), all with the same options, name, tags and priority, linked to the batch by `batchId`. ' +
        'Each job is an ordinary job: listed, logged, run and charged on its own. Every job\'s price is reserved now, in one step: ' +
        'when the available balance cannot cover the whole batch, nothing is created (402). ' +
        'Follow the progress with `GET /api/v1/batches/{id}`, the jobs with `GET /api/v1/jobs?batch={id}`. ' +
        '`webhookUrl` receives `batch.completed` once every job has finished.',
      requestParams: { header: idempotencyHeaders },
      requestBody: jsonBody(createBatchBodySchema, {
        minimal: { urls: ['https://example.com/a', 'https://example.com/b'] },
        labelled: {
          urls: ['https://example.com/products/1', 'https://example.com/products/2'],
          format: 'markdown',
          name: 'Catalog refresh',
          tags: ['shop:eu', 'daily'],
          priority: 'high',
          webhookUrl: 'https://hooks.example.com/scrapifie',
        },
      }),
      responses: {
        '202': locationResponse('Accepted: the batch, its jobs queued. `Location` is its URL.', batchSchema, { created: createdBatchExample }),
        ...errorResponses(submissionErrorCodes),
      },
    },
    get: {
      operationId: 'listBatches',
      tags: ['Batches'],
      summary: 'List batches',
      description: "The account's batches, newest first, each with its progress.",
      requestParams: { query: listBatchesQuerySchema },
      responses: {
        '200': jsonResponse('A page of batches.', batchListSchema, {
          page: { data: [activeBatchExample], page: 1, size: 25, total: 1, totalPages: 1 },
        }),
        ...errorResponses(['validation_error']),
      },
    },
  },
  '/api/v1/batches/{id}': {
    get: {
      operationId: 'getBatch',
      tags: ['Batches'],
      summary: 'Get a batch and its progress',
      description:
        'The batch with its jobs counted per state, `finished` (terminal jobs), `percent` done, the credits charged so far and those ' +
        'still reserved. `status` is `completed` once every job has finished, `cancelled` after a cancel.',
      requestParams: { path: batchPathParams },
      responses: {
        '200': jsonResponse('The batch.', batchSchema, { active: activeBatchExample }),
        ...errorResponses(['forbidden', 'not_found']),
      },
    },
  },
  '/api/v1/batches/{id}/cancel': {
    post: {
      operationId: 'cancelBatch',
      tags: ['Batches'],
      summary: 'Cancel a batch',
      description:
        'Cancels every unfinished job of the batch: queued jobs at once, processing jobs as a single cancel would (a job that completes ' +
        'first stays completed and keeps its charge). Cancelled jobs cost nothing. 409 when no job is left to cancel.',
      requestParams: { path: batchPathParams },
      responses: {
        '200': jsonResponse('The batch with its counts after the cancel.', batchSchema, { cancelled: cancelledBatchExample }),
        ...errorResponses(['forbidden', 'not_found', 'conflict']),
      },
    },
  },
};
