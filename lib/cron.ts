import { Cron } from 'croner';
import cronstrue from 'cronstrue';

// Cron expressions of schedules: five fields (minute precision), read in an IANA time zone. Pure,
// so the API, the worker's trigger and the dashboard form's live preview compute the same times.

export const maxCronLength = 200;

export function isTimeZone(timezone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: timezone });
    return true;
  } catch {
    return false;
  }
}

function cronOf(expression: string, timezone: string): Cron {
  return new Cron(expression.trim(), { timezone, mode: '5-part', paused: true });
}

/** Why the expression is not a five-field cron expression, or null when it is one. */
export function cronProblem(expression: string): string | null {
  try {
    const cron = cronOf(expression, 'UTC');
    if (!cron.nextRun()) return 'cron never matches a future time';
    return null;
  } catch (error) {
    const message = (error as Error).message.replace(/^CronPattern: /, '');
    return `cron is not a valid five-field cron expression (minute hour day-of-month month day-of-week): ${message}`;
  }
}

/** The next `count` times strictly after `after`; the expression and zone must be valid. */
export function nextRunTimes(expression: string, timezone: string, { after, count }: { after: Date; count: number }): Date[] {
  return cronOf(expression, timezone).nextRuns(count, after);
}

/** The first time strictly after `after`, or null when there is none. */
export function nextRunTime(expression: string, timezone: string, after: Date): Date | null {
  return cronOf(expression, timezone).nextRun(after);
}

/** The expression in words ("Every 5 minutes"), or null when the library cannot say it. */
export function describeCron(expression: string): string | null {
  try {
    return cronstrue.toString(expression.trim(), { verbose: false, use24HourTimeFormat: true });
  } catch {
    return null;
  }
}
