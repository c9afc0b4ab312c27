// What the dashboard may show of a job's secrets (spec section 4): header values whose names say
// they are credentials, and every cookie value past its first 4 characters. Applied on the
// server, so the page's HTML and its polled JSON never hold the full values; the API's reply to
// the owner's key keeps them (that program sent them and may need them back).

import type { JobConfig } from '@/lib/schemas/jobs';

const sensitiveHeader = /^(authorization|proxy-authorization|cookie|set-cookie)$|api[-_]?key|token|secret|password|passwd|session|auth|credential|signature/i;

export function isSensitiveHeader(name: string): boolean {
  return sensitiveHeader.test(name);
}

export function maskHeaderValue(value: string): string {
  return '•'.repeat(Math.min(Math.max(value.length, 8), 16));
}

/** Cookie values keep their first 4 characters (so one of 4 or fewer shows whole, as the spec has it). */
export function maskCookieValue(value: string): string {
  return value.length <= 4 ? value : `${value.slice(0, 4)}${'•'.repeat(Math.min(value.length - 4, 12))}`;
}

/** The names whose values the dashboard received masked; a clone keeps their saved values unless retyped. */
export type MaskedSecrets = { headers: string[]; cookies: string[] };

export function maskConfigSecrets<C extends Pick<JobConfig, 'headers' | 'cookies'>>(config: C): { config: C; maskedSecrets: MaskedSecrets } {
  const maskedSecrets: MaskedSecrets = { headers: [], cookies: [] };
  const headers = config.headers
    ? Object.fromEntries(
        Object.entries(config.headers).map(([name, value]) => {
          if (!isSensitiveHeader(name)) return [name, value];
          maskedSecrets.headers.push(name);
          return [name, maskHeaderValue(value)];
        }),
      )
    : config.headers;
  const cookies = config.cookies
    ? Object.fromEntries(
        Object.entries(config.cookies).map(([name, value]) => {
          maskedSecrets.cookies.push(name);
          return [name, maskCookieValue(value)];
        }),
      )
    : config.cookies;
  return { config: { ...config, headers, cookies }, maskedSecrets };
}

/**
 * A cloned job's request with the original's saved values put back where the form kept them:
 * `kept` names the headers and cookies whose value the user left as "keep the saved value". A
 * name the original does not have keeps the value sent.
 */
export function restoreKeptSecrets<B extends { headers?: Record<string, string>; cookies?: Record<string, string> }>(
  body: B,
  { original, kept }: { original: Pick<JobConfig, 'headers' | 'cookies'>; kept: MaskedSecrets },
): B {
  const restore = (sent: Record<string, string> | undefined, saved: Record<string, string> | undefined, names: string[]) => {
    if (!sent) return sent;
    const out = { ...sent };
    for (const name of names) if (name in out && saved && name in saved) out[name] = saved[name];
    return out;
  };
  return {
    ...body,
    headers: restore(body.headers, original.headers, kept.headers),
    cookies: restore(body.cookies, original.cookies, kept.cookies),
  };
}
