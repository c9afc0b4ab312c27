import type { Db } from '@/db/client';
import { balanceByDay, listLedger } from '@/db/queries/credits';
import type { Account } from '@/db/schema';
import { recentDays, statsWindowDays } from '@/lib/day-series';
import { paginatedReply } from '@/lib/pagination';
import { currentPrices } from '@/lib/pricing';

/** GET /api/v1/credits: the balance, today's prices, a page of the ledger and the balance per day. */
export async function loadCredits(db: Db, { account, page, size, tz }: { account: Account; page: number; size: number; tz: number }) {
  const { days, since } = recentDays(tz, statsWindowDays);
  const [{ rows, total }, history] = await Promise.all([
    listLedger(db, { accountId: account.id, page, size }),
    balanceByDay(db, { accountId: account.id, since, tz }),
  ]);
  const endOfDay = new Map(history.days.map((row) => [row.day, row.balance]));
  let balance = history.opening;
  return {
    balance: account.credits,
    reserved: account.reservedCredits,
    available: account.credits - account.reservedCredits,
    prices: currentPrices(),
    ledger: paginatedReply(
      rows.map(({ entry, job }) => ({
        id: entry.id,
        amount: entry.amount,
        reason: entry.reason,
        jobId: entry.jobId,
        job: job ? { url: job.url, engine: job.engine, status: job.status, deleted: job.deletedAt !== null } : null,
        balanceAfter: entry.balanceAfter,
        createdAt: entry.createdAt.toISOString(),
      })),
      { page, size },
      total,
    ),
    // A day without ledger rows ends at the balance the day before ended at.
    history: days.map((date) => {
      balance = endOfDay.get(date) ?? balance;
      return { date, balance };
    }),
  };
}

export type CreditsJson = Awaited<ReturnType<typeof loadCredits>>;
