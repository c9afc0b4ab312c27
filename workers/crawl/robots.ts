import robotsParser from 'robots-parser';
import { jobRequestSchema } from '@/lib/schemas/jobs';
import type { EgressPolicy } from '@/workers/egress/policy';
import { httpEngine } from '@/workers/engines/http';

// robots.txt and sitemaps, fetched with the HTTP engine (so through the same egress guard as
// every page). A robots.txt that cannot be fetched (404, error) allows everything, as crawlers do.

export const crawlerUserAgent = 'ScrapifieBot';

const maxFileBytes = 2 * 1024 * 1024;

/** A small text file, or null when it is not there or cannot be fetched. */
export async function fetchText(url: string, { egress, signal }: { egress: EgressPolicy; signal: AbortSignal }): Promise<string | null> {
  try {
    const request = { ...jobRequestSchema.parse({ timeoutMs: 10_000 }), url };
    const result = await httpEngine(request, { signal, egress, log: () => {}, maxContentBytes: maxFileBytes });
    return result.content.toString('utf8');
  } catch {
    return null;
  }
}

export type Robots = ReturnType<typeof robotsParser>;

export function parseRobots(origin: string, text: string | null): Robots {
  return robotsParser(`${origin}/robots.txt`, text ?? '');
}

export function robotsCrawlDelayMs(robots: Robots): number | null {
  const seconds = robots.getCrawlDelay(crawlerUserAgent);
  return seconds === undefined ? null : Math.round(seconds * 1000);
}
