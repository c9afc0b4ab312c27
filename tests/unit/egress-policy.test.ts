import type { LookupAddress } from 'node:dns';
import { describe, expect, it } from 'vitest';
import { EgressDeniedError } from '@/lib/scrape-errors';
import {
  assertUrlAllowed,
  guardedLookup,
  isForbiddenAddress,
  lookupGuarded,
  parseEgressAllowList,
  type EgressPolicy,
  type Resolver,
} from '@/workers/egress/policy';

const closed: EgressPolicy = { allow: [] };

function fakeResolver(table: Record<string, string[]>): Resolver {
  return async (hostname) => {
    const addresses = table[hostname];
    if (!addresses) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
    return addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
  };
}

describe('isForbiddenAddress', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['127.8.9.10', 'loopback /8'],
    ['::1', 'IPv6 loopback'],
    ['10.0.0.1', 'RFC1918 10/8'],
    ['172.16.5.4', 'RFC1918 172.16/12'],
    ['172.31.255.255', 'RFC1918 172.16/12 upper end'],
    ['192.168.1.1', 'RFC1918 192.168/16'],
    ['169.254.169.254', 'cloud metadata'],
    ['169.254.1.1', 'link-local'],
    ['100.64.0.1', 'carrier-grade NAT'],
    ['100.100.100.200', 'Alibaba metadata'],
    ['0.0.0.0', 'unspecified'],
    ['::', 'IPv6 unspecified'],
    ['255.255.255.255', 'broadcast'],
    ['224.0.0.1', 'multicast'],
    ['ff02::1', 'IPv6 multicast'],
    ['192.0.0.8', 'IETF protocol assignments'],
    ['198.18.0.1', 'benchmarking'],
    ['240.0.0.1', 'reserved'],
    ['fe80::1', 'IPv6 link-local'],
    ['fc00::1', 'unique-local'],
    ['fd00:ec2::254', 'AWS metadata over IPv6'],
    ['::ffff:127.0.0.1', 'IPv4-mapped loopback'],
    ['::ffff:7f00:1', 'IPv4-mapped loopback, hex form'],
    ['::ffff:10.0.0.1', 'IPv4-mapped private'],
    ['64:ff9b::a00:1', 'NAT64 of 10.0.0.1'],
    ['64:ff9b::127.0.0.1', 'NAT64 of loopback'],
    ['2002:7f00:1::', '6to4 of loopback'],
    ['2002:c0a8:101::1', '6to4 of 192.168.1.1'],
    ['::7f00:1', 'IPv4-compatible (deprecated)'],
    ['2001:db8::1', 'documentation'],
    ['not-an-address', 'garbage fails closed'],
  ])('refuses %s (%s)', (ip) => {
    expect(isForbiddenAddress(ip, closed)).toBe(true);
  });

  it.each([
    ['93.184.216.34', 'public IPv4'],
    ['8.8.8.8', 'public IPv4'],
    ['172.32.0.1', 'just outside 172.16/12'],
    ['100.128.0.1', 'just outside CGNAT'],
    ['2606:2800:220:1:248:1893:25c8:1946', 'public IPv6'],
    ['::ffff:93.184.216.34', 'IPv4-mapped public'],
    ['64:ff9b::5db8:d822', 'NAT64 of a public address'],
  ])('allows %s (%s)', (ip) => {
    expect(isForbiddenAddress(ip, closed)).toBe(false);
  });

  it('exempts addresses on the allow-list, and only those', () => {
    const policy: EgressPolicy = { allow: ['127.0.0.1/32', '10.1.0.0/16', 'fd12::/16'] };
    expect(isForbiddenAddress('127.0.0.1', policy)).toBe(false);
    expect(isForbiddenAddress('::ffff:127.0.0.1', policy)).toBe(false);
    expect(isForbiddenAddress('10.1.2.3', policy)).toBe(false);
    expect(isForbiddenAddress('fd12::5', policy)).toBe(false);
    expect(isForbiddenAddress('127.0.0.2', policy)).toBe(true);
    expect(isForbiddenAddress('10.2.0.1', policy)).toBe(true);
    expect(isForbiddenAddress('::1', policy)).toBe(true);
  });

  it('never exempts a cloud metadata address, even inside an allowed range', () => {
    expect(isForbiddenAddress('169.254.169.254', { allow: ['169.254.0.0/16'] })).toBe(true);
    expect(isForbiddenAddress('169.254.1.1', { allow: ['169.254.0.0/16'] })).toBe(false);
  });
});

describe('assertUrlAllowed', () => {
  it.each([
    'http://127.0.0.1/',
    'http://2130706433/',
    'http://0177.0.0.1/',
    'http://0x7f000001/',
    'http://0x7f.1/',
    'http://127.1/',
    'http://[::1]/',
    'http://[::ffff:127.0.0.1]/',
    'http://[::ffff:7f00:1]/',
    'http://169.254.169.254/latest/meta-data/',
    'http://10.0.0.1/',
    'http://172.16.5.4/',
    'http://192.168.1.1:8080/admin',
    'http://100.64.0.1/',
    'http://0.0.0.0/',
    'http://[fe80::1]/',
    'http://[fc00::1]/',
    'http://224.0.0.1/',
  ])('refuses %s before any connection', (href) => {
    expect(() => assertUrlAllowed(new URL(href), closed)).toThrow(EgressDeniedError);
  });

  it('names the host and the address and explains the rule', () => {
    expect(() => assertUrlAllowed(new URL('http://2130706433/'), closed)).toThrow(
      'Refused to fetch http://127.0.0.1/: its host is 127.0.0.1 (loopback), which is not a public address. ' +
        'Scrapifie only fetches public addresses.',
    );
  });

  it('lets public literals and hostnames through (hostnames are checked at lookup)', () => {
    expect(() => assertUrlAllowed(new URL('http://93.184.216.34/'), closed)).not.toThrow();
    expect(() => assertUrlAllowed(new URL('https://[2606:2800:220:1:248:1893:25c8:1946]/'), closed)).not.toThrow();
    expect(() => assertUrlAllowed(new URL('https://example.com/'), closed)).not.toThrow();
  });

  it('honours the allow-list', () => {
    expect(() => assertUrlAllowed(new URL('http://127.0.0.1:3000/'), { allow: ['127.0.0.1/32'] })).not.toThrow();
  });
});

describe('lookupGuarded', () => {
  const resolver = fakeResolver({
    'metadata.google.internal': ['169.254.169.254'],
    'intranet.example': ['10.0.0.7'],
    'rebind.example': ['93.184.216.34', '192.168.0.10'],
    'v6-only.example': ['fd00::1'],
    'public.example': ['93.184.216.34', '2606:2800:220:1:248:1893:25c8:1946'],
  });

  it.each(['metadata.google.internal', 'intranet.example', 'rebind.example', 'v6-only.example'])(
    'refuses %s, which resolves to a non-public address',
    async (hostname) => {
      await expect(lookupGuarded(hostname, closed, resolver)).rejects.toThrow(EgressDeniedError);
    },
  );

  it('names the hostname and the offending address', async () => {
    await expect(lookupGuarded('rebind.example', closed, resolver)).rejects.toThrow(
      'Refused to connect to rebind.example: it resolves to 192.168.0.10 (private network)',
    );
  });

  it('returns every checked address of a public hostname', async () => {
    await expect(lookupGuarded('public.example', closed, resolver)).resolves.toEqual([
      { address: '93.184.216.34', family: 4 },
      { address: '2606:2800:220:1:248:1893:25c8:1946', family: 6 },
    ]);
  });

  it('refuses localhost through the real resolver (/etc/hosts) unless allowed', async () => {
    await expect(lookupGuarded('localhost', closed)).rejects.toThrow(EgressDeniedError);
    const addresses = await lookupGuarded('localhost', { allow: ['127.0.0.1/32', '::1/128'] });
    expect(addresses.map((entry) => entry.address)).toContain('127.0.0.1');
  });

  it('passes resolver failures through unchanged', async () => {
    await expect(lookupGuarded('missing.example', closed, resolver)).rejects.toMatchObject({ code: 'ENOTFOUND' });
  });
});

describe('guardedLookup (dns.lookup-compatible)', () => {
  const resolver = fakeResolver({
    'public.example': ['93.184.216.34', '2606:2800:220:1:248:1893:25c8:1946'],
    'intranet.example': ['10.0.0.7'],
  });
  type Answer = { error: NodeJS.ErrnoException | null; address: string | LookupAddress[]; family?: number };

  function lookup(hostname: string, options: { all?: boolean; family?: number }): Promise<Answer> {
    const guarded = guardedLookup(closed, resolver);
    return new Promise((resolve) => guarded(hostname, options, (error, address, family) => resolve({ error, address, family })));
  }

  it('answers a single address, filtered by family', async () => {
    expect(await lookup('public.example', {})).toEqual({ error: null, address: '93.184.216.34', family: 4 });
    expect(await lookup('public.example', { family: 6 })).toMatchObject({
      address: '2606:2800:220:1:248:1893:25c8:1946',
      family: 6,
    });
  });

  it('answers every address when asked for all', async () => {
    const answer = await lookup('public.example', { all: true });
    expect(answer.address).toHaveLength(2);
  });

  it('hands the refusal to the socket as an error', async () => {
    const answer = await lookup('intranet.example', { all: true });
    expect(answer.error).toBeInstanceOf(EgressDeniedError);
  });
});

describe('parseEgressAllowList', () => {
  it('splits, trims and drops empty entries', () => {
    expect(parseEgressAllowList(' 127.0.0.1/32, ::1 ,,10.0.0.0/8 ')).toEqual(['127.0.0.1/32', '::1', '10.0.0.0/8']);
    expect(parseEgressAllowList(undefined)).toEqual([]);
    expect(parseEgressAllowList('')).toEqual([]);
  });

  it('rejects a malformed entry by name', () => {
    expect(() => parseEgressAllowList('127.0.0.1/32, intranet')).toThrow('"intranet"');
    expect(() => parseEgressAllowList('10.0.0.0/33')).toThrow('"10.0.0.0/33"');
  });
});
