// Text Postgres cannot store: a NUL character (refused in text and jsonb alike) or a lone UTF-16
// surrogate (not valid UTF-8). Either in any string of a request, value or key, would fail the
// statement that stores or compares it, so requests are checked for both before validation and
// refused with a 400 naming the field.

const unstorable = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export const unstorableTextMessage = 'must not contain NUL characters or unpaired UTF-16 surrogates';

export function hasUnstorableText(value: string): boolean {
  return unstorable.test(value);
}

/** Every field (as `a.b.0`) of a parsed body or query whose key or string value Postgres cannot store. */
export function findUnstorableText(value: unknown, path: (string | number)[] = []): string[] {
  if (typeof value === 'string') return hasUnstorableText(value) ? [fieldName(path)] : [];
  if (value === null || typeof value !== 'object') return [];
  const found: string[] = [];
  const entries: [string | number, unknown][] = Array.isArray(value) ? value.map((item, index) => [index, item]) : Object.entries(value);
  for (const [key, item] of entries) {
    const at = [...path, key];
    if (typeof key === 'string' && hasUnstorableText(key)) found.push(fieldName(at));
    else found.push(...findUnstorableText(item, at));
  }
  return found;
}

function fieldName(path: (string | number)[]): string {
  return path.length ? path.map(String).join('.').replace(/\u0000/g, '\\u0000') : 'body';
}

/** Deepest nesting a request body may have: no field of the API nests more than a few levels. */
export const maxJsonDepth = 32;

/** Whether a parsed JSON value nests arrays and objects deeper than `max` (stops looking past it). */
export function nestsDeeperThan(value: unknown, max = maxJsonDepth): boolean {
  if (value === null || typeof value !== 'object') return false;
  if (max === 0) return true;
  return Object.values(value).some((item) => nestsDeeperThan(item, max - 1));
}
