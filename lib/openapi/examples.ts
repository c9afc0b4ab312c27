import type { BatchResponse } from '@/lib/schemas/batches';
import type {
  AccountResponse,
  JobListResponse,
  JobResponse,
  JobSummaryResponse,
  LogListResponse,
  StatsResponse,
  StorageResponse,
} from '@/lib/schemas/responses';

// Examples shown in the API documentation. Typed by the response schemas, and the OpenAPI test
// validates each against the document, so an example cannot show a shape the API does not send.

const jobId = '3f0c1c8e-5b7a-4a57-9a47-1c2d3e4f5a6b';
const keyId = '9b2f7d0e-1a4c-4e8b-8f6d-2c3b4a5d6e7f';

export const jobSummaryExample: JobSummaryResponse = {
  id: jobId,
  status: 'completed',
  url: 'https://example.com/products?page=2',
  engine: 'http',
  apiKey: { id: keyId, name: 'Production key', revoked: false, test: false },
  credits: 1,
  attempts: 1,
  maxAttempts: 3,
  durationMs: 842,
  createdAt: '2026-03-01T10:30:00.000Z',
  notBefore: null,
  startedAt: '2026-03-01T10:30:00.120Z',
  finishedAt: '2026-03-01T10:30:00.962Z',
  parentJobId: null,
  error: null,
  name: 'Product listing, page 2',
  tags: ['catalog', 'daily'],
  priority: 'normal',
  batchId: null,
  webhookUrl: null,
};

export const queuedJobExample: JobResponse = {
  ...jobSummaryExample,
  status: 'queued',
  attempts: 0,
  durationMs: null,
  startedAt: null,
  finishedAt: null,
  childJobIds: [],
  config: {
    method: 'GET',
    headers: {},
    cookies: {},
    renderJs: true,
    waitTimeoutMs: 10_000,
    screenshot: false,
    format: 'markdown',
    timeoutMs: 30_000,
  },
  result: null,
  screenshot: null,
  attemptHistory: [],
  retention: {
    days: { logsDays: 90, resultsDays: 30, screenshotsDays: 7 },
    resultExpiresAt: null,
    screenshotExpiresAt: null,
    logsExpireAt: '2026-05-30T10:30:00.000Z',
    resultPurged: false,
    screenshotPurged: false,
    logsPurged: false,
    notices: { result: null, screenshot: null, logs: null },
  },
  retryCost: 1,
  extracted: null,
  change: null,
};

export const completedJobExample: JobResponse = {
  ...queuedJobExample,
  ...jobSummaryExample,
  result: { format: 'markdown', size: 18_234, contentType: 'text/markdown; charset=utf-8', purged: false },
  retention: { ...queuedJobExample.retention, resultExpiresAt: '2026-03-31T10:30:00.962Z' },
  attemptHistory: [
    { attempt: 1, startedAt: '2026-03-01T10:30:00.120Z', finishedAt: '2026-03-01T10:30:00.962Z', outcome: 'completed', error: null },
  ],
};

export const failedJobExample: JobResponse = {
  ...completedJobExample,
  status: 'failed',
  attempts: 3,
  result: null,
  retention: queuedJobExample.retention,
  error: {
    type: 'RATE_LIMITED',
    message: 'The target answered HTTP 429 Too Many Requests',
    suggestions: ['Wait and retry', 'Reduce request frequency to the target'],
  },
  attemptHistory: [1, 2, 3].map((attempt) => ({
    attempt,
    startedAt: '2026-03-01T10:30:00.120Z',
    finishedAt: '2026-03-01T10:30:00.400Z',
    outcome: attempt < 3 ? ('retrying' as const) : ('failed' as const),
    error: { type: 'RATE_LIMITED' as const, message: 'The target answered HTTP 429 Too Many Requests' },
  })),
};

export const jobListExample: JobListResponse = { data: [jobSummaryExample], page: 1, size: 25, total: 1, totalPages: 1, nextCursor: null };

export const logListExample: LogListResponse = {
  data: [
    { seq: 1, timestamp: '2026-03-01T10:30:00.000Z', level: 'INFO', message: 'Job queued', metadata: null },
    { seq: 2, timestamp: '2026-03-01T10:30:00.000Z', level: 'INFO', message: 'Queue position: 1', metadata: null },
    { seq: 3, timestamp: '2026-03-01T10:30:00.120Z', level: 'INFO', message: 'Worker picked up job', metadata: null },
    { seq: 4, timestamp: '2026-03-01T10:30:00.121Z', level: 'INFO', message: 'Engine: HTTP', metadata: null },
    { seq: 5, timestamp: '2026-03-01T10:30:00.962Z', level: 'INFO', message: 'Job completed successfully', metadata: { durationMs: 842 } },
    { seq: 6, timestamp: '2026-03-01T10:30:00.962Z', level: 'INFO', message: 'Credits charged: 1', metadata: null },
  ],
  total: 6,
  purged: false,
};

export const accountExample: AccountResponse = {
  id: '0d6c8a5e-2f4b-4c1d-9e8f-7a6b5c4d3e2f',
  email: 'ada@example.com',
  credits: 995,
  reservedCredits: 5,
  available: 990,
  suspended: false,
  deletionRequestedAt: null,
};

export const storageExample: StorageResponse = { resultsBytes: 1_482_113, screenshotsBytes: 402_553, logsBytes: 18_220, totalBytes: 1_902_886 };

export const statsExample: StatsResponse = {
  totalJobs: 128,
  activeNow: 2,
  queued: 1,
  processing: 1,
  completed30d: 110,
  failed30d: 6,
  creditsUsed30d: 141,
  successRate30d: 110 / 116,
  avgDurationMs30d: 1_304,
  perDay: [{ date: '2026-03-01', queued: 1, processing: 1, completed: 12, failed: 1, cancelled: 0, expired: 0 }],
  recent: [jobSummaryExample],
};

export const activeBatchExample: BatchResponse = {
  id: '7c9e6679-7425-40de-944b-e07fc1f90ae7',
  name: 'Catalog refresh',
  tags: ['shop:eu', 'daily'],
  priority: 'normal',
  engine: 'http',
  config: { method: 'GET', headers: {}, cookies: {}, renderJs: true, waitTimeoutMs: 10_000, screenshot: false, format: 'markdown', timeoutMs: 30_000 },
  webhookUrl: 'https://hooks.example.com/scrapifie',
  createdAt: '2026-03-01T10:30:00.000Z',
  cancelledAt: null,
  completedAt: null,
  total: 100,
  counts: { queued: 67, processing: 8, completed: 23, failed: 2, cancelled: 0, expired: 0 },
  finished: 25,
  percent: 25,
  creditsCharged: 25,
  creditsReserved: 75,
  status: 'active',
};
