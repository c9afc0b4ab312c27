import { sql } from 'drizzle-orm';
import { bigserial, boolean, index, integer, jsonb, pgTable, primaryKey, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { accounts, ts } from './accounts';

export const webhookEvents = ['job.started', 'job.completed', 'job.failed', 'job.cancelled', 'job.expired', 'batch.completed', 'crawl.completed', 'crawl.cancelled', 'job.changed'] as const;
export type WebhookEvent = (typeof webhookEvents)[number];

/** An account-level endpoint: receives the events it subscribes to for every job and batch. */
export const webhookEndpoints = pgTable(
  'webhook_endpoints',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    accountId: uuid('account_id')
      .notNull()
      .references(() => accounts.id),
    url: text('url').notNull(),
    description: text('description'),
    events: text('events').array().$type<WebhookEvent[]>().notNull(),
    /** HMAC-SHA256 signing secret (`whsec_...`); kept so deliveries can be signed, shown to the owner. */
    secret: text('secret').notNull(),
    /** The secret before the last rotation: deliveries carry its signature too until it expires. */
    previousSecret: text('previous_secret'),
    previousSecretExpiresAt: ts('previous_secret_expires_at'),
    createdAt: ts('created_at').notNull().defaultNow(),
    disabledAt: ts('disabled_at'),
    deletedAt: ts('deleted_at'),
  },
  (table) => [
    index('webhook_endpoints_account_idx')
      .on(table.accountId)
      .where(sql`${table.deletedAt} IS NULL AND ${table.disabledAt} IS NULL`),
  ],
);

/**
 * Transactional outbox: a row is written in the same transaction as the job's terminal state
 * (db/queries/jobs.ts finishJobUnsettled) whenever someone may want to hear about it; the worker's
 * dispatcher turns rows into deliveries. No event is lost, whichever process finished the job.
 */
export const webhookOutbox = pgTable('webhook_outbox', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  accountId: uuid('account_id').notNull(),
  jobId: uuid('job_id'),
  batchId: uuid('batch_id'),
  /** Set for a crawl's own events (crawl.completed, crawl.cancelled). */
  crawlId: uuid('crawl_id'),
  event: text('event').$type<WebhookEvent>().notNull(),
  createdAt: ts('created_at').notNull().defaultNow(),
});

/** One event sent to one URL; retried and redelivered as attempts of the same delivery. */
export const webhookDeliveries = pgTable(
  'webhook_deliveries',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    accountId: uuid('account_id')
      .notNull()
      .references(() => accounts.id),
    /** The event's id, the same in every delivery of the event (receivers deduplicate on it). */
    eventId: uuid('event_id').notNull(),
    event: text('event').$type<WebhookEvent>().notNull(),
    jobId: uuid('job_id'),
    batchId: uuid('batch_id'),
    crawlId: uuid('crawl_id'),
    /** Null for a job's or batch's own webhookUrl. */
    endpointId: uuid('endpoint_id'),
    url: text('url').notNull(),
    payload: jsonb('payload').$type<Record<string, unknown>>().notNull(),
    status: text('status', { enum: ['pending', 'succeeded', 'failed'] }).notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    /** A made-up event sent by "Send test event": not in the event log, marked `Scrapifie-Test: true`. */
    test: boolean('test').notNull().default(false),
    createdAt: ts('created_at').notNull().defaultNow(),
    lastAttemptAt: ts('last_attempt_at'),
  },
  (table) => [
    index('webhook_deliveries_job_idx').on(table.jobId, table.createdAt),
    index('webhook_deliveries_batch_idx').on(table.batchId, table.createdAt),
    index('webhook_deliveries_account_idx').on(table.accountId, table.createdAt.desc()),
    index('webhook_deliveries_created_idx').on(table.createdAt).where(sql`${table.status} <> 'pending'`),
  ],
);

export const webhookDeliveryAttempts = pgTable(
  'webhook_delivery_attempts',
  {
    deliveryId: uuid('delivery_id')
      .notNull()
      .references(() => webhookDeliveries.id),
    attempt: integer('attempt').notNull(),
    startedAt: ts('started_at').notNull(),
    /** The receiver's HTTP status; null when no response came (refused, timed out, blocked). */
    responseStatus: integer('response_status'),
    responseTimeMs: integer('response_time_ms'),
    error: text('error'),
    /** Whether a person asked for this attempt ("Redeliver") rather than the schedule. */
    trigger: text('trigger', { enum: ['automatic', 'redeliver'] }).notNull().default('automatic'),
  },
  (table) => [primaryKey({ columns: [table.deliveryId, table.attempt] })],
);

/**
 * Every event the dispatcher sent (whatever became of its deliveries), for GET /api/v1/events.
 * `sequence` orders an account's events as they were recorded; deliveries are not ordered.
 */
export const webhookEventLog = pgTable(
  'webhook_event_log',
  {
    sequence: bigserial('sequence', { mode: 'number' }).primaryKey(),
    id: uuid('id').notNull(),
    accountId: uuid('account_id')
      .notNull()
      .references(() => accounts.id),
    type: text('type').$type<WebhookEvent>().notNull(),
    createdAt: ts('created_at').notNull(),
    payload: jsonb('payload').$type<Record<string, unknown>>().notNull(),
  },
  (table) => [
    uniqueIndex('webhook_event_log_id_unique').on(table.id),
    index('webhook_event_log_account_idx').on(table.accountId, table.sequence),
    index('webhook_event_log_account_created_idx').on(table.accountId, table.createdAt),
    index('webhook_event_log_created_idx').on(table.createdAt),
  ],
);

export type WebhookEventLogRow = typeof webhookEventLog.$inferSelect;
export type WebhookEndpoint = typeof webhookEndpoints.$inferSelect;
export type WebhookDelivery = typeof webhookDeliveries.$inferSelect;
export type WebhookDeliveryAttempt = typeof webhookDeliveryAttempts.$inferSelect;
