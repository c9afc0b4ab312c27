import { randomUUID } from 'node:crypto';
import type { PgBoss } from 'pg-boss';
import type { Database, Transaction } from '@/db/client';
import { defaultActiveKey, getAccount, getApiKey } from '@/db/queries/accounts';
import { advanceSchedule, claimDueSchedule, finishScheduleRun, insertScheduleRun, lastCreatedRun, runStillActive } from '@/db/queries/schedules';
import type { Account, ApiKey, Schedule, ScheduleRun } from '@/db/schema';
import { ApiError, accountSuspendedMessage } from '@/lib/api-errors';
import { nextRunTime } from '@/lib/cron';
import { scheduleTargetSchema, type ScheduleTarget } from '@/lib/schemas/schedules';
import { createBatch } from '@/lib/server/batches/create';
import { createCrawl } from '@/lib/server/crawls/create';
import { submitJob, type JobOrigin } from '@/lib/server/jobs/submit';

// The trigger every worker runs: each due schedule is claimed with FOR UPDATE SKIP LOCKED, and its
// run row (unique per schedule and scheduled time), the job, batch or crawl it starts and the move
// to the next time are written in that one transaction. A worker that dies mid-run leaves nothing: the
// schedule is still due and the next tick, of any worker, runs it.

type RunOutcome = Pick<ScheduleRun, 'outcome'> & Partial<Pick<ScheduleRun, 'reason' | 'jobId' | 'batchId' | 'crawlId'>>;

/** At most this many runs per tick, so one tick's transactions stay short; the next tick goes on. */
const maxRunsPerTick = 100;

/**
 * Runs every schedule due at `now` (the worker's clock, injectable for tests), one transaction
 * each. Returns how many runs it recorded. A schedule whose run throws is left due and logged; the
 * tick goes on with the others.
 */
export async function triggerDueSchedules(
  db: Database,
  { now, boss, onError }: { now: Date; boss?: PgBoss; onError?: (scheduleId: string, error: unknown) => void },
): Promise<number> {
  const failed: string[] = [];
  let recorded = 0;
  while (recorded + failed.length < maxRunsPerTick) {
    let claimed: string | null = null;
    try {
      const ran = await db.transaction(async (tx) => {
        const schedule = await claimDueSchedule(tx, { now, skip: failed });
        if (!schedule) return null;
        claimed = schedule.id;
        return runSchedule(tx, schedule, { now, boss });
      });
      if (ran === null) break;
      if (ran) recorded += 1;
    } catch (error) {
      if (!claimed) throw error;
      failed.push(claimed);
      onError?.(claimed, error);
    }
  }
  return recorded;
}

/**
 * One run of a claimed schedule, for its stored next time. After downtime that time may be long
 * past: this is the one catch-up run, and the schedule moves to its first time after `now`, so the
 * missed times in between are not run in a burst.
 */
async function runSchedule(tx: Transaction, schedule: Schedule, { now, boss }: { now: Date; boss?: PgBoss }): Promise<boolean> {
  const scheduledFor = schedule.nextRunAt;
  await advanceSchedule(tx, { id: schedule.id, nextRunAt: nextRunTime(schedule.cron, schedule.timezone, now), now });
  const run = await insertScheduleRun(tx, {
    id: randomUUID(),
    scheduleId: schedule.id,
    accountId: schedule.accountId,
    scheduledFor,
    ranAt: now,
    outcome: 'created',
  });
  // The time's key is taken already: that run happened; only the move to the next time was left.
  if (!run) return false;
  await finishScheduleRun(tx, { id: run.id, ...(await startRun(tx, schedule, { scheduledFor, boss })) });
  return true;
}

async function startRun(tx: Transaction, schedule: Schedule, { scheduledFor, boss }: { scheduledFor: Date; boss?: PgBoss }): Promise<RunOutcome> {
  if (schedule.overlap === 'skip') {
    const previous = await lastCreatedRun(tx, { scheduleId: schedule.id, before: scheduledFor });
    if (previous && (await runStillActive(tx, previous))) {
      const made = previous.crawlId ? 'crawl' : previous.batchId ? 'batch' : 'job';
      return { outcome: 'skipped', reason: `The previous run's ${made} has not finished (overlap: skip).` };
    }
  }
  const account = await getAccount(tx, schedule.accountId);
  if (!account || account.deletedAt || account.deletionRequestedAt) return refused('The account is deleted or scheduled for deletion.');
  if (account.suspendedAt) return refused(accountSuspendedMessage);
  const key = schedule.apiKeyId ? await getApiKey(tx, { accountId: account.id, keyId: schedule.apiKeyId }) : await defaultActiveKey(tx, account.id);
  if (!key) return refused('The account has no active API key to run this schedule with.');
  if (key.revokedAt) return refused(`The API key "${key.name}" this schedule runs with has been revoked.`);
  const target = scheduleTargetSchema.safeParse(schedule.target);
  if (!target.success) return refused(`The schedule's target is no longer valid: ${target.error.issues[0]?.message ?? 'invalid'}.`);
  try {
    return await dispatchRun(tx, { schedule, account, apiKey: key, target: target.data, boss });
  } catch (error) {
    // What a request would have been refused with (credits, account state, webhook URL): recorded,
    // and the savepoint of the submission has undone whatever it wrote.
    if (error instanceof ApiError) return refused(error.message);
    throw error;
  }
}

const refused = (reason: string): RunOutcome => ({ outcome: 'refused', reason });

/**
 * Starts what a run of this target type makes, as an ordinary job, batch or crawl of the account
 * (listed, logged, charged), tagged with the schedule and its change series: a crawl passes both to
 * every page job, so each URL is compared with its page in the previous run's crawl.
 */
async function dispatchRun(
  tx: Transaction,
  { schedule, account, apiKey, target, boss }: { schedule: Schedule; account: Account; apiKey: ApiKey; target: ScheduleTarget; boss?: PgBoss },
): Promise<RunOutcome> {
  const origin = { scheduleId: schedule.id, changeSeries: `schedule:${schedule.id}` } satisfies JobOrigin;
  const actor = { type: 'system', accountId: account.id, apiKeyId: apiKey.id } as const;
  switch (target.type) {
    case 'job': {
      const { type: _type, ...body } = target;
      const job = await submitJob(tx, { account, apiKey, body, actor, origin, boss });
      return { outcome: 'created', jobId: job.id };
    }
    case 'batch': {
      const { type: _type, ...body } = target;
      const batch = await createBatch(tx, { account, apiKey, actor, body, origin, boss });
      return { outcome: 'created', batchId: batch.id };
    }
    case 'crawl': {
      const { type: _type, ...body } = target;
      const crawl = await createCrawl(tx, { account, apiKey, actor, body, origin, boss });
      return { outcome: 'created', crawlId: crawl.id };
    }
  }
}
