// The egress guard: Scrapifie fetches public addresses only. Literal IPs in a URL are checked
// before a request is made; hostnames are checked by the lookup the socket connects through.

import { promises as dns, type LookupAddress } from 'node:dns';
import net, { type LookupFunction } from 'node:net';
import { forbiddenReason, type EgressPolicy } from '@/lib/egress';
import { EgressDeniedError } from '@/lib/scrape-errors';

export { defaultEgressPolicy, forbiddenReason, isForbiddenAddress, parseEgressAllowList, type EgressPolicy } from '@/lib/egress';

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
