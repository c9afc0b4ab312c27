import { Option, type Command } from 'commander';
import { engines, resultFormats } from '@/lib/jobs';
import { collect, jsonObjectOrFile, positiveWholeNumber, seconds, wholeNumber } from './command-helpers';

// The options of a crawl, shared by `crawls create` and `schedules create --crawl`: the limits and
// discovery rules of POST /api/v1/crawls, and the page job options every page is fetched with.

export type CrawlFlags = {
  maxPages?: number;
  maxDepth?: number;
  include?: string[];
  exclude?: string[];
  allowHost?: string[];
  anyHost?: boolean;
  sitemap?: boolean;
  robots: boolean;
  concurrency?: number;
  delay?: number;
  map?: boolean;
};

export function addCrawlOptions(command: Command): Command {
  return command
    .option('--max-pages <n>', 'the most pages a crawl fetches (required for a crawl; at most 10,000)', positiveWholeNumber)
    .option('--max-depth <n>', 'links followed from the start URL (server default: 10)', wholeNumber)
    .option('--include <glob>', 'fetch only paths matching this glob, e.g. "/docs/**" (repeatable)', collect)
    .option('--exclude <glob>', 'never fetch paths matching this glob (repeatable)', collect)
    .option('--allow-host <host>', "another host the crawl may fetch besides the start URL's (repeatable)", collect)
    .option('--any-host', "follow links to any host, not only the start URL's")
    .option('--sitemap', "also read the start host's sitemap.xml")
    .option('--no-robots', 'ignore robots.txt (honoured by default, with its Crawl-delay)')
    .option('--concurrency <n>', 'pages fetched at once per host (server default: 2)', positiveWholeNumber)
    .option('--delay <seconds>', 'politeness delay: the least time between two page starts', seconds)
    .option('--map', 'map mode: fetch pages only for their links (HTTP engine, 1 credit a page) and keep the URL list');
}

/** Whether any crawl-only flag was given (`schedules create` refuses them without --crawl). */
export function hasCrawlFlags(flags: CrawlFlags): boolean {
  const { robots, ...rest } = flags;
  return robots === false || Object.values(rest).some((value) => value !== undefined);
}

/** The crawl's part of a POST /api/v1/crawls body; fields not given are left to the server's defaults. */
export function crawlBody(flags: CrawlFlags): Record<string, unknown> {
  return {
    maxPages: flags.maxPages,
    ...(flags.maxDepth !== undefined ? { maxDepth: flags.maxDepth } : {}),
    ...(flags.include ? { include: flags.include } : {}),
    ...(flags.exclude ? { exclude: flags.exclude } : {}),
    ...(flags.allowHost ? { allowedHosts: flags.allowHost } : {}),
    ...(flags.anyHost ? { sameHost: false } : {}),
    ...(flags.sitemap ? { sitemap: true } : {}),
    ...(flags.robots === false ? { robots: false } : {}),
    ...(flags.concurrency !== undefined ? { concurrencyPerHost: flags.concurrency } : {}),
    ...(flags.delay !== undefined ? { delayMs: Math.round(flags.delay * 1000) } : {}),
    ...(flags.map ? { mode: 'map' } : {}),
  };
}

export type PageJobFlags = { engine?: string; format?: string; tag?: string[]; extract?: Record<string, unknown>; trackChanges?: boolean };

/** The job options a scheduled target or a crawl's pages run with. */
export function addPageJobOptions(command: Command, { tagHelp }: { tagHelp: string }): Command {
  return command
    .addOption(new Option('-e, --engine <engine>', 'scraping engine (server default: http)').choices(engines))
    .addOption(new Option('-f, --format <format>', 'result format (server default: html)').choices(resultFormats))
    .option('-t, --tag <tag>', tagHelp, collect)
    .option('--extract <json|@file>', 'extraction rules: field → CSS selector JSON, or a JSON Schema (inline or @file.json)', jsonObjectOrFile)
    .option('--track-changes', 'compare each page with its previous run: new, same, changed or removed');
}

export function pageJobBody(flags: PageJobFlags): Record<string, unknown> {
  return {
    ...(flags.engine ? { engine: flags.engine } : {}),
    ...(flags.format ? { format: flags.format } : {}),
    ...(flags.tag ? { tags: flags.tag } : {}),
    ...(flags.extract ? { extract: flags.extract } : {}),
    ...(flags.trackChanges ? { trackChanges: true } : {}),
  };
}
