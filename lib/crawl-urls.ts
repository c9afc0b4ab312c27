import picomatch from 'picomatch';
import type { CrawlOptions, CrawlSkipReason } from '@/lib/schemas/crawls';
import { maxUrlLength } from '@/lib/schemas/jobs';

// How a crawl turns the links of a page into URLs to fetch: one normal form per page, and the
// rules (host, pattern, depth) that decide before robots.txt and the limits do.

const trackingParam = /^(utm_[a-z0-9_]+|gclid|gclsrc|dclid|fbclid|msclkid|mc_cid|mc_eid|_ga|_gl|yclid|igshid)$/i;

/**
 * The crawl's form of a URL, or null when it is not an http(s) URL: fragment dropped, host lower
 * case, default port removed (the URL parser does both), a trailing slash dropped except for
 * the root, query parameters sorted, and tracking parameters removed when asked.
 */
export function normaliseUrl(href: string, { base, stripTracking = true }: { base?: string; stripTracking?: boolean } = {}): string | null {
  let url: URL;
  try {
    url = new URL(href.trim(), base);
  } catch {
    return null;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  url.hash = '';
  url.username = '';
  url.password = '';
  if (url.pathname.length > 1 && url.pathname.endsWith('/')) url.pathname = url.pathname.replace(/\/+$/, '') || '/';
  const params = [...url.searchParams].filter(([key]) => !(stripTracking && trackingParam.test(key)));
  params.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  url.search = params.length > 0 ? new URLSearchParams(params).toString() : '';
  const text = url.toString();
  return text.length > maxUrlLength ? null : text;
}

/** A URL's host as the crawl compares hosts: the name, with the port when it is not the default. */
export function hostOf(url: string): string {
  return new URL(url).host.toLowerCase();
}

export type LinkRules = Pick<CrawlOptions, 'maxDepth' | 'include' | 'exclude' | 'sameHost' | 'allowedHosts'> & { startHost: string };

/** The rules compiled once per page: the glob matchers are built here, not per link. */
export function compileLinkRules(rules: LinkRules) {
  const include = rules.include.length > 0 ? picomatch(rules.include, { dot: true }) : null;
  const exclude = rules.exclude.length > 0 ? picomatch(rules.exclude, { dot: true }) : null;
  const hosts = new Set([rules.startHost, ...rules.allowedHosts]);
  const anyHost = !rules.sameHost && rules.allowedHosts.length === 0;
  /** The reason a normalised URL at `depth` is not fetched, or null when these rules allow it. */
  return (url: string, depth: number): CrawlSkipReason | null => {
    const parsed = new URL(url);
    if (!anyHost && !hosts.has(parsed.host.toLowerCase())) return 'other_host';
    if (depth > rules.maxDepth) return 'depth';
    const path = decodePath(parsed.pathname);
    if (exclude?.(path)) return 'pattern';
    if (include && !include(path)) return 'pattern';
    return null;
  };
}

function decodePath(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}
