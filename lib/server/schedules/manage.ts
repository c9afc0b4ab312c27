import { randomUUID } from 'node:crypto';
import type { Db } from '@/db/client';
import { deleteSchedule, insertSchedule, updateSchedule } from '@/db/queries/schedules';
import type { Account, ApiKey, Schedule } from '@/db/schema';
import { ApiError } from '@/lib/api-errors';
import { nextRunTime } from '@/lib/cron';
import type { CreateScheduleBody, ScheduleTarget, UpdateScheduleBody } from '@/lib/schemas/schedules';
import { maskConfigSecrets } from '@/lib/secret-masking';
import { assertAccountActive, submissionKey } from '@/lib/server/jobs/submit';
import { assertWebhookUrlAllowed } from '@/lib/server/webhooks/egress';

function firstRunAfter(cron: string, timezone: string, now: Date): Date {
  const next = nextRunTime(cron, timezone, now);
  // The body's validation already asked for a future time; a zone cannot take it away.
  if (!next) throw new ApiError('validation_error', 'cron never matches a future time', { fields: [{ field: 'cron', message: 'never matches a future time' }] });
  return next;
}

/**
 * Creates a schedule under the request's key (its runs use that key), or for a dashboard session
 * with no key (its runs use the account's default key, which must exist now as for a job).
 */
export async function createSchedule(
  db: Db,
  { account, apiKey, body, now = new Date() }: { account: Account; apiKey: ApiKey | null; body: CreateScheduleBody; now?: Date },
): Promise<Schedule> {
  assertAccountActive(account);
  assertWebhookUrlAllowed(body.target.webhookUrl, 'target.webhookUrl');
  if (!apiKey) await submissionKey(db, { account, apiKey });
  return insertSchedule(db, {
    id: randomUUID(),
    accountId: account.id,
    apiKeyId: apiKey?.id ?? null,
    name: body.name,
    cron: body.cron,
    timezone: body.timezone,
    overlap: body.overlap,
    target: body.target,
    nextRunAt: firstRunAfter(body.cron, body.timezone, now),
    pausedAt: body.paused ? now : null,
  });
}

/**
 * Edits a schedule. A new expression or zone moves the next run to its first time from now. A
 * dashboard session received the target's secrets masked: a value sent back unchanged keeps the
 * saved one.
 */
export async function editSchedule(
  db: Db,
  { schedule, body, fromSession, now = new Date() }: { schedule: Schedule; body: UpdateScheduleBody; fromSession: boolean; now?: Date },
): Promise<Schedule> {
  let target = body.target;
  if (target) {
    assertWebhookUrlAllowed(target.webhookUrl, 'target.webhookUrl');
    if (fromSession) target = keepMaskedSecrets(target, schedule.target);
  }
  const cron = body.cron ?? schedule.cron;
  const timezone = body.timezone ?? schedule.timezone;
  const timing = cron !== schedule.cron || timezone !== schedule.timezone;
  const updated = await updateSchedule(db, {
    id: schedule.id,
    accountId: schedule.accountId,
    values: {
      name: body.name,
      cron: body.cron,
      timezone: body.timezone,
      overlap: body.overlap,
      target,
      ...(timing ? { nextRunAt: firstRunAfter(cron, timezone, now) } : {}),
    },
  });
  if (!updated) throw new ApiError('not_found', `No schedule with id ${schedule.id}`);
  return updated;
}

/** Pausing stops its runs; resuming starts again at the next time from now (no catch-up for the paused time). */
export async function setSchedulePaused(db: Db, { schedule, paused, now = new Date() }: { schedule: Schedule; paused: boolean; now?: Date }): Promise<Schedule> {
  if (paused === (schedule.pausedAt !== null)) return schedule;
  const updated = await updateSchedule(db, {
    id: schedule.id,
    accountId: schedule.accountId,
    values: paused ? { pausedAt: now } : { pausedAt: null, nextRunAt: firstRunAfter(schedule.cron, schedule.timezone, now) },
  });
  if (!updated) throw new ApiError('not_found', `No schedule with id ${schedule.id}`);
  return updated;
}

/** Deletes the schedule and its run history; the jobs, batches and crawls its runs made stay. */
export async function removeSchedule(db: Db, schedule: Schedule): Promise<void> {
  if (!(await deleteSchedule(db, { id: schedule.id, accountId: schedule.accountId }))) {
    throw new ApiError('not_found', `No schedule with id ${schedule.id}`);
  }
}

function keepMaskedSecrets(sent: ScheduleTarget, saved: ScheduleTarget): ScheduleTarget {
  const masked = maskConfigSecrets(saved).config;
  const keep = (values: Record<string, string>, savedValues: Record<string, string>, maskedValues: Record<string, string>) =>
    Object.fromEntries(
      Object.entries(values).map(([name, value]) => [name, name in savedValues && value === maskedValues[name] ? savedValues[name] : value]),
    );
  return { ...sent, headers: keep(sent.headers, saved.headers, masked.headers), cookies: keep(sent.cookies, saved.cookies, masked.cookies) };
}
