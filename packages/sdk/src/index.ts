// @scrapifie/sdk: a typed client for the Scrapifie API. Types are generated from the API's
// OpenAPI document at build time (src/generated/api.ts); this layer adds what a generator cannot:
// auth, retries with idempotency keys, live streams with a polling fallback, iterators over logs
// and pages, batch progress and webhook verification.

export { Scrapifie } from './client.js';
export { Batches, type ProgressOptions } from './batches.js';
export { Crawls } from './crawls.js';
export { Jobs, type FollowOptions, type JobExport, type JobResult, type JobUpdate, type WaitOptions } from './jobs.js';
export { Schedules } from './schedules.js';
export { Webhooks, constructWebhookEvent, verifyWebhookSignature, type VerifyOptions } from './webhooks.js';
export { ApiError, ConnectionError, ScrapifieError, UnexpectedResponseError, WaitTimeoutError, WebhookSignatureError, type ApiErrorDetails } from './errors.js';
export { sdkVersion, type ClientOptions, type RequestOptions } from './transport.js';
export * from './types.js';
