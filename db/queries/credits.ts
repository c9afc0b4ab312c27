import { and, count, desc, eq, gte, lt, sql } from 'drizzle-orm';
import type { Db } from '../client';
import { creditLedger, jobs } from '../schema';
import { localDate } from './local-date';

/** A page of the account's ledger, newest first, each charge with the job it paid for. */
export async function listLedger(db: Db, { accountId, page, size }: { accountId: string; page: number; size: number }) {
  const [rows, [{ total }]] = await Promise.all([
    db
      .select({
        entry: creditLedger,
        job: { id: jobs.id, url: jobs.url, engine: jobs.engine, status: jobs.status, deletedAt: jobs.deletedAt },
      })
      .from(creditLedger)
      .leftJoin(jobs, eq(jobs.id, creditLedger.jobId))
      .where(eq(creditLedger.accountId, accountId))
      // Ids follow the order balances were written in (under the account row lock); timestamps need not.
      .orderBy(desc(creditLedger.id))
      .limit(size)
      .offset((page - 1) * size),
    db.select({ total: count() }).from(creditLedger).where(eq(creditLedger.accountId, accountId)),
  ]);
  return { rows, total };
}

/**
 * The balance at the end of each local day since `since` that had a ledger row, and the balance
 * before `since` (0 for a new account). Days are YYYY-MM-DD in the viewer's timezone.
 */
export async function balanceByDay(db: Db, { accountId, since, tz }: { accountId: string; since: Date; tz: number }) {
  const day = localDate(creditLedger.createdAt, tz);
  const [days, [opening]] = await Promise.all([
    db
      .selectDistinctOn([day], { day, balance: creditLedger.balanceAfter })
      .from(creditLedger)
      .where(and(eq(creditLedger.accountId, accountId), gte(creditLedger.createdAt, since)))
      .orderBy(day, desc(creditLedger.id)),
    db
      .select({ balance: creditLedger.balanceAfter })
      .from(creditLedger)
      .where(and(eq(creditLedger.accountId, accountId), lt(creditLedger.createdAt, since)))
      .orderBy(desc(creditLedger.id))
      .limit(1),
  ]);
  return { opening: opening?.balance ?? 0, days };
}

/** Credits spent on jobs since `since` (charges of jobs deleted since included: they were spent). */
export async function creditsUsedSince(db: Db, { accountId, since }: { accountId: string; since: Date }): Promise<number> {
  const [row] = await db
    .select({ used: sql<number>`coalesce(-sum(${creditLedger.amount}), 0)::int` })
    .from(creditLedger)
    .where(and(eq(creditLedger.accountId, accountId), eq(creditLedger.reason, 'job_charge'), gte(creditLedger.createdAt, since)));
  return row.used;
}
