import type { Database } from '@/db/client';
import { getAccount } from '@/db/queries/accounts';
import { countBulkTargets, findBulkTargets, matchingBulkTargets, type BulkTarget } from '@/db/queries/admin';
import { recordAudit } from '@/db/queries/audit';
import type { Account } from '@/db/schema';
import { ApiError } from '@/lib/api-errors';
import { isTerminal } from '@/lib/jobs';
import type { BulkAction, BulkJobsBody } from '@/lib/schemas/admin';
import { cancelJob } from '@/lib/server/jobs/cancel';
import { retryJob } from '@/lib/server/jobs/retry';
import { adminActor } from './actor';

/** Skipped jobs listed in a reply; past this only `skippedCount` grows. */
export const maxSkippedListed = 1000;
const pageSize = 500;

export type BulkOutcome = {
  action: BulkAction;
  dryRun: boolean;
  /** Jobs the ids or the filter matched (deleted and unknown ids excluded). */
  matched: number;
  /** Matched jobs in a state the action applies to: active for cancel, finished for retry. */
  eligible: number;
  /** Jobs cancelled, or retried (one new job each). */
  changed: number;
  skipped: { id: string; reason: string }[];
  skippedCount: number;
};

const appliesTo = (action: BulkAction, target: Pick<BulkTarget, 'status'>) =>
  action === 'cancel' ? !isTerminal(target.status) : isTerminal(target.status);

/**
 * POST /api/v1/admin/jobs/bulk. Each job goes through the path its owner's own request takes: a
 * cancel is the same conditional update (uncharged, a processing job aborted by its worker), a
 * retry a new job charged to the owner under the original's key. Jobs in a state the action does
 * not apply to, or that the owner's account refuses (credits, suspension), are skipped with the
 * reason. Every change is audited per job with the admin as actor, and the request as one
 * `jobs.bulk_cancel` / `jobs.bulk_retry` entry with its ids or filter and counts.
 */
export async function runBulkAction(db: Database, { admin, body }: { admin: Account; body: BulkJobsBody }): Promise<BulkOutcome> {
  const { action, ids, filter, dryRun } = body;
  const outcome: BulkOutcome = { action, dryRun, matched: 0, eligible: 0, changed: 0, skipped: [], skippedCount: 0 };
  const skip = (id: string, reason: string) => {
    outcome.skippedCount += 1;
    if (outcome.skipped.length < maxSkippedListed) outcome.skipped.push({ id, reason });
  };

  if (dryRun && filter) {
    const counts = await countBulkTargets(db, filter);
    return { ...outcome, matched: counts.total, eligible: action === 'cancel' ? counts.active : counts.terminal };
  }

  const apply = createApplier(db, { action, admin });
  const handle = async (target: BulkTarget) => {
    outcome.matched += 1;
    if (!appliesTo(action, target)) return skip(target.id, action === 'cancel' ? `already ${target.status}` : `still ${target.status}`);
    outcome.eligible += 1;
    if (dryRun) return;
    const refused = await apply(target);
    if (refused) skip(target.id, refused);
    else outcome.changed += 1;
  };

  try {
    if (ids) {
      const found = await findBulkTargets(db, ids);
      const byId = new Map(found.map((target) => [target.id, target]));
      for (const id of ids) {
        const target = byId.get(id);
        if (target) await handle(target);
        else skip(id, 'not found');
      }
    } else if (filter) {
      // Jobs created while this runs (its own retries among them) are not part of what was confirmed.
      const createdBefore = new Date();
      let after: { createdAt: Date; id: string } | undefined;
      for (;;) {
        const page = await matchingBulkTargets(db, { filter, createdBefore, after, limit: pageSize });
        for (const target of page) await handle(target);
        if (page.length < pageSize) break;
        const last = page[page.length - 1];
        after = { createdAt: last.createdAt, id: last.id };
      }
    }
  } finally {
    if (!dryRun && outcome.changed > 0) {
      await recordAudit(db, adminActor(admin), {
        action: `jobs.bulk_${action}`,
        targetType: 'jobs',
        targetId: null,
        accountId: null,
        details: {
          ...(ids ? { ids } : { filter }),
          matched: outcome.matched,
          changed: outcome.changed,
          skipped: outcome.skippedCount,
        },
      });
    }
  }
  return outcome;
}

/** Applies the action to one job; returns why it was refused, or undefined when it was done. */
function createApplier(db: Database, { action, admin }: { action: BulkAction; admin: Account }) {
  const actor = adminActor(admin);
  const owners = new Map<string, Account | undefined>();
  const owner = async (accountId: string) => {
    if (!owners.has(accountId)) owners.set(accountId, await getAccount(db, accountId));
    return owners.get(accountId);
  };
  return async (target: BulkTarget): Promise<string | undefined> => {
    try {
      if (action === 'cancel') {
        const { cancelled, status } = await cancelJob(db, { id: target.id, accountId: target.accountId, actor });
        return cancelled ? undefined : `already ${status}`;
      }
      const account = await owner(target.accountId);
      if (!account || account.deletedAt) return 'account deleted';
      await retryJob(db, { id: target.id, account, actor });
      return undefined;
    } catch (error) {
      // The job moved on (409), was deleted (410), or its account refused the new job (402, 403).
      if (error instanceof ApiError && error.status < 500) return error.message;
      throw error;
    }
  };
}
