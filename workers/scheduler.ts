import type { PgBoss } from 'pg-boss';
import type { Database } from '@/db/client';
import { triggerDueSchedules } from '@/lib/server/schedules/trigger';

export type SchedulerOptions = {
  /** How often this worker looks for due schedules; cron times are whole minutes, so a few seconds late at most. */
  intervalMs?: number;
  /** The clock the trigger reads (tests drive it through simulated minutes). */
  now?: () => Date;
  onError?: (scheduleId: string, error: unknown) => void;
  /** The worker's queue client, which the runs' jobs are sent with. */
  boss?: PgBoss;
};

export type RunningScheduler = {
  /** One pass now (or the one under way), for a caller that moved the clock. */
  tick(): Promise<void>;
  stop(): Promise<void>;
};

/**
 * The schedules' trigger loop. Every worker runs one; the trigger's row locks and the unique run
 * key make each scheduled time run once however many do. One pass at a time per worker.
 */
export function startScheduler(db: Database, { intervalMs = 5000, now = () => new Date(), onError, boss }: SchedulerOptions = {}): RunningScheduler {
  let current: Promise<void> | null = null;
  const tick = () => {
    current ??= triggerDueSchedules(db, { now: now(), boss, onError })
      .then(() => undefined)
      .catch((error) => onError?.('*', error))
      .finally(() => (current = null));
    return current;
  };
  const timer = setInterval(tick, intervalMs);
  return {
    tick,
    async stop() {
      clearInterval(timer);
      await current;
    },
  };
}
