// Which upstream proxy a job uses: the configured pool (PROXY_POOL) filtered by the job's
// proxyCountry, least recently used first, with proxies that failed recently moved to the end.

import { describeProxy, type ProxyEntry } from '@/lib/proxy-pool';
import { NoProxyAvailableError, ProxyConnectionError } from '@/lib/scrape-errors';
import type { EngineLog } from '@/workers/engines/types';

/** A proxy that failed is tried after the healthy ones for this long. */
const failurePenaltyMs = 60_000;

type Health = { lastUsedAt: number; failedAt: number };

export class ProxyPool {
  private readonly health = new Map<ProxyEntry, Health>();

  constructor(readonly entries: ProxyEntry[]) {
    for (const entry of entries) this.health.set(entry, { lastUsedAt: 0, failedAt: 0 });
  }

  get enabled(): boolean {
    return this.entries.length > 0;
  }

  /** The proxies to try, in order, for a job asking for `country` ("auto" or unset: any). */
  candidates(country: string | undefined): ProxyEntry[] {
    const wanted = !country || country === 'auto' ? null : country.toLowerCase();
    const now = Date.now();
    const penalised = (entry: ProxyEntry) => (now - this.health.get(entry)!.failedAt < failurePenaltyMs ? 1 : 0);
    // A stable sort keeps the configured order among equals, so the pool is used round-robin.
    return this.entries
      .filter((entry) => wanted === null || entry.country === wanted)
      .sort((a, b) => penalised(a) - penalised(b) || this.health.get(a)!.lastUsedAt - this.health.get(b)!.lastUsedAt);
  }

  used(entry: ProxyEntry): void {
    this.health.get(entry)!.lastUsedAt = Date.now();
  }

  failed(entry: ProxyEntry): void {
    this.health.get(entry)!.failedAt = Date.now();
  }
}

/** Thrown by an engine when its attempt failed because the upstream proxy did. */
export class UpstreamProxyFailedError extends ProxyConnectionError {}

type RotationOptions = { pool: ProxyPool; country: string | undefined; url: string; log: EngineLog; signal: AbortSignal };

/**
 * Runs `attempt` through the job's proxies in turn: `Proxy assigned` for each, and on a proxy
 * failure `Proxy failed, rotating to next proxy` and the next one; PROXY_CONNECTION_FAILED once
 * none is left. Without a pool the attempt runs once, directly.
 */
export async function withProxyRotation<T>(
  { pool, country, url, log, signal }: RotationOptions,
  attempt: (proxy: ProxyEntry | null) => Promise<T>,
): Promise<T> {
  if (!pool.enabled) return attempt(null);
  const candidates = pool.candidates(country);
  if (candidates.length === 0) {
    throw new NoProxyAvailableError(`No proxy in the pool for country ${country?.toUpperCase()}`);
  }
  let lastReason = '';
  for (const [index, proxy] of candidates.entries()) {
    log('INFO', `Proxy assigned: ${describeProxy(proxy)}`, { proxy: proxy.label });
    pool.used(proxy);
    try {
      return await attempt(proxy);
    } catch (error) {
      if (signal.aborted || !(error instanceof UpstreamProxyFailedError)) throw error;
      pool.failed(proxy);
      lastReason = error.message;
      if (index < candidates.length - 1) log('WARN', 'Proxy failed, rotating to next proxy', { proxy: proxy.label, reason: error.message });
    }
  }
  throw new ProxyConnectionError(`All ${candidates.length} proxy attempts failed for ${url}. Last error: ${lastReason}`);
}
