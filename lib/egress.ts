// The egress rule Scrapifie's outgoing requests follow, pure so both sides apply the same one:
// the worker (every scrape and webhook delivery, workers/egress/) and the web app (a webhook URL
// is checked when it is given: an endpoint's, a job's or a batch's own webhookUrl). An address is
// allowed when it is public, or covered by EGRESS_ALLOWLIST (never a cloud metadata address).

import ipaddr from 'ipaddr.js';

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

/** Names that only mean something inside a network (RFC 6761/6762, common LAN suffixes). */
const internalNameSuffixes = ['.local', '.internal', '.lan', '.home.arpa'];

/**
 * Why a webhook may not be sent to `hostname`, or null: the one rule for account endpoints and
 * jobs' and batches' own webhookUrl, applied when the URL is given and again at each delivery
 * (which then also checks every address the name resolves to). A literal address is judged by
 * the address rule; `localhost` is judged as the loopback address it names (so an allow-list
 * covering 127.0.0.1 admits it); other internal-only names are refused unless an allow-list is
 * set, in which case the addresses they resolve to decide at delivery.
 */
export function webhookHostRefusal(hostname: string, policy: EgressPolicy): string | null {
  const host = hostname.replace(/^\[(.*)\]$/, '$1').toLowerCase().replace(/\.$/, '');
  if (ipaddr.isValid(host)) {
    const reason = forbiddenReason(host, policy);
    if (!reason) return null;
    return reason === 'private network' ? 'a private address' : `${/^[aeiou]/.test(reason) ? 'an' : 'a'} ${reason} address`;
  }
  if (host === 'localhost' || host.endsWith('.localhost')) {
    return forbiddenReason('127.0.0.1', policy) ? 'a loopback name (localhost)' : null;
  }
  if (internalNameSuffixes.some((suffix) => host.endsWith(suffix)) && policy.allow.length === 0) return 'an internal name';
  return null;
}
