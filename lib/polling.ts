// Live-update timing for the dashboard (spec 000 section 8, spec 001): pure numbers shared by the
// server, which reads the configured intervals, and the client, which schedules the polls.

export const minPollSeconds = 2;
export const maxPollSeconds = 60;

/** Spec 000 wins over 001 for the defaults: the list every 10 s, a job's detail every 5 s. */
export const defaultPollSeconds = { list: 10, detail: 5 } as const;

export type PollIntervals = { listMs: number; detailMs: number };

/** An interval in seconds from configuration: the default when unset or not a number, else clamped to 2-60 s. */
export function clampPollSeconds(raw: string | undefined, fallback: number): number {
  const value = raw === undefined || raw.trim() === '' ? Number.NaN : Number(raw);
  if (!Number.isFinite(value)) return fallback;
  return Math.min(maxPollSeconds, Math.max(minPollSeconds, value));
}

/** After a failed poll the next one waits 10 s, then 20 s, 40 s, and 60 s from then on. */
export function errorBackoffMs(consecutiveFailures: number): number {
  const steps = [10, 20, 40, 60];
  return steps[Math.min(Math.max(consecutiveFailures, 1), steps.length) - 1] * 1000;
}

/** Consecutive failed polls after which the "showing last known state" banner appears. */
export const staleAfterFailures = 3;
