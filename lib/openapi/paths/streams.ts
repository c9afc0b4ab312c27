import { z } from 'zod';
import type { ZodOpenApiPathsObject, ZodOpenApiResponseObject } from 'zod-openapi';
import { batchIdSchema } from '@/lib/schemas/batches';
import { accountStreamQuerySchema, jobStreamQuerySchema } from '@/lib/schemas/streams';
import { errorResponses } from '../errors';
import { jobPathParams } from '../operations';

// The live streams (Server-Sent Events): app/api/v1/jobs/{id}/stream, /batches/{id}/stream and
// /jobs/stream. Their events are JSON in the API's own shapes, described here in prose.

const lastEventIdHeader = z.object({
  'Last-Event-ID': z
    .string()
    .optional()
    .meta({ description: 'Resume after this event id (EventSource sends it by itself on a reconnect).', example: '12' }),
});

function eventStream(description: string): ZodOpenApiResponseObject {
  return {
    description,
    content: { 'text/event-stream': { schema: { type: 'string', description: 'Server-Sent Events: `event:`, `id:`, one line of JSON as `data:`; `: ping` every 15 s.' } } },
  };
}

const limits =
  'The server closes a stream after `STREAM_MAX_SECONDS` (270 s by default, below Vercel\'s 300 s `maxDuration`); ' +
  'reconnect with `Last-Event-ID` and it resumes where it was. A client that gets 404, 405 or 501, or a reply that is not ' +
  '`text/event-stream`, falls back to polling the ordinary GET routes.';

export const streamPaths: ZodOpenApiPathsObject = {
  '/api/v1/jobs/{id}/stream': {
    get: {
      operationId: 'streamJob',
      tags: ['Jobs'],
      summary: 'Follow a job live',
      description:
        'First `event: status` with the job as `GET /api/v1/jobs/{id}` returns it; then every log entry with a sequence number above ' +
        'the resume point as `event: log` (`id:` = its `seq`, `data:` = the entry as `GET /api/v1/jobs/{id}/logs` lists it), in order, ' +
        'without gaps or repeats; then live entries and, on each status change, `event: status`. Once the job is terminal and its ' +
        `last entries were sent: \`event: end\` with the job, and the stream closes. ${limits}`,
      requestParams: { path: jobPathParams, query: jobStreamQuerySchema, header: lastEventIdHeader },
      responses: {
        '200': eventStream('The job\'s events.'),
        ...errorResponses(['validation_error', 'forbidden', 'not_found', 'gone']),
      },
    },
  },
  '/api/v1/batches/{id}/stream': {
    get: {
      operationId: 'streamBatch',
      tags: ['Batches'],
      summary: 'Follow a batch\'s progress live',
      description:
        '`event: progress` with the batch as `GET /api/v1/batches/{id}` returns it, at once and then whenever its counts change (at most ' +
        `4 a second); \`event: end\` with the batch once it is completed or cancelled, and the stream closes. ${limits}`,
      requestParams: { path: z.object({ id: batchIdSchema.meta({ description: 'The batch id (a UUID).', example: '7c9e6679-7425-40de-944b-e07fc1f90ae7' }) }) },
      responses: {
        '200': eventStream('The batch\'s progress.'),
        ...errorResponses(['forbidden', 'not_found']),
      },
    },
  },
  '/api/v1/jobs/stream': {
    get: {
      operationId: 'streamJobs',
      tags: ['Jobs'],
      summary: 'Follow the account\'s jobs live',
      description:
        'One `event: job` per state change of a job of the account that matches the filters, `data:` = the job as `GET /api/v1/jobs` lists ' +
        'it (as it is when read: states a job passed through within one read are not repeated), `id:` = an opaque cursor. Reconnecting ' +
        'with the last cursor first sends the latest state of each job that changed since (created within the hour before; at most ' +
        `1,000; one may have been seen already). Never ends by itself. ${limits}`,
      requestParams: { query: accountStreamQuerySchema, header: lastEventIdHeader },
      responses: {
        '200': eventStream('The account\'s job changes.'),
        ...errorResponses(['validation_error']),
      },
    },
  },
};
