import { parse as parseSelector } from 'css-what';
import { z } from 'zod';

// Extraction rules (the job option `extract`), in one of two shapes:
//
// - A field map: field name → CSS selector, or → { selector, attr?, multiple?, required?, fields? }.
//   A field is the trimmed text of the first match (or its `attr` attribute); `multiple: true`
//   gives a list, one value per match; `fields` gives a list of objects, one per match, each
//   read with the nested rules inside that match. Every field is required unless it says
//   `required: false` (then a miss is null, or [] for a list).
// - A JSON Schema (an object with `type: "object"` and `properties`), whose properties carry
//   `x-selector` (and optionally `x-attr`); an array of objects reads its `items.properties`
//   inside each match. `required` lists what must be found; the output is validated against the
//   whole schema (ajv), so `minimum`, `pattern`, `enum` and the rest apply too.
//
// A missing required field or a schema violation fails the job as EXTRACTION_FAILED, naming
// the field. Selectors are checked here (syntax) and again by the worker when applied.

export const maxExtractFields = 100;
export const maxExtractDepth = 4;
const maxSelectorLength = 1024;

const fieldName = z
  .string()
  .min(1, 'a field name must not be empty')
  .max(100, 'a field name must be at most 100 characters');

export const cssSelector = z
  .string({ error: 'a selector is required' })
  .trim()
  .min(1, 'a selector must not be empty')
  .max(maxSelectorLength, `a selector must be at most ${maxSelectorLength} characters`)
  .superRefine((value, ctx) => {
    try {
      parseSelector(value);
    } catch (error) {
      ctx.addIssue({ code: 'custom', message: `invalid CSS selector "${value}": ${(error as Error).message}` });
    }
  });

const attrName = z.string().trim().min(1).max(256);

export type ExtractFieldRule = {
  selector: string;
  attr?: string;
  multiple?: boolean;
  required?: boolean;
  fields?: ExtractFieldMap;
};
export type ExtractFieldMap = Record<string, string | ExtractFieldRule>;

function fieldMapSchema(depth: number): z.ZodType<ExtractFieldMap> {
  const rule = z.strictObject({
    selector: cssSelector,
    attr: attrName.optional(),
    multiple: z.boolean().optional(),
    required: z.boolean().optional(),
    fields: depth < maxExtractDepth ? z.lazy(() => fieldMapSchema(depth + 1)).optional() : z.never().optional(),
  });
  return z
    .record(fieldName, z.union([cssSelector, rule], { error: 'a field is a CSS selector or an object with a selector' }))
    .refine((map) => Object.keys(map).length > 0, 'give at least one field')
    .refine((map) => Object.keys(map).length <= maxExtractFields, `at most ${maxExtractFields} fields`) as z.ZodType<ExtractFieldMap>;
}

const jsonTypes = ['object', 'array', 'string', 'number', 'integer', 'boolean'] as const;

export type ExtractSchemaNode = {
  type: (typeof jsonTypes)[number];
  properties?: Record<string, ExtractSchemaNode>;
  items?: ExtractSchemaNode;
  required?: string[];
  'x-selector'?: string;
  'x-attr'?: string;
  [keyword: string]: unknown;
};

/**
 * A JSON Schema node: the keywords extraction reads are checked here; any other keyword (minimum,
 * pattern, enum, ...) is kept for the validator. A leaf (string, number, ...) needs a selector;
 * an object reads its properties inside its own match, or inside its parent's when it has none.
 */
function schemaNode(depth: number, item = false): z.ZodType<ExtractSchemaNode> {
  const child = (asItem: boolean) => (depth < maxExtractDepth ? z.lazy(() => schemaNode(depth + 1, asItem)) : z.never());
  return z
    .looseObject({
      type: z.enum(jsonTypes, `type must be one of ${jsonTypes.join(', ')}`),
      properties: z.record(fieldName, child(false)).optional(),
      items: child(true).optional(),
      required: z.array(fieldName).optional(),
      'x-selector': cssSelector.optional(),
      'x-attr': attrName.optional(),
    })
    .superRefine((node, ctx) => {
      if (node.type === 'object' && !node.properties) ctx.addIssue({ code: 'custom', path: ['properties'], message: 'an object needs properties' });
      if (node.type === 'array' && !node.items) ctx.addIssue({ code: 'custom', path: ['items'], message: 'an array needs items' });
      if (node.type === 'array' && !node['x-selector']) ctx.addIssue({ code: 'custom', path: ['x-selector'], message: 'an array needs x-selector (one item per match)' });
      const leaf = node.type !== 'object' && node.type !== 'array';
      // An array's `items` leaf is read from each of the array's matches: it needs no selector.
      if (leaf && !node['x-selector'] && depth > 0 && !item) {
        ctx.addIssue({ code: 'custom', path: ['x-selector'], message: 'a field needs x-selector' });
      }
      for (const [i, name] of (node.required ?? []).entries()) {
        if (!node.properties?.[name]) ctx.addIssue({ code: 'custom', path: ['required', i], message: `required names "${name}", which is not a property` });
      }
    }) as unknown as z.ZodType<ExtractSchemaNode>;
}

const extractSchemaRoot = schemaNode(0);

const isJsonSchema = (value: unknown) =>
  Boolean(value && typeof value === 'object' && (value as { type?: unknown }).type === 'object' && typeof (value as { properties?: unknown }).properties === 'object');

/**
 * The `extract` option: a JSON Schema when it is an object with `type: "object"` and `properties`,
 * else a field map. The shape is chosen first, so a bad rule is reported with its own path
 * (`extract.items.fields.name`), not as a union that matched neither.
 */
export const extractRulesSchema = z
  .unknown()
  .transform((value, ctx): ExtractRules => {
    if (!value || typeof value !== 'object' || Array.isArray(value)) {
      ctx.addIssue({ code: 'custom', message: 'extract must be an object: a field map or a JSON Schema' });
      return z.NEVER;
    }
    const parsed = (isJsonSchema(value) ? extractSchemaRoot : fieldMapSchema(0)).safeParse(value);
    if (parsed.success) return parsed.data as ExtractRules;
    for (const issue of parsed.error.issues) ctx.addIssue({ code: 'custom', message: issue.message, path: issue.path });
    return z.NEVER;
  })
  .meta({
    description:
      'Extraction rules applied to the page HTML (the rendered DOM for Browser and Stealth). A field map (`{"title": "h1", "links": {"selector": "a", "attr": "href", "multiple": true}, "items": {"selector": ".item", "fields": {"name": "h2"}}}`; fields are required unless `required: false`) or a JSON Schema with `x-selector`/`x-attr` on its properties (`{"type": "object", "properties": {"price": {"type": "number", "x-selector": ".price"}}, "required": ["price"]}`). The result gains `extracted`; a missing required field or a schema violation fails the job with EXTRACTION_FAILED.',
  });

export type ExtractRules = ExtractFieldMap | ExtractSchemaNode;

export function isExtractSchema(rules: ExtractRules): rules is ExtractSchemaNode {
  return isJsonSchema(rules);
}
