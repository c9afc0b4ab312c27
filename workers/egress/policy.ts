// The egress guard: Scrapifie fetches public addresses only. Literal IPs in a URL are checked
// before a request is made; hostnames are checked by the lookup the socket connects through.

import { promises as dns, type LookupAddress } from 'node:dns';
import net, { type LookupFunction } from 'node:net';
import ipaddr from 'ipaddr.js';
import { EgressDeniedError } from '@/lib/scrape-errors';

export type EgressPolicy = {
  /** CIDRs or single IPs allowed despite being non-public (e.g. `127.0.0.1/32` in tests). */
  allow: string[];
};

export const defaultEgressPolicy: EgressPolicy = { allow: [] };

type Address = ipaddr.IPv4 | ipaddr.IPv6;
type Range = [Address, number];

/** Refused even when the allow-list covers them: nothing legitimate scrapes a metadata service. */
const metadataRanges: Range[] = [
  '169.254.169.254/32', // AWS, GCP, Azure, most others
  '169.254.170.2/32', // AWS ECS task metadata
  'fd00:ec2::254/128', // AWS over IPv6
  '100.100.100.200/32', // Alibaba Cloud
].map((cidr) => ipaddr.parseCIDR(cidr));

const globalUnicastV6 = ipaddr.parseCIDR('2000::/3');
const nat64 = ipaddr.parseCIDR('64:ff9b::/96');
const sixToFour = ipaddr.parseCIDR('2002::/16');

const rangeLabels: Record<string, string> = {
  unspecified: 'unspecified',
  broadcast: 'broadcast',
  multicast: 'multicast',
  linkLocal: 'link-local',
  loopback: 'loopback',
  carrierGradeNat: 'carrier-grade NAT',
  private: 'private network',
  reserved: 'reserved',
  benchmarking: 'benchmarking',
  uniqueLocal: 'unique-local',
};

function inRange(address: Address, [network, bits]: Range): boolean {
  return address.kind() === network.kind() && address.match(network, bits);
}

function ipv4FromWords(high: number, low: number): ipaddr.IPv4 {
  return new ipaddr.IPv4([high >> 8, high & 0xff, low >> 8, low & 0xff]);
}

/** The IPv4 address an IPv6 address stands for (mapped, NAT64, 6to4), or the address itself. */
function effectiveAddress(address: Address): Address {
  if (address.kind() === 'ipv4') return address;
  const v6 = address as ipaddr.IPv6;
  if (v6.isIPv4MappedAddress()) return v6.toIPv4Address();
  if (inRange(v6, nat64)) return ipv4FromWords(v6.parts[6], v6.parts[7]);
  if (inRange(v6, sixToFour)) return ipv4FromWords(v6.parts[1], v6.parts[2]);
  return v6;
}

function parseRange(entry: string): Range | null {
  if (ipaddr.isValidCIDR(entry)) return ipaddr.parseCIDR(entry);
  if (!ipaddr.isValid(entry)) return null;
  const address = ipaddr.parse(entry);
  return [address, address.kind() === 'ipv4' ? 32 : 128];
}

/** Parsed allow-lists, by list: a worker checks every connection against the same one. */
const parsedAllowLists = new WeakMap<readonly string[], Range[]>();

function isAllowListed(addresses: Address[], policy: EgressPolicy): boolean {
  if (policy.allow.length === 0) return false;
  let ranges = parsedAllowLists.get(policy.allow);
  if (!ranges) {
    ranges = policy.allow.map(parseRange).filter((range): range is Range => range !== null);
    parsedAllowLists.set(policy.allow, ranges);
  }
  return ranges.some((range) => addresses.some((address) => inRange(address, range)));
}

/** Why `ip` is not a public address (e.g. "loopback"), or null when Scrapifie may connect to it. */
export function forbiddenReason(ip: string, policy: EgressPolicy): string | null {
  if (!ipaddr.isValid(ip)) return 'not an IP address';
  const literal = ipaddr.parse(ip);
  const address = effectiveAddress(literal);
  if (metadataRanges.some((range) => inRange(address, range))) return 'cloud metadata service';
  if (isAllowListed([literal, address], policy)) return null;

  const range = address.range();
  if (address.kind() === 'ipv6') {
    // Only global unicast (2000::/3) is public; anything else is local, special or unassigned.
    if (range === 'unicast' && inRange(address, globalUnicastV6)) return null;
    return rangeLabels[range] ?? `${range} range`;
  }
  return range === 'unicast' ? null : (rangeLabels[range] ?? `${range} range`);
}

export function isForbiddenAddress(ip: string, policy: EgressPolicy): boolean {
  return forbiddenReason(ip, policy) !== null;
}

/** Parses a comma-separated allow-list ("127.0.0.1/32, ::1"); throws naming a malformed entry. */
export function parseEgressAllowList(value: string | undefined): string[] {
  const entries = (value ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
  for (const entry of entries) {
    if (!parseRange(entry)) throw new Error(`Egress allow-list entry "${entry}" is not an IP address or CIDR range`);
  }
  return entries;
}

function denied(what: string, address: string, reason: string): EgressDeniedError {
  return new EgressDeniedError(
    `${what} ${address} (${reason}), which is not a public address. Scrapifie only fetches public addresses.`,
  );
}

/**
 * Refuses a URL whose host is a literal non-public IP. The WHATWG parser has already turned
 * decimal, octal and hex spellings (`2130706433`, `0177.0.0.1`, `0x7f.1`) into dotted form.
 * Hostnames pass here and are checked at connect time by `guardedLookup`.
 */
export function assertUrlAllowed(url: URL, policy: EgressPolicy): void {
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  if (net.isIP(host) === 0) return;
  const reason = forbiddenReason(host, policy);
  if (reason) throw denied(`Refused to fetch ${url.href}: its host is`, host, reason);
}

export type Resolver = (hostname: string) => Promise<LookupAddress[]>;

const systemResolver: Resolver = (hostname) => dns.lookup(hostname, { all: true });

/**
 * Resolves every address of `hostname` and refuses the lot if any one is non-public, so a name
 * that also resolves (or rebinds) to a private address is never connected to.
 */
export async function lookupGuarded(
  hostname: string,
  policy: EgressPolicy,
  resolve: Resolver = systemResolver,
): Promise<LookupAddress[]> {
  const family = net.isIP(hostname);
  const addresses = family ? [{ address: hostname, family }] : await resolve(hostname);
  for (const { address } of addresses) {
    const reason = forbiddenReason(address, policy);
    if (reason) throw denied(`Refused to connect to ${hostname}: it resolves to`, address, reason);
  }
  return addresses;
}

function familyNumber(family: number | string | undefined): number {
  if (family === 'IPv4') return 4;
  if (family === 'IPv6') return 6;
  return typeof family === 'number' ? family : 0;
}

/**
 * A `dns.lookup`-compatible function for `net.connect({ lookup })`: the socket connects only to
 * an address this function returned, so the check and the connection see the same answer.
 */
export function guardedLookup(policy: EgressPolicy, resolve: Resolver = systemResolver): LookupFunction {
  return (hostname, options, callback) => {
    lookupGuarded(hostname, policy, resolve).then(
      (all) => {
        const family = familyNumber(options.family);
        const addresses = family ? all.filter((entry) => entry.family === family) : all;
        if (addresses.length === 0) {
          const error: NodeJS.ErrnoException = new Error(`getaddrinfo ENOTFOUND ${hostname}`);
          error.code = 'ENOTFOUND';
          callback(error, []);
        } else if (options.all) {
          callback(null, addresses);
        } else {
          callback(null, addresses[0].address, addresses[0].family);
        }
      },
      (error: NodeJS.ErrnoException) => callback(error, []),
    );
  };
}
