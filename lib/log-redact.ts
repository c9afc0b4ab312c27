// Redaction for server logs: defence in depth, so a secret that reaches a log call by mistake
// (an error message quoting a header, a config object logged whole) is not written out.

export const redacted = '[redacted]';

/** Field names whose values are never logged, compared without case, `-` or `_`. */
const secretKeys = new Set([
  'authorization',
  'proxyauthorization',
  'cookie',
  'cookies',
  'setcookie',
  'password',
  'passwd',
  'secret',
  'apikey',
  'token',
  'credentials',
  'keyhash',
]);

/**
 * Objects under these names are a job's request headers or cookies: their names are useful, but
 * any value may be a credential (an `X-Api-Key`, a session cookie).
 */
const valueMapKeys = new Set(['headers', 'requestheaders']);

function normalize(key: string): string {
  return key.toLowerCase().replace(/[-_]/g, '');
}

function isSecretKey(key: string): boolean {
  const name = normalize(key);
  return secretKeys.has(name) || name.endsWith('secret') || name.endsWith('token') || name.endsWith('password') || name.endsWith('apikey');
}

type Replacement = string | ((match: string, ...groups: string[]) => string);

const credential = `[A-Za-z0-9._~+/=-]+`;

const secretPatterns: [RegExp, Replacement][] = [
  // Scrapifie API keys and webhook signing secrets, wherever they appear in a string.
  [/\bsk_(live|test)_[A-Za-z0-9_-]+/g, `sk_$1_${redacted}`],
  [/\bwhsec_[A-Za-z0-9_+/=-]+/g, `whsec_${redacted}`],
  // A header quoted as text: `Authorization: [scheme] <credentials>`, `Cookie: a=1; b=2` to the end of the line.
  [
    new RegExp(`\\b((?:proxy-)?authorization["']?\\s*[:=]\\s*["']?)(?:(Bearer|Basic)\\s+)?${credential}`, 'gi'),
    (_match, name: string, scheme?: string) => `${name}${scheme ? `${scheme} ` : ''}${redacted}`,
  ],
  [/\b((?:set-)?cookie["']?\s*[:=]\s*)[^\n"']+/gi, `$1${redacted}`],
  // Bearer or Basic credentials elsewhere: a token with a digit, or a long one (not "Basic engine").
  [new RegExp(`\\b(Bearer|Basic)\\s+(?:(?=[A-Za-z0-9._~+/=-]*\\d)${credential}|[A-Za-z0-9._~+/=-]{20,})`, 'gi'), `$1 ${redacted}`],
  // The password of a URL's userinfo (proxy URLs, connection strings).
  [/(\/\/[^/\s:@]*):[^@\s/]+@/g, `$1:${redacted}@`],
  // `password=...`, `access_token: ...`, `x-api-key=...` in a message or a query string.
  [/\b((?:[A-Za-z0-9]+[_-])*(?:password|passwd|pwd|secret|token|api[_-]?key)["']?\s*[:=]\s*["']?)[^\s"'&,;]+/gi, `$1${redacted}`],
];

/** Every pattern above needs one of these: most strings (ids, paths, messages) skip the rest. */
const mayHoldSecret = /sk_|whsec_|bearer|basic|authorization|cookie|@|password|passwd|pwd|secret|token|api.?key/i;

export function redactString(value: string): string {
  if (!mayHoldSecret.test(value)) return value;
  let result = value;
  for (const [pattern, replacement] of secretPatterns) result = result.replace(pattern, replacement as string);
  return result;
}

const maxDepth = 6;

/** A copy of `value` fit for a log line: secret fields and secret-looking strings redacted, errors made plain. */
export function redact(value: unknown, depth = 0, seen = new WeakSet<object>()): unknown {
  if (typeof value === 'string') return redactString(value);
  if (value === null || typeof value !== 'object') return typeof value === 'bigint' ? value.toString() : value;
  if (seen.has(value)) return '[circular]';
  if (depth >= maxDepth) return '[truncated]';
  seen.add(value);
  if (value instanceof Error) return redactError(value, depth, seen);
  if (value instanceof Date) return value.toISOString();
  if (value instanceof Headers) return redactEntries([...value.entries()], depth, seen, true);
  if (Array.isArray(value)) return value.map((item) => redact(item, depth + 1, seen));
  return redactEntries(Object.entries(value), depth, seen, false);
}

function redactEntries(entries: [string, unknown][], depth: number, seen: WeakSet<object>, valuesAreSecret: boolean) {
  const out: Record<string, unknown> = {};
  for (const [key, item] of entries) {
    if (isSecretKey(key) || (valuesAreSecret && item !== undefined)) {
      out[key] = item === undefined || item === null ? item : redacted;
    } else if (valueMapKeys.has(normalize(key)) && item && typeof item === 'object' && !Array.isArray(item)) {
      out[key] = redactEntries(
        item instanceof Headers ? [...item.entries()] : Object.entries(item),
        depth + 1,
        seen,
        true,
      );
    } else {
      out[key] = redact(item, depth + 1, seen);
    }
  }
  return out;
}

function redactError(error: Error, depth: number, seen: WeakSet<object>) {
  const extra = Object.entries(error).filter(([key]) => key !== 'name' && key !== 'message' && key !== 'stack');
  return {
    name: error.name,
    message: redactString(error.message),
    ...(error.stack ? { stack: redactString(error.stack) } : {}),
    ...(redactEntries(extra, depth, seen, false) as object),
    ...(error.cause === undefined ? {} : { cause: redact(error.cause, depth + 1, seen) }),
  };
}
