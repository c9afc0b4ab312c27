import { hostOf } from '@/lib/crawl-urls';

// Per-host concurrency of a crawl's pages. Each page's delivery belongs to the group (crawl, host)
// with the tier `c<n>` of the crawl's concurrencyPerHost, and the workers fetch with a limit per
// tier (crawlGroupConcurrency), which pg-boss counts in the database across every worker. pg-boss
// counts a snapshot of the active deliveries in each fetch, so two workers fetching at once can
// both take a host's last slot: the claim (workers/crawl/claim-page.ts) makes the limit exact.

/**
 * A crawl page's delivery group. Every delivery of the page carries it, the first and any sent
 * again (lib/server/queue.ts redeliverJob), so the limit holds for a page whatever brought it back.
 */
export function crawlPageGroup({ crawlId, concurrencyPerHost, url }: { crawlId: string; concurrencyPerHost: number; url: string }) {
  return { id: `${crawlId}:${hostOf(url)}`, tier: `c${concurrencyPerHost}` };
}

/** The tiers the workers' fetch knows: `c1` … `c10`, one per allowed concurrencyPerHost. */
export const crawlGroupConcurrency = {
  default: 1_000_000,
  tiers: Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`c${i + 1}`, i + 1])),
};
