import type { Db } from '@/db/client';
import { takeTokens } from '@/db/queries/rate-limits';
import type { Account, ApiKey } from '@/db/schema';
import { ApiError } from '@/lib/api-errors';
import { getEnv } from '@/lib/env';

// Rate limits as token buckets in Postgres, so they hold across every serverless instance:
// - `create`: job creation (submit, scrape, retry, batches), per API key; per account for the
//   dashboard, whose requests carry no key;
// - `read`: the expensive reads (the jobs list, its counts, the export, stats, storage), per
//   account. Sized so the dashboard's own polling (list every 10 s, detail every 5 s, a few tabs)
//   never comes near it.

export type RateLimitName = 'create' | 'read';

export type RateLimit = { perSecond: number; burst: number };

export type RateLimitDecision = {
  allowed: boolean;
  /** The bucket's size: the most requests that can be made at once. */
  limit: number;
  /** Whole tokens left after this request. */
  remaining: number;
  /** Seconds until the bucket is full again. */
  resetSeconds: number;
  /** Seconds until this request's cost is available again (at least 1). */
  retryAfterSeconds: number;
};

const descriptions: Record<RateLimitName, string> = {
  create: 'job creation',
  read: 'listing, counting, exporting and stats requests',
};

/** The configured limit, or null when it is turned off (a rate of 0). */
export function rateLimitFor(name: RateLimitName): RateLimit | null {
  const env = getEnv();
  const limit =
    name === 'create'
      ? { perSecond: env.RATE_LIMIT_CREATE_PER_SECOND, burst: env.RATE_LIMIT_CREATE_BURST }
      : { perSecond: env.RATE_LIMIT_READ_PER_SECOND, burst: env.RATE_LIMIT_READ_BURST };
  return limit.perSecond > 0 ? limit : null;
}

function bucketKey(name: RateLimitName, { account, apiKey }: { account: Account; apiKey: ApiKey | null }): string {
  return name === 'create' && apiKey ? `create:key:${apiKey.id}` : `${name}:account:${account.id}`;
}

/**
 * Takes `cost` tokens (at most the whole bucket: a batch larger than the burst empties it) for
 * this request. Null when the limit is off; else the decision, allowed or not.
 */
export async function takeRateLimit(
  db: Db,
  { name, account, apiKey, cost = 1 }: { name: RateLimitName; account: Account; apiKey: ApiKey | null; cost?: number },
): Promise<RateLimitDecision | null> {
  const limit = rateLimitFor(name);
  if (!limit) return null;
  const taking = Math.min(Math.max(1, Math.ceil(cost)), limit.burst);
  const { allowed, tokens } = await takeTokens(db, {
    key: bucketKey(name, { account, apiKey }),
    capacity: limit.burst,
    perSecond: limit.perSecond,
    cost: taking,
  });
  return {
    allowed,
    limit: limit.burst,
    remaining: Math.floor(tokens),
    resetSeconds: Math.ceil((limit.burst - tokens) / limit.perSecond),
    retryAfterSeconds: Math.max(1, Math.ceil((taking - tokens) / limit.perSecond)),
  };
}

export function rateLimitHeaders(decision: RateLimitDecision): Record<string, string> {
  return {
    'X-RateLimit-Limit': String(decision.limit),
    'X-RateLimit-Remaining': String(decision.remaining),
    'X-RateLimit-Reset': String(decision.resetSeconds),
  };
}

/** The 429 for a refused request, with Retry-After and the X-RateLimit-* headers. */
export function rateLimitedError(name: RateLimitName, decision: RateLimitDecision): ApiError {
  const { perSecond, burst } = rateLimitFor(name) ?? { perSecond: 0, burst: decision.limit };
  const seconds = decision.retryAfterSeconds;
  const per = name === 'create' ? 'API key' : 'account';
  return new ApiError(
    'rate_limited',
    `Rate limit reached: ${descriptions[name]} ${name === 'create' ? 'is' : 'are'} limited to ${perSecond} per second (bursts of ${burst}) per ${per}. ` +
      `Try again in ${seconds} second${seconds === 1 ? '' : 's'}.`,
    { retryAfterSeconds: seconds, limit: decision.limit },
    { 'Retry-After': String(seconds), ...rateLimitHeaders(decision) },
  );
}

/**
 * The cost of a batch: one token per URL (a batch creates that many jobs), read from the body
 * before it is validated; a body without a URL list costs 1 and fails validation after.
 */
export async function oneTokenPerUrl(req: Request): Promise<number> {
  try {
    const body: unknown = await req.json();
    const urls = body && typeof body === 'object' ? (body as { urls?: unknown }).urls : undefined;
    return Array.isArray(urls) ? Math.max(1, urls.length) : 1;
  } catch {
    return 1;
  }
}
