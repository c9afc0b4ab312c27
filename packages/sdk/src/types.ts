import type { components, operations, paths } from './generated/api.js';

// Names for the shapes a program handles, all taken from the generated document types.

export type { components, operations, paths };

type Schemas = components['schemas'];
type JsonBody<T> = T extends { content: { 'application/json': infer B } } ? B : never;
type Query<O extends keyof operations> = NonNullable<operations[O]['parameters']['query']>;

export type Job = Schemas['Job'];
export type JobSummary = Schemas['JobSummary'];
export type JobList = Schemas['JobList'];
export type JobStatus = Job['status'];
export type Engine = Job['engine'];
export type Priority = Job['priority'];
export type LogEntry = Schemas['LogEntry'];
export type LogList = Schemas['LogList'];
export type LogLevel = LogEntry['level'];
export type Batch = Schemas['Batch'];
export type BatchList = Schemas['BatchList'];
export type WebhookEndpoint = Schemas['WebhookEndpoint'];
export type CreatedWebhookEndpoint = Schemas['CreatedWebhookEndpoint'];
export type WebhookDelivery = Schemas['WebhookDelivery'];
export type JobEvent = Schemas['JobEvent'];
export type BatchCompletedEvent = Schemas['BatchCompletedEvent'];
export type WebhookEvent = JobEvent | BatchCompletedEvent;
export type Account = Schemas['Account'];
export type Credits = Schemas['Credits'];
export type Stats = Schemas['Stats'];
export type Storage = Schemas['Storage'];
export type QueueStats = Schemas['QueueStats'];
export type JobCounts = Schemas['JobCounts'];
export type DeletedJob = Schemas['DeletedJob'];
export type BulkDeleteResult = Schemas['BulkDeleteResult'];
export type ExportSummary = Schemas['ExportSummary'];
export type ScrapeReply = Schemas['ScrapeReply'];
export type ValidationError = Schemas['ValidationError'];

export type CreateJobRequest = JsonBody<operations['submitJob']['requestBody']>;
export type ScrapeRequest = JsonBody<operations['scrape']['requestBody']>;
export type CreateBatchRequest = JsonBody<operations['createBatch']['requestBody']>;
export type DeleteJobsRequest = JsonBody<operations['deleteJobs']['requestBody']>;
export type CreateWebhookEndpointRequest = JsonBody<operations['createWebhookEndpoint']['requestBody']>;
export type UpdateWebhookEndpointRequest = JsonBody<operations['updateWebhookEndpoint']['requestBody']>;
export type ListJobsQuery = Query<'listJobs'>;
export type ExportJobsQuery = Query<'exportJobs'>;
export type ListBatchesQuery = Query<'listBatches'>;
export type Schedule = Schemas['Schedule'];
export type ScheduleList = Schemas['ScheduleList'];
export type ScheduleRun = Schemas['ScheduleRun'];
export type ScheduleRunList = Schemas['ScheduleRunList'];
export type CreateScheduleRequest = JsonBody<operations['createSchedule']['requestBody']>;
export type UpdateScheduleRequest = JsonBody<operations['updateSchedule']['requestBody']>;
export type ListSchedulesQuery = Query<'listSchedules'>;
export type ListScheduleRunsQuery = Query<'listScheduleRuns'>;
export type Crawl = Schemas['Crawl'];
export type CrawlList = Schemas['CrawlList'];
export type CrawlPage = Schemas['CrawlPage'];
export type CrawlPageList = Schemas['CrawlPageList'];
export type CreateCrawlRequest = JsonBody<operations['createCrawl']['requestBody']>;
export type ListCrawlsQuery = Query<'listCrawls'>;
export type ListCrawlPagesQuery = Query<'listCrawlPages'>;

/** States a job does not leave. */
export const terminalStatuses: readonly JobStatus[] = ['completed', 'failed', 'cancelled', 'expired'];

export function isTerminal(status: JobStatus): boolean {
  return terminalStatuses.includes(status);
}
