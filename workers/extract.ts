import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import * as cheerio from 'cheerio';
import type { AnyNode, Element } from 'domhandler';
import { isExtractSchema, type ExtractFieldMap, type ExtractRules, type ExtractSchemaNode } from '@/lib/schemas/extract';
import { ExtractionFailedError } from '@/lib/scrape-errors';

// Applies a job's extraction rules (lib/schemas/extract.ts) to the page HTML with cheerio, and
// for a JSON Schema validates the output with ajv. A miss of a required field, an invalid
// selector or a schema violation throws ExtractionFailedError naming the field by its path
// (`items[2].price`), never an empty value in its place.

type Root = { $: cheerio.CheerioAPI; scope: cheerio.Cheerio<AnyNode> };

/** The extracted document of `html` under `rules`. */
export function extractFields(html: string, rules: ExtractRules): unknown {
  const $ = cheerio.load(html);
  const root: Root = { $, scope: $.root() };
  if (!isExtractSchema(rules)) return readFieldMap(root, rules, '');
  const misses = new Map<string, string>();
  const document = readSchemaNode(root, rules, '', misses);
  validateAgainstSchema(document, rules, misses);
  return document;
}

const collapse = (text: string) => text.replace(/\s+/g, ' ').trim();

function select(root: Root, selector: string, path: string): cheerio.Cheerio<Element> {
  try {
    return root.scope.find(selector);
  } catch (error) {
    throw new ExtractionFailedError(`Extraction failed: field "${path}" has a selector the page cannot be searched with (${selector}): ${(error as Error).message}`);
  }
}

/** The text (or attribute) of one element; undefined when the attribute is absent or the value empty. */
function valueOf($: cheerio.CheerioAPI, element: Element, attr: string | undefined): string | undefined {
  const value = attr ? $(element).attr(attr) : collapse($(element).text());
  return value === undefined || value.trim() === '' ? undefined : attr ? value.trim() : value;
}

const joinPath = (base: string, name: string) => (base ? `${base}.${name}` : name);

function missing(path: string, selector: string, attr?: string): ExtractionFailedError {
  const what = attr ? `no element matching "${selector}" with a non-empty ${attr} attribute` : `no element matching "${selector}" with text`;
  return new ExtractionFailedError(`Extraction failed: required field "${path}" not found (${what})`);
}

function readFieldMap(root: Root, map: ExtractFieldMap, base: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, entry] of Object.entries(map)) {
    const rule = typeof entry === 'string' ? { selector: entry } : entry;
    const path = joinPath(base, name);
    const required = rule.required ?? true;
    const matches = select(root, rule.selector, path).toArray();
    if (rule.fields) {
      const items = matches.map((element, i) => readFieldMap({ $: root.$, scope: root.$(element) }, rule.fields!, `${path}[${i}]`));
      if (items.length === 0 && required) throw missing(path, rule.selector);
      out[name] = items;
      continue;
    }
    const values = matches.map((element) => valueOf(root.$, element, rule.attr)).filter((value): value is string => value !== undefined);
    if (values.length === 0 && required) throw missing(path, rule.selector, rule.attr);
    out[name] = rule.multiple ? values : (values[0] ?? null);
  }
  return out;
}

/** A leaf's text as the schema's type asks: numbers read from text like "$1,299.00"; left as text when unreadable, for the validator to report. */
function coerce(text: string, type: ExtractSchemaNode['type']): unknown {
  if (type === 'number' || type === 'integer') {
    const digits = text.replace(/[^0-9.eE+-]/g, '');
    const number = Number(digits);
    return /\d/.test(digits) && Number.isFinite(number) ? number : text;
  }
  if (type === 'boolean') {
    if (/^(true|yes|1)$/i.test(text)) return true;
    if (/^(false|no|0)$/i.test(text)) return false;
    return text;
  }
  return text;
}

/**
 * A schema node's value under `root`: an object reads its properties (inside its own match when
 * it has a selector), an array one item per match, a leaf its first match. A property not found
 * is left out (so `required` reports it) and its selector remembered for the message.
 */
function readSchemaNode(root: Root, node: ExtractSchemaNode, path: string, misses: Map<string, string>): unknown {
  const selector = node['x-selector'];
  if (node.type === 'array') {
    const items = node.items!;
    const matches = select(root, selector!, path).toArray();
    return matches
      .map((element, i) => readItem({ $: root.$, scope: root.$(element) }, element, items, `${path}[${i}]`, misses))
      .filter((value) => value !== undefined);
  }
  if (node.type === 'object') {
    let scope = root;
    if (selector) {
      const first = select(root, selector, path).first();
      if (first.length === 0) {
        misses.set(path, selector);
        return undefined;
      }
      scope = { $: root.$, scope: first };
    }
    const out: Record<string, unknown> = {};
    for (const [name, child] of Object.entries(node.properties ?? {})) {
      const childPath = joinPath(path, name);
      const value = readSchemaNode(scope, child, childPath, misses);
      if (value !== undefined) out[name] = value;
      else if (child['x-selector']) misses.set(childPath, child['x-selector']);
    }
    return out;
  }
  const value = select(root, selector!, path)
    .toArray()
    .map((element) => valueOf(root.$, element, node['x-attr']))
    .find((text) => text !== undefined);
  return value === undefined ? undefined : coerce(value, node.type);
}

/** One array item: a leaf without a selector is the match's own value; anything else is read inside the match. */
function readItem(root: Root, element: Element, items: ExtractSchemaNode, path: string, misses: Map<string, string>): unknown {
  const leaf = items.type !== 'object' && items.type !== 'array';
  if (!leaf || items['x-selector']) return readSchemaNode(root, items, path, misses);
  const value = valueOf(root.$, element, items['x-attr']);
  return value === undefined ? undefined : coerce(value, items.type);
}

const ajv = new Ajv({ allErrors: true, strict: false });
// Compiled validators by schema text: a schedule's runs share one. Bounded, and evicted schemas
// are removed from ajv too, which otherwise keeps every schema object it compiled.
const validators = new Map<string, { schema: object; validate: ValidateFunction }>();
const maxValidators = 200;

function validatorFor(schema: ExtractSchemaNode): ValidateFunction {
  const key = JSON.stringify(schema);
  const cached = validators.get(key);
  if (cached) return cached.validate;
  const validate = ajv.compile(schema);
  validators.set(key, { schema, validate });
  if (validators.size > maxValidators) {
    const [oldestKey, oldest] = validators.entries().next().value!;
    validators.delete(oldestKey);
    ajv.removeSchema(oldest.schema);
  }
  return validate;
}

/** `/items/2/price` as `items[2].price`. */
function fieldPath(instancePath: string, extra?: string): string {
  const parts = [...instancePath.split('/').filter(Boolean), ...(extra ? [extra] : [])];
  return parts.reduce((path, part) => (/^\d+$/.test(part) ? `${path}[${part}]` : joinPath(path, part)), '');
}

function describe(error: ErrorObject, misses: Map<string, string>): string {
  if (error.keyword === 'required') {
    const path = fieldPath(error.instancePath, (error.params as { missingProperty: string }).missingProperty);
    const selector = misses.get(path);
    return `required field "${path}" not found${selector ? ` (no element matching "${selector}")` : ''}`;
  }
  return `field "${fieldPath(error.instancePath) || '(document)'}" ${error.message ?? 'is invalid'}`;
}

function validateAgainstSchema(document: unknown, schema: ExtractSchemaNode, misses: Map<string, string>): void {
  let validate;
  try {
    validate = validatorFor(schema);
  } catch (error) {
    throw new ExtractionFailedError(`Extraction failed: the extract schema is not a valid JSON Schema: ${(error as Error).message}`);
  }
  if (validate(document)) return;
  const errors = (validate.errors ?? []).slice(0, 5).map((error) => describe(error, misses));
  throw new ExtractionFailedError(`Extraction failed: ${errors.join('; ')}`);
}
