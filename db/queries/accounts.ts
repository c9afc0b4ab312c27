import { and, asc, desc, eq, inArray, isNull, lt, or, sql } from 'drizzle-orm';
import { executePrepared, type Db } from '../client';
import { activeStatuses } from '@/lib/jobs';
import { accounts, apiKeys, creditLedger, jobs, type Account, type ApiKey } from '../schema';

export async function findAccountByEmail(db: Db, email: string): Promise<Account | undefined> {
  const [account] = await db
    .select()
    .from(accounts)
    .where(and(sql`lower(${accounts.email}) = lower(${email})`, isNull(accounts.deletedAt)));
  return account;
}

export async function getAccount(db: Db, id: string): Promise<Account | undefined> {
  const [account] = await db.select().from(accounts).where(eq(accounts.id, id));
  return account;
}

export async function insertAccount(
  db: Db,
  values: { email: string; passwordHash: string; role?: 'user' | 'admin' },
): Promise<Account> {
  const [account] = await db
    .insert(accounts)
    .values({ email: values.email.trim().toLowerCase(), passwordHash: values.passwordHash, role: values.role })
    .returning();
  return account;
}

export async function insertApiKey(
  db: Db,
  values: { accountId: string; name: string; kind: 'live' | 'test'; keyHash: string; prefix: string },
): Promise<ApiKey> {
  const [key] = await db.insert(apiKeys).values(values).returning();
  return key;
}

export async function revokeApiKey(db: Db, { accountId, keyId }: { accountId: string; keyId: string }) {
  const [key] = await db
    .update(apiKeys)
    .set({ revokedAt: sql`now()` })
    .where(and(eq(apiKeys.id, keyId), eq(apiKeys.accountId, accountId), isNull(apiKeys.revokedAt)))
    .returning();
  return key;
}

export async function listApiKeys(db: Db, accountId: string): Promise<ApiKey[]> {
  // Active keys first, revoked at the bottom (the jobs list filter shows them that way).
  return db
    .select()
    .from(apiKeys)
    .where(eq(apiKeys.accountId, accountId))
    .orderBy(sql`${apiKeys.revokedAt} IS NOT NULL`, asc(apiKeys.createdAt));
}

/** The account's first active key of a kind: used when a dashboard action needs one. */
export async function firstActiveKey(db: Db, { accountId, kind }: { accountId: string; kind: 'live' | 'test' }) {
  const [key] = await db
    .select()
    .from(apiKeys)
    .where(and(eq(apiKeys.accountId, accountId), eq(apiKeys.kind, kind), isNull(apiKeys.revokedAt)))
    .orderBy(asc(apiKeys.createdAt))
    .limit(1);
  return key;
}

/** The key a dashboard submission uses: the account's first active live key, else its first active test key. */
export async function defaultActiveKey(db: Db, accountId: string): Promise<ApiKey | undefined> {
  const [key] = await db
    .select()
    .from(apiKeys)
    .where(and(eq(apiKeys.accountId, accountId), isNull(apiKeys.revokedAt)))
    .orderBy(desc(sql`${apiKeys.kind} = 'live'`), asc(apiKeys.createdAt))
    .limit(1);
  return key;
}

/** What a job reply shows of its key: one prepared statement, sent in a submission's pipeline. */
export async function findKeySummary(db: Db, keyId: string): Promise<{ id: string; name: string; kind: 'live' | 'test'; revokedAt: Date | null }> {
  const [row] = await executePrepared<{ id: string; name: string; kind: 'live' | 'test'; revoked_at: string | Date | null }>(
    db,
    sql`SELECT id, name, kind, revoked_at FROM api_keys WHERE id = ${keyId}`,
  );
  return { id: row.id, name: row.name, kind: row.kind, revokedAt: row.revoked_at === null ? null : new Date(row.revoked_at) };
}

export async function getApiKey(db: Db, { accountId, keyId }: { accountId: string; keyId: string }) {
  const [key] = await db
    .select()
    .from(apiKeys)
    .where(and(eq(apiKeys.id, keyId), eq(apiKeys.accountId, accountId)));
  return key;
}

export async function countActiveApiKeys(db: Db, accountId: string): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(apiKeys)
    .where(and(eq(apiKeys.accountId, accountId), isNull(apiKeys.revokedAt)));
  return row.n;
}

/** Operator action: suspends or restores an account. Returns the account, or undefined if unknown or deleted. */
export async function setAccountSuspended(db: Db, { accountId, suspended }: { accountId: string; suspended: boolean }) {
  const [account] = await db
    .update(accounts)
    .set({ suspendedAt: suspended ? sql`coalesce(${accounts.suspendedAt}, now())` : null })
    .where(and(eq(accounts.id, accountId), isNull(accounts.deletedAt)))
    .returning();
  return account;
}

/** The owner asks to delete the account; the first request wins, later ones change nothing. */
export async function requestAccountDeletion(db: Db, accountId: string): Promise<Account | undefined> {
  const [account] = await db
    .update(accounts)
    .set({ deletionRequestedAt: sql`now()` })
    .where(and(eq(accounts.id, accountId), isNull(accounts.deletionRequestedAt), isNull(accounts.deletedAt)))
    .returning();
  return account;
}

/**
 * Soft-deletes every account whose deletion was requested and that has no active job left, and
 * revokes its keys, in one statement. No job can be added after the request (reserveCredits
 * refuses it under the account row lock), so "no active job" cannot change under this statement.
 */
export async function finishAccountDeletions(db: Db): Promise<string[]> {
  const rows = await db.execute<{ id: string }>(sql`
    WITH deleted AS (
      UPDATE ${accounts} SET deleted_at = now()
      WHERE deletion_requested_at IS NOT NULL AND deleted_at IS NULL
        AND NOT EXISTS (
          SELECT 1 FROM ${jobs} WHERE ${jobs.accountId} = ${accounts.id} AND ${inArray(jobs.status, [...activeStatuses])}
        )
      RETURNING id
    ), revoked AS (
      UPDATE ${apiKeys} SET revoked_at = now()
      WHERE account_id IN (SELECT id FROM deleted) AND revoked_at IS NULL
    )
    SELECT id FROM deleted`);
  return rows.map((row) => row.id);
}

/** Resolves a key hash to its key and account, and marks the key used (at most once a minute). */
export async function authenticateKeyHash(db: Db, keyHash: string) {
  // lastUsedAt is written at most once a minute per key, and only when the read says it is due
  // (the database's clock decides), so most authenticated requests are one statement.
  const [row] = await db
    .select({
      key: apiKeys,
      account: accounts,
      touchDue: sql<boolean>`${apiKeys.lastUsedAt} is null or ${apiKeys.lastUsedAt} < now() - interval '1 minute'`,
    })
    .from(apiKeys)
    .innerJoin(accounts, eq(accounts.id, apiKeys.accountId))
    .where(eq(apiKeys.keyHash, keyHash));
  if (!row) return undefined;
  if (!row.key.revokedAt && row.touchDue) {
    await db
      .update(apiKeys)
      .set({ lastUsedAt: sql`now()` })
      .where(
        and(
          eq(apiKeys.id, row.key.id),
          or(isNull(apiKeys.lastUsedAt), lt(apiKeys.lastUsedAt, sql`now() - interval '1 minute'`)),
        ),
      );
  }
  return { key: row.key, account: row.account };
}

/** Adds credits and records the grant in the ledger, in one transaction. */
export async function grantCredits(db: Db, { accountId, amount }: { accountId: string; amount: number }) {
  return db.transaction(async (tx) => {
    const [account] = await tx
      .update(accounts)
      .set({ credits: sql`${accounts.credits} + ${amount}` })
      .where(eq(accounts.id, accountId))
      .returning();
    if (!account) return undefined;
    await tx
      .insert(creditLedger)
      .values({ accountId, amount, reason: 'grant', balanceAfter: account.credits });
    return account;
  });
}
