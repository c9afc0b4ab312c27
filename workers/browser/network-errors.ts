// Chromium's `net::ERR_*` failures of a main document, classified as the HTTP engine classifies
// socket errors: timeouts and resets are worth another try, an unreachable target is not.

import { InvalidUrlError, TargetUnavailableError, TimeoutError, type ScrapeError } from '@/lib/scrape-errors';

const unreachableCodes = new Set([
  'ERR_CONNECTION_REFUSED',
  'ERR_NAME_NOT_RESOLVED',
  'ERR_NAME_RESOLUTION_FAILED',
  'ERR_ADDRESS_UNREACHABLE',
  'ERR_ADDRESS_INVALID',
  // The egress proxy could not connect to the target (refusals are recognised before this).
  'ERR_TUNNEL_CONNECTION_FAILED',
]);

const transientCodes = new Set([
  'ERR_CONNECTION_RESET',
  'ERR_CONNECTION_CLOSED',
  'ERR_CONNECTION_ABORTED',
  'ERR_EMPTY_RESPONSE',
  'ERR_INCOMPLETE_CHUNKED_ENCODING',
  'ERR_HTTP2_PROTOCOL_ERROR',
]);

export function networkError(code: string, url: string): ScrapeError {
  if (code === 'ERR_TIMED_OUT' || code === 'ERR_CONNECTION_TIMED_OUT') return new TimeoutError(`Timed out loading ${url} (${code})`);
  if (transientCodes.has(code)) return new TargetUnavailableError(`Connection to ${url} failed before the page loaded (${code})`);
  if (unreachableCodes.has(code)) return new InvalidUrlError(`Target ${url} is not accessible (${code})`);
  if (code === 'ERR_TOO_MANY_REDIRECTS') return new InvalidUrlError(`Too many redirects loading ${url}`);
  if (/^ERR_(CERT|SSL)_/.test(code)) return new InvalidUrlError(`Target ${url} has an invalid TLS certificate or setup (${code})`);
  return new InvalidUrlError(`The browser could not load ${url} (${code})`);
}

/** The `net::ERR_*` code in a puppeteer error message, if any. */
export function networkErrorCode(message: string): string | undefined {
  return /net::(ERR_[A-Z0-9_]+)/.exec(message)?.[1];
}
