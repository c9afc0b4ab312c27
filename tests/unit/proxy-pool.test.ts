import { describe, expect, it } from 'vitest';
import { resetEnvCache, getEnv } from '@/lib/env';
import { describeProxy, parseProxyPool } from '@/lib/proxy-pool';
import { ProxyPool } from '@/workers/egress/proxy-pool';

describe('parseProxyPool', () => {
  it('reads URL, country and type from each entry, never showing credentials in the label', () => {
    const pool = parseProxyPool(' http://user:p%40ss@proxy-us.example.com:8000#US:Residential,\nhttps://10.1.2.3#de:datacenter ');
    expect(pool.map(({ url, country, type, label }) => ({ href: url.href, country, type, label }))).toEqual([
      { href: 'http://user:p%40ss@proxy-us.example.com:8000/', country: 'us', type: 'residential', label: 'proxy-us.example.com:8000' },
      { href: 'https://10.1.2.3/', country: 'de', type: 'datacenter', label: '10.1.2.3:443' },
    ]);
    expect(describeProxy(pool[0])).toBe('US residential');
    expect(parseProxyPool('')).toEqual([]);
  });

  it.each([
    ['http://proxy.example.com:8000', 'is not <proxy URL>#<country>:<type>'],
    ['http://proxy.example.com:8000#usa:residential', 'is not <proxy URL>#<country>:<type>'],
    ['socks5://proxy.example.com:1080#us:residential', 'must be an http:// or https:// proxy'],
    ['http://user:secret@:8000#us:residential', 'invalid URL'],
  ])('refuses %s, naming the entry without its password', (entry, problem) => {
    expect(() => parseProxyPool(entry)).toThrow(problem);
    try {
      parseProxyPool(entry);
    } catch (error) {
      expect((error as Error).message).not.toContain('secret');
    }
  });

  it('fails the environment at start naming PROXY_POOL', () => {
    process.env.PROXY_POOL = 'not-a-proxy';
    resetEnvCache();
    try {
      expect(() => getEnv()).toThrow(/PROXY_POOL: proxy pool entry "not-a-proxy"/);
    } finally {
      delete process.env.PROXY_POOL;
      resetEnvCache();
    }
  });
});

describe('ProxyPool', () => {
  const pool = () => new ProxyPool(parseProxyPool('http://a:1#us:datacenter,http://b:1#de:residential,http://c:1#us:mobile'));
  const hosts = (entries: { url: URL }[]) => entries.map((entry) => entry.url.hostname);

  it('filters by country (auto or unset: all) and uses the least recently used first', () => {
    const proxies = pool();
    expect(hosts(proxies.candidates('us'))).toEqual(['a', 'c']);
    expect(hosts(proxies.candidates('auto'))).toEqual(['a', 'b', 'c']);
    expect(proxies.candidates('fr')).toEqual([]);
    proxies.used(proxies.candidates('us')[0]);
    expect(hosts(proxies.candidates(undefined))).toEqual(['b', 'c', 'a']);
  });

  it('tries a proxy that failed recently last', () => {
    const proxies = pool();
    proxies.failed(proxies.candidates('us')[1]);
    proxies.used(proxies.candidates('us')[0]);
    expect(hosts(proxies.candidates('us'))).toEqual(['a', 'c']);
  });
});
