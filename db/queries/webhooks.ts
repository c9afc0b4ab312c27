import { and, asc, count, desc, eq, gt, gte, inArray, isNull, or, sql, type SQL } from 'drizzle-orm';
import { webhookDeliveryQueue } from '@/lib/queue';
import type { Db } from '../client';
import { tallyBatches, type BatchTally } from './batches';
import {
  accounts,
  batches,
  jobs,
  webhookDeliveries,
  webhookDeliveryAttempts,
  webhookEndpoints,
  webhookEventLog,
  webhookOutbox,
  type Batch,
  type WebhookDelivery,
  type WebhookDeliveryAttempt,
  type WebhookEndpoint,
  type WebhookEvent,
} from '../schema';

// Webhook endpoints, the outbox the dispatcher drains, deliveries and their attempts.

export type OutboxEvent = typeof webhookOutbox.$inferSelect;

/**
 * Takes up to `limit` outbox rows for this transaction. SKIP LOCKED lets several dispatchers
 * drain side by side without taking the same row; the delete commits together with the
 * deliveries made from it, so a dispatcher that dies mid-way leaves its rows to the next one.
 */
export async function claimOutboxEvents(db: Db, limit: number): Promise<OutboxEvent[]> {
  const rows = await db.execute<{ id: string; account_id: string; job_id: string | null; batch_id: string | null; crawl_id: string | null; event: WebhookEvent; created_at: string }>(sql`
    DELETE FROM ${webhookOutbox}
    WHERE id IN (SELECT id FROM ${webhookOutbox} ORDER BY id LIMIT ${limit} FOR UPDATE SKIP LOCKED)
    RETURNING *`);
  return rows
    .map((row) => ({
      id: Number(row.id),
      accountId: row.account_id,
      jobId: row.job_id,
      batchId: row.batch_id,
      crawlId: row.crawl_id,
      event: row.event,
      createdAt: new Date(row.created_at),
    }))
    .sort((a, b) => a.id - b.id);
}

/** Puts an event that failed to dispatch back, behind the others (a new id), to be tried again. */
export async function requeueOutboxEvent(db: Db, event: OutboxEvent): Promise<void> {
  await db.insert(webhookOutbox).values({ accountId: event.accountId, jobId: event.jobId, batchId: event.batchId, crawlId: event.crawlId, event: event.event, createdAt: event.createdAt });
}

/** The account's enabled endpoints that subscribe to `event`. */
export async function listSubscribedEndpoints(db: Db, { accountId, event }: { accountId: string; event: WebhookEvent }) {
  return db
    .select()
    .from(webhookEndpoints)
    .where(
      and(
        eq(webhookEndpoints.accountId, accountId),
        isNull(webhookEndpoints.deletedAt),
        isNull(webhookEndpoints.disabledAt),
        sql`${event} = ANY(${webhookEndpoints.events})`,
      ),
    )
    .orderBy(asc(webhookEndpoints.createdAt));
}

export async function insertDeliveries(db: Db, values: (typeof webhookDeliveries.$inferInsert)[]): Promise<WebhookDelivery[]> {
  if (values.length === 0) return [];
  return db.insert(webhookDeliveries).values(values).returning();
}

export async function getBatch(db: Db, id: string): Promise<Batch | undefined> {
  const [batch] = await db.select().from(batches).where(eq(batches.id, id));
  return batch;
}

/**
 * Marks a batch completed once none of its jobs is queued or processing. One conditional
 * UPDATE: when the last two jobs' events are dispatched side by side, exactly one wins.
 */
export async function completeBatchIfDone(db: Db, id: string): Promise<Batch | undefined> {
  const [batch] = await db
    .update(batches)
    .set({ completedAt: sql`now()` })
    .where(
      and(
        eq(batches.id, id),
        isNull(batches.completedAt),
        sql`NOT EXISTS (SELECT 1 FROM ${jobs} WHERE ${jobs.batchId} = ${id} AND ${jobs.status} IN ('queued', 'processing'))`,
      ),
    )
    .returning();
  return batch;
}

/** One batch's jobs per state and credits, for its batch.completed payload. */
export async function tallyBatch(db: Db, id: string): Promise<BatchTally> {
  const tallies = await tallyBatches(db, [id]);
  return tallies.get(id)!;
}

/**
 * The account's signing secret for jobs' and batches' own webhookUrl, created on first need.
 * The conditional update lets concurrent callers (API and workers) agree on one secret.
 */
export async function ensureAccountWebhookSecret(db: Db, { accountId, candidate }: { accountId: string; candidate: string }): Promise<string> {
  const [created] = await db
    .update(accounts)
    .set({ webhookSecret: candidate })
    .where(and(eq(accounts.id, accountId), isNull(accounts.webhookSecret)))
    .returning({ secret: accounts.webhookSecret });
  if (created?.secret) return created.secret;
  const [existing] = await db.select({ secret: accounts.webhookSecret }).from(accounts).where(eq(accounts.id, accountId));
  if (!existing?.secret) throw new Error(`Account ${accountId} not found`);
  return existing.secret;
}

/**
 * Replaces the account secret with `candidate` (creating it when there was none); the old one
 * keeps signing until `previousValidMs` from now. Returns the new secret and that expiry.
 */
export async function rotateAccountWebhookSecret(db: Db, { accountId, candidate, previousValidMs }: { accountId: string; candidate: string; previousValidMs: number }) {
  const [row] = await db
    .update(accounts)
    .set({
      webhookPreviousSecret: sql`${accounts.webhookSecret}`,
      webhookPreviousSecretExpiresAt: sql`CASE WHEN ${accounts.webhookSecret} IS NULL THEN NULL ELSE now() + make_interval(secs => ${previousValidMs / 1000}) END`,
      webhookSecret: candidate,
    })
    .where(eq(accounts.id, accountId))
    .returning({ secret: accounts.webhookSecret, previousExpiresAt: accounts.webhookPreviousSecretExpiresAt });
  return row;
}

/** The account secret and, while valid, the one it replaced. */
export async function accountSigningSecrets(db: Db, accountId: string) {
  const [row] = await db
    .select({ previous: accounts.webhookPreviousSecret, previousExpiresAt: accounts.webhookPreviousSecretExpiresAt })
    .from(accounts)
    .where(eq(accounts.id, accountId));
  return row;
}

/** A new signing secret for an endpoint; the old one keeps signing until `previousValidMs` from now. */
export async function rotateEndpointSecret(db: Db, { id, accountId, candidate, previousValidMs }: { id: string; accountId: string; candidate: string; previousValidMs: number }) {
  const [endpoint] = await db
    .update(webhookEndpoints)
    .set({
      previousSecret: sql`${webhookEndpoints.secret}`,
      previousSecretExpiresAt: sql`now() + make_interval(secs => ${previousValidMs / 1000})`,
      secret: candidate,
    })
    .where(and(eq(webhookEndpoints.id, id), eq(webhookEndpoints.accountId, accountId), isNull(webhookEndpoints.deletedAt)))
    .returning();
  return endpoint;
}

/** Records a dispatched event for GET /api/v1/events; returns its place in the account's sequence. */
export async function insertEventLog(db: Db, { accountId, id, type, createdAt, payload }: { accountId: string; id: string; type: WebhookEvent; createdAt: Date; payload: (sequence: number) => Record<string, unknown> }): Promise<number> {
  // The sequence is taken first so the stored payload can carry it.
  const [{ sequence }] = await db.execute<{ sequence: string }>(sql`SELECT nextval(pg_get_serial_sequence('webhook_event_log', 'sequence')) AS sequence`);
  const value = Number(sequence);
  await db.insert(webhookEventLog).values({ sequence: value, id, accountId, type, createdAt, payload: payload(value) });
  return value;
}

/** A page of the account's recorded events in sequence order, filtered by type, time and sequence. */
export async function listEventLog(
  db: Db,
  { accountId, types, since, after, page, size }: { accountId: string; types?: WebhookEvent[]; since?: Date; after?: number; page: number; size: number },
) {
  const where: SQL[] = [eq(webhookEventLog.accountId, accountId)];
  if (types?.length) where.push(inArray(webhookEventLog.type, types));
  if (since) where.push(gte(webhookEventLog.createdAt, since));
  if (after !== undefined) where.push(gt(webhookEventLog.sequence, after));
  const [rows, [{ total }]] = await Promise.all([
    db
      .select()
      .from(webhookEventLog)
      .where(and(...where))
      .orderBy(asc(webhookEventLog.sequence))
      .limit(size)
      .offset((page - 1) * size),
    db.select({ total: count() }).from(webhookEventLog).where(and(...where)),
  ]);
  return { rows, total };
}

/** A delivery with what signs it: its endpoint's secrets, or (null) the account's. */
export async function findDeliveryToSend(db: Db, id: string) {
  const [row] = await db
    .select({
      delivery: webhookDeliveries,
      endpointSecret: webhookEndpoints.secret,
      endpointPreviousSecret: webhookEndpoints.previousSecret,
      endpointPreviousSecretExpiresAt: webhookEndpoints.previousSecretExpiresAt,
      endpointDeletedAt: webhookEndpoints.deletedAt,
    })
    .from(webhookDeliveries)
    .leftJoin(webhookEndpoints, eq(webhookEndpoints.id, webhookDeliveries.endpointId))
    .where(eq(webhookDeliveries.id, id));
  return row;
}

/** Counts an attempt as started; undefined when the delivery is no longer pending. */
export async function startDeliveryAttempt(db: Db, id: string): Promise<number | undefined> {
  const [row] = await db
    .update(webhookDeliveries)
    .set({ attempts: sql`${webhookDeliveries.attempts} + 1`, lastAttemptAt: sql`now()` })
    .where(and(eq(webhookDeliveries.id, id), eq(webhookDeliveries.status, 'pending')))
    .returning({ attempts: webhookDeliveries.attempts });
  return row?.attempts;
}

/** Records one attempt and, when it settles the delivery, its final status, together. */
export async function recordDeliveryAttempt(
  db: Db,
  { attempt, status }: { attempt: typeof webhookDeliveryAttempts.$inferInsert; status: 'pending' | 'succeeded' | 'failed' },
): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.insert(webhookDeliveryAttempts).values(attempt);
    if (status !== 'pending') {
      await tx.update(webhookDeliveries).set({ status }).where(eq(webhookDeliveries.id, attempt.deliveryId));
    }
  });
}

/**
 * Puts a settled delivery back to pending for a redelivery; undefined when it is not the
 * account's, and the delivery as it is (still pending) when an attempt is already under way.
 * A delivery left pending with no queue entry (its worker died during the last attempt) counts
 * as settled, so it can always be redelivered.
 */
export async function reopenDelivery(db: Db, { id, accountId }: { id: string; accountId: string }) {
  // Called in a transaction: the row lock makes a concurrent redelivery wait, and the update
  // below, a new statement, then sees the queue entry that one committed.
  await db.select({ id: webhookDeliveries.id }).from(webhookDeliveries).where(eq(webhookDeliveries.id, id)).for('update');
  const [reopened] = await db
    .update(webhookDeliveries)
    .set({ status: 'pending' })
    .where(
      and(
        eq(webhookDeliveries.id, id),
        eq(webhookDeliveries.accountId, accountId),
        or(
          inArray(webhookDeliveries.status, ['succeeded', 'failed']),
          sql`NOT EXISTS (
            SELECT 1 FROM pgboss.job
            WHERE name = ${webhookDeliveryQueue.name} AND state IN ('created', 'retry', 'active') AND data->>'deliveryId' = ${id}
          )`,
        ),
      ),
    )
    .returning();
  if (reopened) return { delivery: reopened, reopened: true as const };
  const [current] = await db
    .select()
    .from(webhookDeliveries)
    .where(and(eq(webhookDeliveries.id, id), eq(webhookDeliveries.accountId, accountId)));
  return current ? { delivery: current, reopened: false as const } : undefined;
}

export type DeliveryWithAttempts = WebhookDelivery & { attemptList: WebhookDeliveryAttempt[] };

async function withAttempts(db: Db, deliveries: WebhookDelivery[]): Promise<DeliveryWithAttempts[]> {
  if (deliveries.length === 0) return [];
  const attempts = await db
    .select()
    .from(webhookDeliveryAttempts)
    .where(inArray(webhookDeliveryAttempts.deliveryId, deliveries.map((delivery) => delivery.id)))
    .orderBy(asc(webhookDeliveryAttempts.attempt));
  return deliveries.map((delivery) => ({ ...delivery, attemptList: attempts.filter((attempt) => attempt.deliveryId === delivery.id) }));
}

/** A job's deliveries (its own webhookUrl and the account's endpoints), oldest first. */
export async function listJobDeliveries(db: Db, { jobId, accountId }: { jobId: string; accountId: string }) {
  const deliveries = await db
    .select()
    .from(webhookDeliveries)
    .where(and(eq(webhookDeliveries.jobId, jobId), eq(webhookDeliveries.accountId, accountId)))
    .orderBy(asc(webhookDeliveries.createdAt), asc(webhookDeliveries.url));
  return withAttempts(db, deliveries);
}

export async function getDelivery(db: Db, { id, accountId }: { id: string; accountId: string }) {
  const [delivery] = await db
    .select()
    .from(webhookDeliveries)
    .where(and(eq(webhookDeliveries.id, id), eq(webhookDeliveries.accountId, accountId)));
  if (!delivery) return undefined;
  const [full] = await withAttempts(db, [delivery]);
  return full;
}

export async function listEndpoints(db: Db, accountId: string): Promise<WebhookEndpoint[]> {
  return db
    .select()
    .from(webhookEndpoints)
    .where(and(eq(webhookEndpoints.accountId, accountId), isNull(webhookEndpoints.deletedAt)))
    .orderBy(desc(webhookEndpoints.createdAt));
}

export async function getEndpoint(db: Db, { id, accountId }: { id: string; accountId: string }): Promise<WebhookEndpoint | undefined> {
  const [endpoint] = await db
    .select()
    .from(webhookEndpoints)
    .where(and(eq(webhookEndpoints.id, id), eq(webhookEndpoints.accountId, accountId), isNull(webhookEndpoints.deletedAt)));
  return endpoint;
}

export async function insertEndpoint(db: Db, values: typeof webhookEndpoints.$inferInsert): Promise<WebhookEndpoint> {
  const [endpoint] = await db.insert(webhookEndpoints).values(values).returning();
  return endpoint;
}

export async function updateEndpoint(
  db: Db,
  {
    id,
    accountId,
    changes,
  }: { id: string; accountId: string; changes: Partial<Pick<WebhookEndpoint, 'url' | 'description' | 'events'>> & { enabled?: boolean } },
): Promise<WebhookEndpoint | undefined> {
  const { enabled, ...fields } = changes;
  const set: Partial<typeof webhookEndpoints.$inferInsert> = { ...fields };
  // Disabling keeps the first time it was disabled; enabling clears it.
  if (enabled === true) set.disabledAt = null;
  if (enabled === false) set.disabledAt = sql`coalesce(${webhookEndpoints.disabledAt}, now())` as unknown as Date;
  if (Object.keys(set).length === 0) return getEndpoint(db, { id, accountId });
  const [endpoint] = await db
    .update(webhookEndpoints)
    .set(set)
    .where(and(eq(webhookEndpoints.id, id), eq(webhookEndpoints.accountId, accountId), isNull(webhookEndpoints.deletedAt)))
    .returning();
  return endpoint;
}

/** Soft delete: deliveries already made keep pointing at it. */
export async function deleteEndpoint(db: Db, { id, accountId }: { id: string; accountId: string }): Promise<WebhookEndpoint | undefined> {
  const [endpoint] = await db
    .update(webhookEndpoints)
    .set({ deletedAt: sql`now()` })
    .where(and(eq(webhookEndpoints.id, id), eq(webhookEndpoints.accountId, accountId), isNull(webhookEndpoints.deletedAt)))
    .returning();
  return endpoint;
}
