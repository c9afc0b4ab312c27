import { summarize, type Summary } from '../stats';

// One request measured the way a user meets it: over HTTP, from sending it to the last byte of
// the body, one at a time, after a warm-up. A request that has clearly missed its target stops
// once it has spent its time budget (see `decidedMiss`: at least 2 samples, both over a p95
// limit), so today's multi-second requests fit in the run's 15 minutes.

export type TargetId = 'list' | 'counts' | 'qRare' | 'qTen' | 'qId' | 'render' | 'overview' | 'export' | 'poll';
export type Target = { id: TargetId; label: string; stat: 'p50' | 'p95'; limitMs: number };

/** The "What must hold" table of issue 12. */
export const targets: Target[] = [
  { id: 'list', label: 'jobs list, API and the dashboard\'s data: any page, size, filter, sort', stat: 'p95', limitMs: 50 },
  { id: 'counts', label: 'the counts of every dropdown, with any filters', stat: 'p95', limitMs: 150 },
  { id: 'qRare', label: 'search q: a rare URL term', stat: 'p95', limitMs: 100 },
  { id: 'qTen', label: 'search q: a term matching 10 % of jobs', stat: 'p95', limitMs: 300 },
  { id: 'qId', label: 'search q: a job-ID prefix', stat: 'p95', limitMs: 20 },
  { id: 'render', label: '/dashboard/jobs server render, with or without filters', stat: 'p95', limitMs: 200 },
  { id: 'overview', label: '/dashboard overview and GET /api/v1/stats', stat: 'p95', limitMs: 150 },
  { id: 'export', label: 'CSV or JSON export of 10,000 rows, whole download', stat: 'p95', limitMs: 1000 },
  { id: 'poll', label: 'a job\'s detail or logs poll when nothing changed', stat: 'p50', limitMs: 5 },
];

export type Probe = {
  name: string;
  target: TargetId;
  path: string;
  auth: 'key' | 'session';
  /** What the warm-up requests (default: `path`); the export warms its route with `count=1`. */
  warmupPath?: string;
  /** Untimed, before every request (the export clears the hour's export count). */
  prepare?: () => Promise<void>;
  /** Sends If-None-Match with the ETag of the last reply, as a poller that saw it would. */
  conditional?: boolean;
  /** A problem with the reply, or null; checked on every reply, outside the timing. */
  check?: (body: string, response: Response) => string | null;
};

export type Measured = {
  probe: Probe;
  summary: Summary;
  samples: number[];
  /** How many replies were 304 (conditional probes). */
  notModified: number;
  error?: string;
  /** Why sampling ended before `samples`: the target was already missed, or the hard cap on time. */
  stopped?: 'missed' | 'time';
  met: boolean;
};

export type SampleOptions = { samples: number; warmupMs: number; budgetMs: number; hardCapMs: number };

/**
 * Whether the samples taken already miss the target whatever the rest would be: with K samples
 * and a nearest-rank percentile p, the statistic is within the limit only if no more than
 * K − ceil(p·K) samples exceed it (1 of 30 for p95, 15 of 30 for p50).
 */
function decidedMiss(values: number[], target: Target, samples: number): boolean {
  const p = target.stat === 'p95' ? 0.95 : 0.5;
  const over = values.filter((v) => v > target.limitMs).length;
  return over > samples - Math.ceil(p * samples);
}

export async function measure(
  probe: Probe,
  { baseUrl, headers, target, options }: { baseUrl: string; headers: Record<'key' | 'session', Record<string, string>>; target: Target; options: SampleOptions },
): Promise<Measured> {
  let etag: string | null = null;
  let notModified = 0;
  const once = async (warmup = false) => {
    await probe.prepare?.();
    const requestHeaders: Record<string, string> = { ...headers[probe.auth] };
    if (probe.conditional && etag) requestHeaders['If-None-Match'] = etag;
    const url = baseUrl + (warmup && probe.warmupPath ? probe.warmupPath : probe.path);
    const started = performance.now();
    const response = await fetch(url, { headers: requestHeaders, redirect: 'manual' });
    const body = await response.text();
    const elapsed = performance.now() - started;
    if (response.status === 304) notModified += 1;
    else if (response.status !== 200) throw new Error(`${response.status} ${body.slice(0, 300)}`);
    else if (!warmup || !probe.warmupPath) {
      const problem = probe.check?.(body, response);
      if (problem) throw new Error(problem);
      etag = probe.conditional ? response.headers.get('etag') : null;
    }
    return elapsed;
  };

  const values: number[] = [];
  let stopped: Measured['stopped'];
  try {
    const warmupStarted = performance.now();
    for (let i = 0; i < 3 && (i === 0 || performance.now() - warmupStarted < options.warmupMs); i++) await once(true);
    notModified = 0;
    const started = performance.now();
    while (values.length < options.samples) {
      values.push(await once());
      const spent = performance.now() - started;
      if (values.length >= 2 && spent > options.budgetMs && decidedMiss(values, target, options.samples)) {
        if (values.length < options.samples) stopped = 'missed';
        break;
      }
      if (spent > options.hardCapMs && values.length < options.samples) {
        stopped = 'time';
        break;
      }
    }
  } catch (error) {
    const summary = summarize(values);
    return { probe, summary, samples: values, notModified, error: (error as Error).message, met: false };
  }
  const summary = summarize(values);
  const met = !stopped && summary[target.stat] <= target.limitMs;
  return { probe, summary, samples: values, notModified, stopped, met };
}
