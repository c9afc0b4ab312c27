import type { Schedule, ScheduleRun } from '@/db/schema';
import { describeCron, nextRunTimes } from '@/lib/cron';
import { previewRunCount, type ScheduleResponse, type ScheduleRunResponse, type ScheduleTarget } from '@/lib/schemas/schedules';
import { maskConfigSecrets } from '@/lib/secret-masking';

export type ScheduleJson = ScheduleResponse;
export type ScheduleRunJson = ScheduleRunResponse;

export function serializeScheduleRun(run: ScheduleRun): ScheduleRunJson {
  return {
    id: run.id,
    scheduledFor: run.scheduledFor.toISOString(),
    ranAt: run.ranAt.toISOString(),
    outcome: run.outcome,
    reason: run.reason,
    jobId: run.jobId,
    batchId: run.batchId,
    crawlId: run.crawlId,
  };
}

/**
 * A schedule as the API shows it: its next 5 times (from the stored next one, so a catch-up run
 * still due shows first), its last run, and for a dashboard session its target's secrets masked.
 */
export function serializeSchedule(schedule: Schedule, lastRun: ScheduleRun | undefined, { maskSecrets = false } = {}): ScheduleJson {
  const paused = schedule.pausedAt !== null;
  const nextRuns = paused
    ? []
    : [schedule.nextRunAt, ...nextRunTimes(schedule.cron, schedule.timezone, { after: schedule.nextRunAt, count: previewRunCount - 1 })];
  return {
    id: schedule.id,
    name: schedule.name,
    cron: schedule.cron,
    description: describeCron(schedule.cron),
    timezone: schedule.timezone,
    overlap: schedule.overlap,
    target: maskSecrets ? maskTargetSecrets(schedule.target) : schedule.target,
    status: paused ? 'paused' : 'active',
    pausedAt: schedule.pausedAt?.toISOString() ?? null,
    nextRunAt: paused ? null : schedule.nextRunAt.toISOString(),
    nextRuns: nextRuns.map((time) => time.toISOString()),
    lastRun: lastRun ? serializeScheduleRun(lastRun) : null,
    apiKeyId: schedule.apiKeyId,
    createdAt: schedule.createdAt.toISOString(),
    updatedAt: schedule.updatedAt.toISOString(),
  };
}

export function maskTargetSecrets(target: ScheduleTarget): ScheduleTarget {
  return { ...target, ...maskConfigSecrets(target).config } as ScheduleTarget;
}
