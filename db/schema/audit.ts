import { bigserial, index, jsonb, pgTable, text, uuid } from 'drizzle-orm/pg-core';
import { ts } from './accounts';

/**
 * Who changed what: one row per action that changes a job (create, cancel, retry, delete, bulk
 * actions), an API key (create, revoke) or credits (grant), by a user, an API key, an admin or the
 * operator command. Readable by admins. Written in the same transaction as the change.
 */
export const auditLog = pgTable(
  'audit_log',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    createdAt: ts('created_at').notNull().defaultNow(),
    /** Who acted: a dashboard user, an API key, an admin, the operator command, or the system. */
    actorType: text('actor_type', { enum: ['user', 'api_key', 'admin', 'operator', 'system'] }).notNull(),
    actorAccountId: uuid('actor_account_id'),
    actorApiKeyId: uuid('actor_api_key_id'),
    /** e.g. job.create, job.cancel, job.retry, job.delete, jobs.bulk_cancel, key.revoke, credits.grant */
    action: text('action').notNull(),
    targetType: text('target_type', { enum: ['job', 'batch', 'api_key', 'account', 'jobs', 'crawl'] }).notNull(),
    /** The target's id; null for an action on many jobs (see details). */
    targetId: text('target_id'),
    /** The account the target belongs to. */
    accountId: uuid('account_id'),
    details: jsonb('details').$type<Record<string, unknown>>(),
  },
  (table) => [
    index('audit_log_created_idx').on(table.createdAt.desc()),
    index('audit_log_account_idx').on(table.accountId, table.createdAt.desc()),
    index('audit_log_target_idx').on(table.targetId),
  ],
);

export type AuditEntry = typeof auditLog.$inferSelect;
export type NewAuditEntry = typeof auditLog.$inferInsert;
