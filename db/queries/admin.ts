import { and, asc, count, desc, eq, inArray, isNull, lte, or, sql, type SQL } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { activeStatuses, terminalStatuses } from '@/lib/jobs';
import type { AdminJobFilter, AdminListJobsQuery, AuditQuery } from '@/lib/schemas/admin';
import type { Db } from '../client';
import { accounts, auditLog, jobs, type Account } from '../schema';
import { containsPattern, escapeLike, jobFilters, listJobs } from './jobs';

// Queries of the admin page: every account's jobs, the whole queue, the audit log. Only the admin
// API (lib/server/admin, behind an admin session) calls them; nothing here is scoped to one owner.

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Accounts an `account` filter names: that id, or every account whose email contains the term. */
function accountIds(term: string): SQL {
  if (uuidPattern.test(term)) return sql`(SELECT ${term}::uuid)`;
  return sql`(SELECT ${accounts.id} FROM ${accounts} WHERE ${accounts.email} ILIKE ${containsPattern(term)})`;
}

/** The jobs of the accounts an `account` filter names; none without one. */
function accountFilter(account: string | undefined): SQL[] {
  return account ? [sql`${jobs.accountId} IN ${accountIds(account)}`] : [];
}

/** The jobs list's filters over all accounts, plus the account filter. */
function adminJobFilters(filter: Partial<AdminJobFilter>): SQL[] {
  return [...jobFilters(null, filter), ...accountFilter(filter.account)];
}

export async function setAccountRole(db: Db, { accountId, role }: { accountId: string; role: Account['role'] }) {
  const [account] = await db
    .update(accounts)
    .set({ role })
    .where(and(eq(accounts.id, accountId), isNull(accounts.deletedAt)))
    .returning();
  return account;
}

/** Every account's jobs, filtered, sorted and paginated like an account's own list, with each owner's email. */
export async function listAllJobs(db: Db, query: AdminListJobsQuery) {
  const { rows, total } = await listJobs(db, { accountId: null, query, extra: accountFilter(query.account) });
  const ids = [...new Set(rows.map((row) => row.job.accountId))];
  const owners = ids.length ? await db.select({ id: accounts.id, email: accounts.email }).from(accounts).where(inArray(accounts.id, ids)) : [];
  const byId = new Map(owners.map((owner) => [owner.id, owner]));
  return { rows: rows.map((row) => ({ ...row, account: byId.get(row.job.accountId)! })), total };
}

export type BulkTarget = { id: string; status: (typeof jobs.$inferSelect)['status']; accountId: string; createdAt: Date };
const targetColumns = { id: jobs.id, status: jobs.status, accountId: jobs.accountId, createdAt: jobs.createdAt };

/** The jobs among `ids` that exist and are not deleted. */
export async function findBulkTargets(db: Db, ids: string[]): Promise<BulkTarget[]> {
  if (ids.length === 0) return [];
  return db.select(targetColumns).from(jobs).where(and(inArray(jobs.id, ids), isNull(jobs.deletedAt)));
}

/**
 * The next page of jobs a filter matches, oldest first, created no later than `createdBefore`
 * and after the `after` cursor: keyset pages stay correct while the action changes the jobs.
 */
export async function matchingBulkTargets(
  db: Db,
  { filter, createdBefore, after, limit }: { filter: AdminJobFilter; createdBefore: Date; after?: { createdAt: Date; id: string }; limit: number },
): Promise<BulkTarget[]> {
  const cursor = after ? [sql`(${jobs.createdAt}, ${jobs.id}) > (${after.createdAt.toISOString()}::timestamptz, ${after.id}::uuid)`] : [];
  return db
    .select(targetColumns)
    .from(jobs)
    .where(and(...adminJobFilters(filter), lte(jobs.createdAt, createdBefore), ...cursor))
    .orderBy(asc(jobs.createdAt), asc(jobs.id))
    .limit(limit);
}

/** How many jobs a filter matches, and how many of them are active (queued or processing). */
export async function countBulkTargets(db: Db, filter: AdminJobFilter) {
  const [row] = await db
    .select({
      total: sql<number>`count(*)::int`,
      active: sql<number>`(count(*) filter (where ${inArray(jobs.status, [...activeStatuses])}))::int`,
      terminal: sql<number>`(count(*) filter (where ${inArray(jobs.status, [...terminalStatuses])}))::int`,
    })
    .from(jobs)
    .where(and(...adminJobFilters(filter)));
  return row;
}

const actorAccount = alias(accounts, 'actor_account');

/** A page of the audit log, newest first, with the emails of the actor's and the target's accounts. */
export async function listAuditEntries(db: Db, query: AuditQuery) {
  const where: SQL[] = [];
  if (query.account) {
    const ids = accountIds(query.account);
    where.push(or(sql`${auditLog.accountId} IN ${ids}`, sql`${auditLog.actorAccountId} IN ${ids}`)!);
  }
  if (query.action) {
    where.push(query.action.endsWith('.') ? sql`${auditLog.action} LIKE ${`${escapeLike(query.action)}%`}` : eq(auditLog.action, query.action));
  }
  if (query.target) {
    // Bulk entries list the jobs they changed in details.jobIds.
    where.push(or(eq(auditLog.targetId, query.target), sql`${auditLog.details} -> 'jobIds' ? ${query.target}`)!);
  }
  if (query.actorType) where.push(eq(auditLog.actorType, query.actorType));
  const condition = where.length ? and(...where) : undefined;
  const [rows, [{ total }]] = await Promise.all([
    db
      .select({
        entry: auditLog,
        actorEmail: actorAccount.email,
        accountEmail: accounts.email,
      })
      .from(auditLog)
      .leftJoin(actorAccount, eq(actorAccount.id, auditLog.actorAccountId))
      .leftJoin(accounts, eq(accounts.id, auditLog.accountId))
      .where(condition)
      .orderBy(desc(auditLog.id))
      .limit(query.size)
      .offset((query.page - 1) * query.size),
    db.select({ total: count() }).from(auditLog).where(condition),
  ]);
  return { rows, total };
}

