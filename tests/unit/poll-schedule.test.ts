import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { PollSchedule } from '@/lib/polling';

// The dashboard's poll timing (spec section 8: the list every 10 s) measured on a fake clock: when
// each poll goes out, and how late a job that finished is shown, with a server that answers in up to 1 s.

const intervalMs = 10_000;

beforeEach(() => {
  vi.useFakeTimers({ now: 1_000_000 });
});
afterEach(() => {
  vi.useRealTimers();
});

/** A server whose every answer takes `latency(n)` ms and reflects the job as it was when the request arrived. */
function fakeServer(latency: (n: number) => number, ok: (n: number) => boolean = () => true) {
  const requests: { sentAt: number; answeredAt?: number }[] = [];
  const poll = async () => {
    const n = requests.length;
    const request: { sentAt: number; answeredAt?: number } = { sentAt: Date.now() };
    requests.push(request);
    await new Promise((resolve) => setTimeout(resolve, latency(n)));
    request.answeredAt = Date.now();
    return ok(n);
  };
  return { requests, poll };
}

const gaps = (times: number[]) => times.slice(1).map((time, i) => time - times[i]);

describe('the poll schedule', () => {
  it('polls one interval after the first paint, not after hydration, then every interval', async () => {
    const paintedAt = Date.now();
    // Hydration and compilation took 3.5 s after the HTML was painted.
    await vi.advanceTimersByTimeAsync(3_500);
    const server = fakeServer((n) => [900, 300, 999, 50, 700, 1000][n % 6]);
    const schedule = new PollSchedule({ intervalMs, poll: server.poll });
    schedule.start(paintedAt);
    await vi.advanceTimersByTimeAsync(61_000);
    schedule.stop();

    const sent = server.requests.map((request) => request.sentAt - paintedAt);
    expect(sent[0]).toBe(intervalMs);
    // A fixed rate: each answer's time (up to 1 s) does not push the next poll back.
    expect(gaps(sent)).toEqual([intervalMs, intervalMs, intervalMs, intervalMs, intervalMs]);
  });

  it('polls at once when one interval since the paint has already passed', async () => {
    const paintedAt = Date.now();
    await vi.advanceTimersByTimeAsync(12_000);
    const server = fakeServer(() => 100);
    new PollSchedule({ intervalMs, poll: server.poll }).start(paintedAt);
    await vi.advanceTimersByTimeAsync(0);
    expect(server.requests.map((request) => request.sentAt - paintedAt)).toEqual([12_000]);
  });

  it('shows a job that finished at any moment within the interval plus 1 s', async () => {
    const server = fakeServer((n) => (n * 379) % 1001);
    const schedule = new PollSchedule({ intervalMs, poll: server.poll });
    const start = Date.now();
    schedule.start(start);
    await vi.advanceTimersByTimeAsync(120_000);
    schedule.stop();
    // For a job finishing at t, the first answer to a request sent after t shows it.
    let worst = 0;
    for (let t = start; t < start + 100_000; t += 250) {
      const shown = server.requests.find((request) => request.sentAt >= t && request.answeredAt !== undefined);
      worst = Math.max(worst, shown!.answeredAt! - t);
    }
    expect(worst).toBeLessThanOrEqual(intervalMs + 1_000);
  });

  it('backs off 10, 20, 40 then 60 s after failures and returns to the interval on success', async () => {
    const server = fakeServer(() => 200, (n) => n === 0 || n >= 5);
    const schedule = new PollSchedule({ intervalMs: 2_000, poll: server.poll });
    const start = Date.now();
    schedule.start(start);
    await vi.advanceTimersByTimeAsync(150_000);
    schedule.stop();
    const sent = server.requests.map((request) => request.sentAt - start);
    // ok at 2 s; failures at 4 s and each retry; the fifth retry (n = 5) succeeds.
    expect(gaps(sent).slice(0, 6)).toEqual([2_000, 10_200, 20_200, 40_200, 60_200, 2_000]);
  });

  it('skips the slots a slow answer missed, and stops and resumes at once with the tab', async () => {
    const server = fakeServer((n) => (n === 0 ? 14_000 : 100));
    const schedule = new PollSchedule({ intervalMs, poll: server.poll });
    const start = Date.now();
    schedule.start(start);
    await vi.advanceTimersByTimeAsync(35_000);
    expect(server.requests.map((request) => request.sentAt - start)).toEqual([10_000, 30_000]);
    schedule.stop();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(server.requests).toHaveLength(2);
    const visibleAt = Date.now();
    schedule.resume();
    await vi.advanceTimersByTimeAsync(10_500);
    expect(server.requests.slice(2).map((request) => request.sentAt - visibleAt)).toEqual([0, 10_000]);
    schedule.stop();
  });
});
