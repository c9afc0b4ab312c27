import { randomUUID } from 'node:crypto';
import type { PgBoss } from 'pg-boss';
import type { Db } from '@/db/client';
import { recordAudit, type AuditActor } from '@/db/queries/audit';
import { insertCandidateUrls, insertCrawl, insertCrawlJobs, settleCandidateUrls } from '@/db/queries/crawls';
import type { Account, ApiKey } from '@/db/schema';
import { normaliseUrl } from '@/lib/crawl-urls';
import { maxAttempts } from '@/lib/jobs';
import type { CreateCrawlBody } from '@/lib/schemas/crawls';
import type { IdempotencyClaim, IdempotentReply } from '@/lib/server/idempotency';
import { assertAccountActive, jobPrice, reserveOrRefuse } from '@/lib/server/jobs/submit';
import { assertWebhookUrlAllowed } from '@/lib/server/webhooks/egress';
import { enqueueCrawlPages } from './queue';
import { tallyCrawl } from './read';
import type { CrawlJson } from './serialize';

/** Where a crawl comes from when a schedule starts it: its page jobs carry both. */
export type CrawlOrigin = { scheduleId: string | null; changeSeries: string | null };

/**
 * Creates a crawl: its row, the start URL (depth 0) as its first page job, that job's queue entry
 * and the reservation of its price, in one transaction. Later pages are discovered by the workers
 * as pages complete (workers/crawl/discover.ts), each reserved as it is enqueued. Map mode fetches
 * with the HTTP engine (one credit a page) and keeps no content. A balance short of the first page
 * is a 402 and nothing is written.
 */
export async function createCrawl(
  db: Db,
  {
    account,
    apiKey,
    actor,
    body,
    origin,
    idempotency,
    maskSecrets = false,
    boss,
  }: {
    account: Account;
    apiKey: Pick<ApiKey, 'id' | 'kind'>;
    actor: AuditActor;
    body: CreateCrawlBody;
    origin?: CrawlOrigin;
    idempotency?: { claim: IdempotencyClaim; reply: (crawl: CrawlJson) => IdempotentReply } | null;
    maskSecrets?: boolean;
    /** The queue client to send with: a worker's own (a schedule's run); default the web app's producer. */
    boss?: PgBoss;
  },
): Promise<CrawlJson> {
  assertAccountActive(account);
  assertWebhookUrlAllowed(body.webhookUrl, 'webhookUrl');
  const { url, engine: asked, name, tags, priority, webhookUrl, mode, maxPages, maxDepth, include, exclude, sameHost, allowedHosts, sitemap, robots, concurrencyPerHost, delayMs, stripTrackingParams, ...config } = body;
  const engine = mode === 'map' ? 'http' : asked;
  const startUrl = normaliseUrl(url, { stripTracking: stripTrackingParams }) ?? url;
  const price = jobPrice(apiKey, engine);
  const crawlId = randomUUID();
  const jobId = randomUUID();

  return db.transaction(async (tx) => {
    await idempotency?.claim.take(tx);
    const crawl = await insertCrawl(tx, {
      id: crawlId,
      accountId: account.id,
      apiKeyId: apiKey.id,
      startUrl,
      mode,
      engine,
      config,
      options: { maxPages, maxDepth, include, exclude, sameHost, allowedHosts, sitemap, robots, concurrencyPerHost, delayMs, stripTrackingParams },
      name: name ?? null,
      tags,
      priority,
      webhookUrl: webhookUrl ?? null,
      scheduleId: origin?.scheduleId ?? null,
      changeSeries: origin?.changeSeries ?? null,
      maxPages,
      discovered: 1,
      queued: 1,
      // The start page starts now: the pages it leads to are spaced from a delay after it.
      nextStartAt: new Date(Date.now() + delayMs),
    });
    await insertCandidateUrls(tx, { crawlId, candidates: [{ url: startUrl, depth: 0, parentUrl: null, reason: null }] });
    await settleCandidateUrls(tx, { crawlId, fetched: [{ url: startUrl, jobId }], held: [] });
    await insertCrawlJobs(tx, { crawl, jobs: [{ id: jobId, url: startUrl, depth: 0 }], maxAttempts, creditCost: price, isTest: apiKey.kind === 'test' });
    await enqueueCrawlPages(tx, { crawl, pages: [{ jobId, url: startUrl }], boss });
    await recordAudit(tx, actor, { action: 'crawl.create', targetType: 'crawl', targetId: crawlId, accountId: account.id, details: { url: startUrl, maxPages, mode } });
    // Reserved last, as for a single job: the account row stays locked from here to the commit.
    await reserveOrRefuse(tx, { accountId: account.id, amount: price });
    const reply = await tallyCrawl(tx, crawl, { maskSecrets });
    if (idempotency) await idempotency.claim.keep(tx, idempotency.reply(reply));
    return reply;
  });
}
