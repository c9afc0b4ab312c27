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

export type PollClock = {
  now(): number;
  setTimeout(run: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
};

const realClock: PollClock = {
  now: () => Date.now(),
  setTimeout: (run, ms) => setTimeout(run, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/**
 * When the dashboard polls: the first poll one interval after `anchorMs` (the first paint, or the
 * moment polling started), then at a fixed rate on that grid, so a slow answer does not push every
 * later poll back (SWR's refreshInterval waits for each answer, then a whole interval again: polls
 * came 12-36 s apart under load). A state change is therefore shown within the interval plus the
 * answer's own time. A poll whose answer takes longer than the interval skips the slots it missed;
 * after a failure the next poll waits 10, 20, 40, then 60 s. `poll` resolves true on success.
 */
export class PollSchedule {
  private timer: unknown;
  private running = false;
  private inFlight = false;
  private failures = 0;
  private slot = 0;
  private readonly clock: PollClock;

  private readonly intervalMs: number;

  constructor(private readonly options: { intervalMs: number; poll: () => Promise<boolean>; clock?: PollClock }) {
    this.clock = options.clock ?? realClock;
    // A bad interval must not turn into back-to-back polls.
    this.intervalMs = Number.isFinite(options.intervalMs) && options.intervalMs > 0 ? options.intervalMs : defaultPollSeconds.list * 1000;
  }

  /** Starts polling; the first poll comes one interval after `anchorMs` (at once if that has passed). */
  start(anchorMs: number = this.clock.now()): void {
    this.running = true;
    this.failures = 0;
    this.arm(anchorMs + this.intervalMs);
  }

  stop(): void {
    this.running = false;
    this.clock.clearTimeout(this.timer);
  }

  /** The tab is visible again: poll at once, and keep the grid from there. */
  resume(): void {
    this.running = true;
    this.arm(this.clock.now());
  }

  private arm(at: number): void {
    this.slot = at;
    this.clock.clearTimeout(this.timer);
    this.timer = this.clock.setTimeout(() => void this.fire(), Math.max(0, at - this.clock.now()));
  }

  private async fire(): Promise<void> {
    if (!this.running || this.inFlight) return;
    this.inFlight = true;
    let ok = false;
    try {
      ok = await this.options.poll();
    } catch {
      ok = false;
    } finally {
      this.inFlight = false;
    }
    if (!this.running) return;
    if (!ok) {
      this.failures += 1;
      this.arm(this.clock.now() + errorBackoffMs(this.failures));
      return;
    }
    const { intervalMs } = this;
    const now = this.clock.now();
    // The slot of the poll that just answered: after a failure, the grid restarts from that retry.
    let next = this.slot + intervalMs;
    this.failures = 0;
    while (next <= now) next += intervalMs;
    this.arm(next);
  }
}
