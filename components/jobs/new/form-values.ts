import type { z } from 'zod';
import type { Engine, ResultFormat } from '@/lib/jobs';
import type { Priority } from '@/lib/queue';
import { createJobBodySchema, jobDefaultsBodySchema, type CreateJobBody, type JobDefaults } from '@/lib/schemas/jobs';
import type { MaskedSecrets } from '@/lib/secret-masking';
import { parseJsonText } from './json-text';

// The create-job form's state and its two translations: to the API's request body (validated by
// the same createJobBodySchema as POST /api/v1/jobs) and from a saved default or a cloned job.
// Pure, so the server page builds the first values the browser then edits.

export const methods = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'] as const;
export type Method = (typeof methods)[number];
export const screenshotModes = ['none', 'viewport', 'fullPage'] as const;
export type ScreenshotMode = (typeof screenshotModes)[number];

/** Methods whose requests carry a body; the body field is shown only for these. */
export const methodsWithBody: readonly Method[] = ['POST', 'PUT', 'PATCH', 'DELETE'];

/** `saved`: the value stays the original job's, held on the server (a clone's masked secret) until retyped. */
export type KeyValueRow = { id: string; name: string; value: string; saved?: boolean };

export type JobFormValues = {
  url: string;
  name: string;
  /** Comma- or space-separated, as typed. */
  tags: string;
  priority: Priority;
  engine: Engine;
  format: ResultFormat;
  method: Method;
  headers: KeyValueRow[];
  body: string;
  cookies: KeyValueRow[];
  renderJs: boolean;
  waitForSelector: string;
  waitTimeoutMs: string;
  screenshot: ScreenshotMode;
  proxyCountry: string;
  timeoutMs: string;
  /** The extraction rules as JSON text, as typed; empty for none. */
  extract: string;
  trackChanges: boolean;
};

/** Field errors by field name; a header or cookie row's by `headers:{rowId}`. */
export type FieldErrors = Record<string, string>;

/** What a job request looks like with nothing chosen: the schema's own defaults. */
export const schemaDefaults: JobDefaults = jobDefaultsBodySchema.parse({});

type RequestLike = Partial<Omit<CreateJobBody, 'screenshot' | 'name'>> & { screenshot?: boolean | 'viewport' | 'fullPage'; name?: string | null };

function rows(prefix: string, record: Record<string, string> | undefined, masked: string[] = []): KeyValueRow[] {
  return Object.entries(record ?? {}).map(([name, value], i) =>
    masked.includes(name) ? { id: `${prefix}-${i}`, name, value: '', saved: true } : { id: `${prefix}-${i}`, name, value },
  );
}

// A stored job's rules come back from jsonb with their keys sorted by length; a rule reads best
// with what it matches first and what it nests last.
const ruleKeysFirst = ['type', 'selector', 'x-selector', 'attr', 'x-attr', 'multiple', 'required'];
const ruleKeysLast = ['fields', 'properties', 'items'];
const keyRank = (key: string) => (ruleKeysFirst.includes(key) ? ruleKeysFirst.indexOf(key) - ruleKeysFirst.length : ruleKeysLast.includes(key) ? 1 + ruleKeysLast.indexOf(key) : 0);

/** Extraction rules as the editor shows them: indented, each rule's keys in reading order. */
function rulesText(rules: unknown): string {
  return JSON.stringify(
    rules,
    (_key, value: unknown) =>
      value && typeof value === 'object' && !Array.isArray(value)
        ? Object.fromEntries(Object.entries(value).sort(([a], [b]) => keyRank(a) - keyRank(b)))
        : value,
    2,
  );
}

/**
 * Form values from a request (saved defaults; a cloned job's URL, label and config), over the
 * schema defaults. `masked` names a clone's secrets: their rows start empty, keeping the saved value.
 */
export function valuesFromRequest(request: RequestLike = {}, masked?: MaskedSecrets): JobFormValues {
  const merged = { ...schemaDefaults, ...request };
  const screenshot: ScreenshotMode = merged.screenshot === 'fullPage' ? 'fullPage' : merged.screenshot ? 'viewport' : 'none';
  return {
    url: request.url ?? '',
    name: request.name ?? '',
    tags: (request.tags ?? []).join(', '),
    priority: request.priority ?? 'normal',
    engine: merged.engine,
    format: merged.format,
    method: merged.method,
    headers: rows('header', merged.headers, masked?.headers),
    body: merged.body ?? '',
    cookies: rows('cookie', merged.cookies, masked?.cookies),
    renderJs: merged.renderJs,
    waitForSelector: merged.waitForSelector ?? '',
    waitTimeoutMs: String(merged.waitTimeoutMs),
    screenshot,
    proxyCountry: merged.proxyCountry && merged.proxyCountry !== 'auto' ? merged.proxyCountry.toUpperCase() : '',
    timeoutMs: String(merged.timeoutMs),
    extract: request.extract ? rulesText(request.extract) : '',
    trackChanges: request.trackChanges ?? false,
  };
}

const wholeNumber = /^\d+$/;

function toNumber(raw: string): number | string | undefined {
  const text = raw.trim().replace(/[,_\s]/g, '');
  if (text === '') return undefined;
  return wholeNumber.test(text) ? Number(text) : raw;
}

/** Rows to a record; blank rows are dropped, a nameless or repeated name is a row error. */
function toRecord(field: 'headers' | 'cookies', list: KeyValueRow[], errors: FieldErrors): Record<string, string> {
  const record: Record<string, string> = {};
  const seen = new Set<string>();
  const noun = field === 'headers' ? 'header' : 'cookie';
  for (const row of list) {
    const name = row.name.trim();
    if (!name && !row.value) continue;
    if (!name) {
      errors[`${field}:${row.id}`] = `Enter a ${noun} name`;
      continue;
    }
    // Header names are case-insensitive; cookie names are not.
    const key = field === 'headers' ? name.toLowerCase() : name;
    if (seen.has(key)) {
      errors[`${field}:${row.id}`] = `This ${noun} is already set above`;
      continue;
    }
    seen.add(key);
    record[name] = row.value;
  }
  return record;
}

/** What is wrong with the rules' JSON text, if anything; empty text is no rules. */
export function extractSyntaxError(text: string): string | null {
  if (!text.trim()) return null;
  const parsed = parseJsonText(text);
  return parsed.ok ? null : parsed.message;
}

/** The request body the form stands for, before validation, plus the errors found building it. */
export function requestFromValues(values: JobFormValues): { request: Record<string, unknown>; errors: FieldErrors } {
  const errors: FieldErrors = {};
  const request: Record<string, unknown> = {
    url: values.url,
    tags: values.tags.split(/[\s,]+/).filter(Boolean),
    priority: values.priority,
    engine: values.engine,
    format: values.format,
    method: values.method,
    headers: toRecord('headers', values.headers, errors),
    cookies: toRecord('cookies', values.cookies, errors),
    renderJs: values.renderJs,
    waitTimeoutMs: toNumber(values.waitTimeoutMs),
    screenshot: values.screenshot === 'none' ? false : values.screenshot,
    timeoutMs: toNumber(values.timeoutMs),
  };
  if (methodsWithBody.includes(values.method) && values.body !== '') request.body = values.body;
  if (values.name.trim()) request.name = values.name;
  if (values.waitForSelector.trim()) request.waitForSelector = values.waitForSelector;
  if (values.proxyCountry.trim()) request.proxyCountry = values.proxyCountry;
  if (values.extract.trim()) {
    const parsed = parseJsonText(values.extract);
    if (parsed.ok) request.extract = parsed.value;
    else errors.extract = parsed.message;
  }
  if (values.trackChanges) request.trackChanges = true;
  return { request, errors };
}

// The schema's messages name fields as the API does ("url must be..."); the form says them as its labels do.
const fieldWords: [RegExp, string][] = [
  [/^url\b/, 'URL'],
  [/^proxyCountry\b/, 'Proxy country'],
  [/^body\b/, 'Body'],
  [/^name\b/, 'Name'],
  [/^a tag\b/, 'A tag'],
  [/^extract\b/, 'Extraction rules'],
];

function capitalize(text: string): string {
  for (const [pattern, words] of fieldWords) if (pattern.test(text)) return text.replace(pattern, words);
  return text ? text[0].toUpperCase() + text.slice(1) : text;
}

/** An extraction rule's error names the rule inside the JSON ("products.fields.name"), as the API's `extract.products.fields.name` does. */
function extractMessage(rulePath: readonly PropertyKey[], message: string): string {
  return rulePath.length ? `${rulePath.map(String).join('.')}: ${message}` : capitalize(message);
}

/** A zod issue in the words the form shows under its field. */
function issueMessage(issue: z.core.$ZodIssue): string {
  if (issue.path[0] === 'extract') return extractMessage(issue.path.slice(1), issue.message);
  if (issue.code === 'invalid_key') return capitalize(issue.issues[0]?.message ?? issue.message);
  if (issue.code === 'invalid_type' && issue.expected === 'number') return 'Enter a whole number of milliseconds';
  if (issue.code === 'too_small' && issue.origin === 'number') return `Must be at least ${Number(issue.minimum).toLocaleString('en-US')}`;
  if (issue.code === 'too_big' && issue.origin === 'number') return `Must be at most ${Number(issue.maximum).toLocaleString('en-US')}`;
  if (issue.code === 'too_big' && issue.origin === 'string') return `Must be at most ${Number(issue.maximum).toLocaleString('en-US')} characters`;
  return capitalize(issue.message);
}

/**
 * Where an error belongs: `url`, `timeoutMs`, or a header/cookie row. `path` is the zod path, or
 * the API's `details.fields[].field` split on its first dot ("headers.X-Trace").
 */
export function fieldKey(values: JobFormValues, path: readonly PropertyKey[]): string {
  const [field, name] = path;
  if ((field === 'headers' || field === 'cookies') && name !== undefined) {
    const list = values[field];
    const row = list.find((candidate) => candidate.name.trim() === String(name)) ?? list.find((candidate) => candidate.name.trim() === '');
    if (row) return `${field}:${row.id}`;
  }
  return String(field ?? 'form');
}

/** Validates the form with the API's schema: the body to send, or every field error. */
export function validateValues(values: JobFormValues): { ok: true; body: CreateJobBody } | { ok: false; errors: FieldErrors } {
  const { request, errors } = requestFromValues(values);
  const parsed = createJobBodySchema.safeParse(request);
  if (parsed.success && Object.keys(errors).length === 0) return { ok: true, body: parsed.data };
  for (const issue of parsed.success ? [] : parsed.error.issues) {
    const key = fieldKey(values, issue.path);
    errors[key] ??= issueMessage(issue);
  }
  return { ok: false, errors };
}

/** The API's 400 `details.fields` as form errors. */
export function errorsFromApi(values: JobFormValues, fields: { field: string; message: string }[]): FieldErrors {
  const errors: FieldErrors = {};
  for (const { field, message } of fields) {
    const dot = field.indexOf('.');
    const path = dot === -1 ? [field] : [field.slice(0, dot), field.slice(dot + 1)];
    errors[fieldKey(values, path)] ??= path[0] === 'extract' ? extractMessage(path.slice(1), message) : capitalize(message);
  }
  return errors;
}

/** The headers and cookies left as "keep the saved value": the server fills them in from the original job. */
export function keptSecrets(values: JobFormValues): MaskedSecrets {
  const names = (list: KeyValueRow[]) => list.filter((row) => row.saved && row.value === '' && row.name.trim()).map((row) => row.name.trim());
  return { headers: names(values.headers), cookies: names(values.cookies) };
}

/**
 * What is remembered for next time: every choice but the URL, the extraction rules and change
 * tracking. Those belong to the page they were written for: rules applied to another page would
 * fail its job as EXTRACTION_FAILED.
 */
export function defaultsFromBody(body: CreateJobBody): JobDefaults {
  const { extract: _extract, trackChanges: _trackChanges, ...defaults } = body;
  return jobDefaultsBodySchema.parse(defaults);
}

/** Saved defaults as the form starts from them: without page-specific options an API client may have saved. */
export function valuesFromDefaults(defaults: Partial<JobDefaults> = {}): JobFormValues {
  const { extract: _extract, trackChanges: _trackChanges, ...rest } = defaults;
  return valuesFromRequest(rest);
}
