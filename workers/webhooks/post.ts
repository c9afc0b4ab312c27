// Sending one webhook request through the egress guard. The host is resolved once, every
// address checked (as the engines' guarded lookup does), and the socket connects only to those
// checked addresses, so a name cannot rebind inward between the check and the connect. Redirects
// are not followed: a receiver answers for its own URL.

import { promises as dns, type LookupAddress } from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import net, { type LookupFunction } from 'node:net';
import { webhookHostRefusal } from '@/lib/egress';
import { forbiddenReason, type EgressPolicy } from '@/workers/egress/policy';

/** The egress guard refused the URL: retrying cannot help. */
export class WebhookBlockedError extends Error {}

export type WebhookResponse = { status: number; responseTimeMs: number };

const maxResponseBytes = 64 * 1024;

async function checkedAddresses(hostname: string, policy: EgressPolicy): Promise<LookupAddress[]> {
  const host = hostname.replace(/^\[(.*)\]$/, '$1');
  // The rule the web app applied when the URL was given (it may have changed since), then every address.
  const refused = webhookHostRefusal(host, policy);
  if (refused && !net.isIP(host)) throw new WebhookBlockedError(`Blocked: ${host} is ${refused}, not a public host`);
  const family = net.isIP(host);
  const addresses = family
    ? [{ address: host, family }]
    : await dns.lookup(host, { all: true }).catch((error: NodeJS.ErrnoException) => {
        throw new Error(`${describeCode(error.code ?? '')} (${error.code ?? error.message})`);
      });
  for (const { address } of addresses) {
    const reason = forbiddenReason(address, policy);
    if (!reason) continue;
    throw new WebhookBlockedError(
      family
        ? `Blocked: ${host} is a ${reason} address, not a public one`
        : `Blocked: ${host} resolves to a ${reason} address (${address}), not a public one`,
    );
  }
  return addresses;
}

/** A lookup that answers only with addresses already checked. */
function pinnedLookup(addresses: LookupAddress[]): LookupFunction {
  return (_hostname, options, callback) => {
    const wanted = options.family === 4 || options.family === 'IPv4' ? 4 : options.family === 6 || options.family === 'IPv6' ? 6 : 0;
    const matching = wanted ? addresses.filter((entry) => entry.family === wanted) : addresses;
    if (matching.length === 0) {
      const error: NodeJS.ErrnoException = new Error('no address of the requested family');
      error.code = 'ENOTFOUND';
      callback(error, []);
    } else if (options.all) callback(null, matching);
    else callback(null, matching[0].address, matching[0].family);
  };
}

export async function postWebhook({
  url,
  body,
  headers,
  policy,
  timeoutMs,
}: {
  url: URL;
  body: string;
  headers: Record<string, string>;
  policy: EgressPolicy;
  timeoutMs: number;
}): Promise<WebhookResponse> {
  const addresses = await checkedAddresses(url.hostname, policy);
  const started = performance.now();
  const client = url.protocol === 'https:' ? https : http;
  return new Promise<WebhookResponse>((resolve, reject) => {
    const request = client.request(
      url,
      {
        method: 'POST',
        headers: { ...headers, 'Content-Length': String(Buffer.byteLength(body)) },
        lookup: pinnedLookup(addresses),
        agent: false,
        timeout: timeoutMs,
      },
      (response) => {
        const responseTimeMs = Math.round(performance.now() - started);
        // The body is read (and dropped) so the connection closes cleanly; its size is bounded.
        let read = 0;
        response.on('data', (chunk: Buffer) => {
          read += chunk.length;
          if (read > maxResponseBytes) response.destroy();
        });
        response.on('error', () => {});
        response.on('close', () => resolve({ status: response.statusCode ?? 0, responseTimeMs }));
      },
    );
    const deadline = setTimeout(() => request.destroy(new Error(`Timed out after ${timeoutMs / 1000} s without a response`)), timeoutMs);
    request.on('timeout', () => request.destroy(new Error(`Timed out after ${timeoutMs / 1000} s without a response`)));
    request.on('error', (error: NodeJS.ErrnoException) => {
      clearTimeout(deadline);
      reject(error.code ? new Error(`${describeCode(error.code)} (${error.code})`) : error);
    });
    request.on('close', () => clearTimeout(deadline));
    request.end(body);
  });
}

function describeCode(code: string): string {
  if (code === 'ECONNREFUSED') return 'Connection refused';
  if (code === 'ECONNRESET') return 'Connection reset';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return 'Host not found';
  if (code === 'ETIMEDOUT') return 'Connection timed out';
  if (code.startsWith('ERR_TLS') || code.includes('CERT')) return 'TLS error';
  return 'Request failed';
}
