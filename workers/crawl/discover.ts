import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { PgBoss } from 'pg-boss';
import type { Db, Transaction } from '@/db/client';
import {
  advanceCrawl,
  availableCredits,
  findCrawlPage,
  findCrawlHosts,
  insertCandidateUrls,
  insertCrawlJobs,
  seenCrawlUrls,
  reserveCrawlCredits,
  saveCrawlHost,
  settleCandidateUrls,
  type CandidateUrl,
} from '@/db/queries/crawls';
import type { Crawl, Job } from '@/db/schema';
import { compileLinkRules, hostOf, normaliseUrl } from '@/lib/crawl-urls';
import type { CrawlSkipReason } from '@/lib/schemas/crawls';
import { enqueueCrawlPages } from '@/lib/server/crawls/queue';
import type { EgressPolicy } from '@/workers/egress/policy';
import { pageLinks, sitemapEntries } from './links';
import { crawlerUserAgent, fetchText, parseRobots, robotsCrawlDelayMs, type Robots } from './robots';

// Link discovery, in two halves. planDiscovery runs before the page's job is finished and outside
// any transaction: it reads the links, applies the crawl's rules, and fetches what the network is
// needed for (robots.txt of new hosts, the sitemap). recordDiscovery runs in the transaction that
// finishes the page, under the crawl row's lock: the URLs new to the crawl (its primary key decides,
// whichever worker saw them first), then the limits and credits, read from the locked rows.

/** What a page's links add to its crawl; `crawl` is the row as read before the page's transaction. */
export type DiscoveryPlan = { crawl: Crawl; candidates: CandidateUrl[]; spacingMs: number };

const maxSitemaps = 5;

export async function planDiscovery(
  db: Db,
  { job, html, finalUrl, egress, signal }: { job: Job; html: string | undefined; finalUrl: string; egress: EgressPolicy; signal: AbortSignal },
): Promise<DiscoveryPlan | null> {
  const page = job.crawlId ? await findCrawlPage(db, { crawlId: job.crawlId, url: job.url }) : undefined;
  if (!page) return null;
  const { crawl, depth } = page;
  if (crawl.cancelledAt || crawl.completedAt || crawl.stopReason) return null;
  const { options } = crawl;
  const strip = options.stripTrackingParams;
  const found = new Map<string, { depth: number; parent: string }>();
  const add = (href: string, at: number, parent: string) => {
    const url = normaliseUrl(href, { stripTracking: strip });
    if (url && url !== job.url && !found.has(url)) found.set(url, { depth: at, parent });
  };
  for (const href of html ? pageLinks(html, finalUrl) : []) add(href, depth + 1, job.url);
  const sitemap = depth === 0 && options.sitemap;
  // Only URLs new to the crawl are candidates. Most pages lead only to URLs seen already: their
  // plan is empty (no robots.txt read, no rules applied), and they end without the crawl row's
  // lock (finish-page.ts).
  for (const url of await seenCrawlUrls(db, { crawlId: crawl.id, urls: [...found.keys()] })) found.delete(url);
  if (found.size === 0 && !sitemap) return { crawl, candidates: [], spacingMs: 0 };

  const robotsByHost = options.robots || sitemap ? await robotsFor(db, { crawl, hosts: [hostOf(job.url)], egress, signal }) : new Map<string, Robots>();
  if (sitemap) {
    for (const url of await sitemapUrls({ start: job.url, robots: robotsByHost.get(hostOf(job.url)), egress, signal })) add(url, 1, 'sitemap.xml');
  }

  // The crawl's own rules first: robots.txt is fetched only for hosts the crawl may visit.
  const rule = compileLinkRules({ ...options, startHost: hostOf(crawl.startUrl) });
  const candidates: CandidateUrl[] = [...found].map(([url, { depth: at, parent }]) => ({ url, depth: at, parentUrl: parent, reason: rule(url, at) }));
  if (options.robots) {
    const unseen = [...new Set(candidates.filter((c) => c.reason === null).map((c) => hostOf(c.url)))].filter((host) => !robotsByHost.has(host));
    for (const [host, robots] of await robotsFor(db, { crawl, hosts: unseen, egress, signal })) robotsByHost.set(host, robots);
    for (const candidate of candidates) {
      if (candidate.reason === null && robotsByHost.get(hostOf(candidate.url))?.isAllowed(candidate.url, crawlerUserAgent) === false) candidate.reason = 'robots';
    }
  }
  const delays = options.robots ? [...robotsByHost.values()].map(robotsCrawlDelayMs).filter((ms): ms is number => ms !== null) : [];
  return { crawl, candidates, spacingMs: Math.max(options.delayMs, ...delays) };
}

/** Each host's robots.txt, fetched once per crawl (the first worker's copy is kept). */
async function robotsFor(db: Db, { crawl, hosts, egress, signal }: { crawl: Crawl; hosts: string[]; egress: EgressPolicy; signal: AbortSignal }) {
  const robots = new Map<string, Robots>();
  if (hosts.length === 0) return robots;
  const known = await findCrawlHosts(db, { crawlId: crawl.id, hosts });
  const scheme = new URL(crawl.startUrl).protocol;
  for (const row of known) robots.set(row.host, parseRobots(`${scheme}//${row.host}`, row.robotsTxt));
  for (const host of hosts.filter((h) => !robots.has(h))) {
    const origin = `${scheme}//${host}`;
    const text = await fetchText(`${origin}/robots.txt`, { egress, signal });
    const parsed = parseRobots(origin, text);
    robots.set(host, parsed);
    await saveCrawlHost(db, { crawlId: crawl.id, host, robotsTxt: text, crawlDelayMs: robotsCrawlDelayMs(parsed) });
  }
  return robots;
}

/** The page URLs of the start host's sitemaps (robots.txt `Sitemap:` lines, else /sitemap.xml), following an index a level down. */
async function sitemapUrls({ start, robots, egress, signal }: { start: string; robots: Robots | undefined; egress: EgressPolicy; signal: AbortSignal }) {
  const listed = robots?.getSitemaps() ?? [];
  const queue = listed.length > 0 ? listed.slice(0, maxSitemaps) : [new URL('/sitemap.xml', start).toString()];
  const pages: string[] = [];
  for (let i = 0; i < queue.length && i < maxSitemaps * 2; i++) {
    const xml = await fetchText(queue[i], { egress, signal });
    if (!xml) continue;
    const entries = sitemapEntries(xml);
    pages.push(...entries.pages);
    queue.push(...entries.sitemaps.slice(0, maxSitemaps));
  }
  return pages;
}

/**
 * Writes what a finished page discovered, in the caller's transaction and under the crawl row's
 * lock (taken by the caller): the new URLs, then as many page jobs as maxPages and the balance
 * allow, each page's price reserved with it. URLs past maxPages are skipped as `limit`; past the
 * balance as `credits`, and the crawl stops with the reason. The job rows, the queue entries
 * (per-host group, spaced by the politeness delay) and the counters commit with the page's end.
 */
export async function recordDiscovery(
  tx: Transaction,
  { crawl, job, plan, boss }: { crawl: Crawl; job: Job; plan: DiscoveryPlan; boss: PgBoss },
): Promise<void> {
  if (crawl.cancelledAt || crawl.completedAt) return;
  const fresh = await insertCandidateUrls(tx, { crawlId: crawl.id, candidates: plan.candidates });
  if (fresh.length === 0) return;
  const wanted = fresh.filter((row) => row.reason === null).map((row) => row.url);
  const room = crawl.stopReason ? 0 : Math.max(0, crawl.maxPages - crawl.queued);
  const price = job.isTest ? 0 : job.creditCost;
  const affordable = price === 0 || wanted.length === 0 ? Infinity : Math.floor((await availableCredits(tx, crawl.accountId)) / price);
  const take = Math.min(wanted.length, room, affordable);
  const depthOf = new Map(plan.candidates.map((c) => [c.url, c.depth]));
  const pages = wanted.slice(0, take).map((url) => ({ id: randomUUID(), url, depth: depthOf.get(url) ?? 0 }));
  const held = wanted.slice(take).map((url, i) => ({ url, reason: (take + i < room ? 'credits' : crawl.stopReason ? 'credits' : 'limit') as CrawlSkipReason }));
  const creditsShort = held.some((h) => h.reason === 'credits') && !crawl.stopReason;

  await settleCandidateUrls(tx, { crawlId: crawl.id, fetched: pages.map((p) => ({ url: p.url, jobId: p.id })), held });
  let nextStartAt: Date | null = null;
  let starts: (Date | undefined)[] = pages.map(() => undefined);
  if (plan.spacingMs > 0 && pages.length > 0) {
    // No sooner than a spacing after the page that found them started, too: the start page was
    // claimed before its host's robots.txt Crawl-delay was known, so no claim kept it apart.
    const afterFinder = job.startedAt ? new Date(job.startedAt.getTime() + plan.spacingMs) : crawl.nextStartAt;
    const [{ now }] = await tx.execute<{ now: string }>(sql`
      SELECT greatest(now(), ${crawl.nextStartAt.toISOString()}::timestamptz, ${afterFinder.toISOString()}::timestamptz) AS now`);
    const first = new Date(now).getTime();
    starts = pages.map((_, i) => new Date(first + i * plan.spacingMs));
    nextStartAt = new Date(first + pages.length * plan.spacingMs);
  }
  // Each spaced page's start is stored with it too: its queue wait counts from then.
  const pageJobs = pages.map((p, i) => ({ ...p, notBefore: starts[i] }));
  await insertCrawlJobs(tx, { crawl, jobs: pageJobs, maxAttempts: job.maxAttempts, creditCost: job.creditCost, isTest: job.isTest });
  await enqueueCrawlPages(tx, { crawl, pages: pageJobs.map((p) => ({ jobId: p.id, url: p.url, startAfter: p.notBefore })), boss });
  await reserveCrawlCredits(tx, { accountId: crawl.accountId, amount: price * pages.length });
  const stopReason = creditsShort ? `Credits ran out: the next page needs ${price} and the available balance is lower; ${held.length} discovered URLs were not fetched` : null;
  await advanceCrawl(tx, {
    id: crawl.id,
    discovered: fresh.length,
    queued: pages.length,
    skipped: fresh.length - pages.length,
    nextStartAt,
    stopReason,
  });
}
