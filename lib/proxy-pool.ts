// The upstream proxy pool as configured in PROXY_POOL: pure parsing, shared by env validation
// and the worker. Selection and health live in workers/egress/proxy-pool.ts.

export type ProxyEntry = {
  /** http:// or https:// proxy URL, credentials included. */
  url: URL;
  /** Lower-case ISO 3166 alpha-2 country of the exit address (e.g. "us"). */
  country: string;
  /** Kind of exit address, lower-case (e.g. "datacenter", "residential", "mobile"). */
  type: string;
  /** How logs and errors name the proxy: host and port, never the credentials. */
  label: string;
};

const entryPattern = /^(?<url>[^#\s]+)#(?<country>[A-Za-z]{2}):(?<type>[A-Za-z][A-Za-z0-9_-]*)$/;

/**
 * Parses PROXY_POOL: entries separated by commas or whitespace, each
 * `<proxy URL>#<country>:<type>`, e.g. `http://user:pass@10.1.2.3:8000#us:residential`.
 * Credentials with reserved characters (`@ : # ,`) are percent-encoded. Throws naming the
 * first malformed entry.
 */
export function parseProxyPool(value: string | undefined): ProxyEntry[] {
  const entries = (value ?? '').split(/[\s,]+/).filter(Boolean);
  return entries.map((entry) => {
    const match = entryPattern.exec(entry);
    const shown = entry.replace(/\/\/[^@/]*@/, '//***@');
    if (!match?.groups) {
      throw new Error(`proxy pool entry "${shown}" is not <proxy URL>#<country>:<type> (e.g. http://host:8000#us:datacenter)`);
    }
    const { url: href, country, type } = match.groups;
    if (!URL.canParse(href)) throw new Error(`proxy pool entry "${shown}" has an invalid URL`);
    const url = new URL(href);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw new Error(`proxy pool entry "${shown}" must be an http:// or https:// proxy`);
    }
    if (!url.hostname) throw new Error(`proxy pool entry "${shown}" has no host`);
    const port = url.port || (url.protocol === 'https:' ? '443' : '80');
    return { url, country: country.toLowerCase(), type: type.toLowerCase(), label: `${url.hostname}:${port}` };
  });
}

/** "US residential": how `Proxy assigned: {country} {type}` names a proxy. */
export function describeProxy(entry: Pick<ProxyEntry, 'country' | 'type'>): string {
  return `${entry.country.toUpperCase()} ${entry.type}`;
}
