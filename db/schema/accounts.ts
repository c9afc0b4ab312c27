import { sql } from 'drizzle-orm';
import { bigserial, check, index, integer, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';

const ts = (name: string) => timestamp(name, { withTimezone: true, precision: 3, mode: 'date' });

export const accounts = pgTable(
  'accounts',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    email: text('email').notNull(),
    passwordHash: text('password_hash').notNull(),
    /** Spendable balance. Credits are reserved at submission and charged at the terminal state. */
    credits: integer('credits').notNull().default(0),
    /** Sum of the prices of this account's unfinished, charged-kind jobs. */
    reservedCredits: integer('reserved_credits').notNull().default(0),
    role: text('role', { enum: ['user', 'admin'] }).notNull().default('user'),
    suspendedAt: ts('suspended_at'),
    /** Signs deliveries to jobs' and batches' own webhookUrl (`whsec_...`); created on first use. */
    webhookSecret: text('webhook_secret'),
    /** The account secret before its last rotation, still signing (a second v1) until it expires. */
    webhookPreviousSecret: text('webhook_previous_secret'),
    webhookPreviousSecretExpiresAt: ts('webhook_previous_secret_expires_at'),
    /** Set when the owner asks to delete the account; the sweeper soft-deletes it once no job is active. */
    deletionRequestedAt: ts('deletion_requested_at'),
    deletedAt: ts('deleted_at'),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (table) => [
    // A deleted account's email can be used again.
    uniqueIndex('accounts_email_unique').on(sql`lower(${table.email})`).where(sql`${table.deletedAt} IS NULL`),
    // The sweeper looks for accounts to finish deleting every few seconds.
    index('accounts_deletion_pending_idx')
      .on(table.id)
      .where(sql`${table.deletionRequestedAt} IS NOT NULL AND ${table.deletedAt} IS NULL`),
    check('accounts_credits_non_negative', sql`${table.credits} >= 0 AND ${table.reservedCredits} >= 0`),
  ],
);

export const apiKeys = pgTable(
  'api_keys',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    accountId: uuid('account_id')
      .notNull()
      .references(() => accounts.id),
    name: text('name').notNull(),
    kind: text('kind', { enum: ['live', 'test'] }).notNull(),
    /** SHA-256 of the secret; the secret itself is shown once and never stored. */
    keyHash: text('key_hash').notNull(),
    /** The first characters of the secret, enough to recognise it in a list. */
    prefix: text('prefix').notNull(),
    createdAt: ts('created_at').notNull().defaultNow(),
    lastUsedAt: ts('last_used_at'),
    revokedAt: ts('revoked_at'),
  },
  (table) => [
    uniqueIndex('api_keys_key_hash_unique').on(table.keyHash),
    index('api_keys_account_idx').on(table.accountId, table.createdAt),
  ],
);

/** One row per credit movement: a charge for a terminal job (negative) or a grant (positive). */
export const creditLedger = pgTable(
  'credit_ledger',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    accountId: uuid('account_id')
      .notNull()
      .references(() => accounts.id),
    jobId: uuid('job_id'),
    amount: integer('amount').notNull(),
    reason: text('reason', { enum: ['job_charge', 'grant'] }).notNull(),
    balanceAfter: integer('balance_after').notNull(),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (table) => [
    // A job is charged at most once, whatever races: the database refuses a second row.
    uniqueIndex('credit_ledger_job_charge_unique').on(table.jobId).where(sql`${table.reason} = 'job_charge'`),
    index('credit_ledger_account_idx').on(table.accountId, table.createdAt),
    // The credits page lists an account's rows newest first by id (the order balances were written in).
    index('credit_ledger_account_id_idx').on(table.accountId, table.id),
  ],
);

export type Account = typeof accounts.$inferSelect;
export type ApiKey = typeof apiKeys.$inferSelect;
export type CreditLedgerEntry = typeof creditLedger.$inferSelect;
export { ts };
