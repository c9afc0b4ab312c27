import type { ZodOpenApiOverrideContext } from 'zod-openapi';
import { pageFields, pageSizes } from '@/lib/schemas/jobs';
import { sharedHeaders } from './operations';
import { queryParameterDescriptions } from './parameters';

// What the generated document needs beyond zod's JSON Schema, done in one place so every path
// module gets it without repeating it: exact schemas (page sizes as an enum, dates as
// `format: date`, enum-keyed records as real properties), a description on every query
// parameter, and the headers every reply (or every idempotent reply) carries, declared once.

type Json = Record<string, unknown>;
type JsonSchema = Json & { propertyNames?: { enum?: string[] }; additionalProperties?: unknown; pattern?: string };

const datePattern = /^\^\\d\{4\}-\\d\{2\}-\\d\{2\}\$$/;

/** The `override` of createDocument: runs on each schema zod-openapi renders. */
export function exactSchema({ jsonSchema, zodSchema }: ZodOpenApiOverrideContext): void {
  const schema = jsonSchema as JsonSchema;
  // z.number().int() carries the safe-integer range as bounds; they say nothing to a reader.
  if (schema.minimum === Number.MIN_SAFE_INTEGER) delete schema.minimum;
  if (schema.maximum === Number.MAX_SAFE_INTEGER) delete schema.maximum;
  // `size` is checked by a refinement, which JSON Schema cannot show: say which values it takes.
  if (zodSchema === pageFields.size) schema.enum = [...pageSizes];
  // A YYYY-MM-DD string (lib/schemas' isoDate) is a date.
  if (typeof schema.pattern === 'string' && datePattern.test(schema.pattern)) schema.format = 'date';
  // z.record(z.enum([...]), v) renders as propertyNames + additionalProperties, which generators
  // turn into an index signature and so lose the keys: list them as properties.
  const keys = schema.propertyNames?.enum;
  if (keys && schema.additionalProperties && typeof schema.additionalProperties === 'object') {
    schema.properties = Object.fromEntries(keys.map((key) => [key, schema.additionalProperties]));
    schema.additionalProperties = false;
    delete schema.propertyNames;
  }
}

const headerRef = (name: string) => ({ $ref: `#/components/headers/${name}` });

/** Adds the shared headers, the request id parameter and the query descriptions to the built document. */
export function finishDocument<D extends object>(built: D): D {
  const document = built as Json;
  const components = (document.components ??= {}) as Json;
  components.headers = { ...(components.headers as Json | undefined), ...sharedHeaders };
  components.parameters = {
    ...(components.parameters as Json | undefined),
    RequestId: {
      name: 'X-Request-Id',
      in: 'header',
      required: false,
      description: 'Your own id for this request (1-128 of `A-Z a-z 0-9 . _ : -`); echoed in the reply and written in the server log.',
      schema: { type: 'string', maxLength: 128, pattern: '^[A-Za-z0-9._:-]{1,128}$' },
    },
  };
  for (const item of Object.values((document.paths ?? {}) as Record<string, Record<string, Json>>)) {
    for (const operation of Object.values(item)) finishOperation(operation);
  }
  return withoutUnusedInputCopies(built);
}

/**
 * zod-openapi renders a named schema twice when its input and output differ (defaults make
 * fields required in a reply) and names the reply's `JobOutput`; the input copy is unused when no
 * request takes the shape. Then the reply takes the plain name.
 */
function withoutUnusedInputCopies<D extends object>(document: D): D {
  let text = JSON.stringify(document);
  for (;;) {
    const { components } = JSON.parse(text) as { components: { schemas: Record<string, unknown> } };
    const names = Object.keys(components.schemas);
    const output = names.find((name) => {
      const base = name.replace(/Output$/, '');
      if (base === name || !names.includes(base)) return false;
      // Used if anything but its own definition refers to it.
      const uses = text.split(`"#/components/schemas/${base}"`).length - 1;
      const ownUses = JSON.stringify(components.schemas[base]).split(`"#/components/schemas/${base}"`).length - 1;
      return uses === ownUses;
    });
    if (!output) return JSON.parse(text) as D;
    const base = output.replace(/Output$/, '');
    const parsed = JSON.parse(text) as { components: { schemas: Record<string, unknown> } };
    parsed.components.schemas[base] = parsed.components.schemas[output];
    delete parsed.components.schemas[output];
    text = JSON.stringify(parsed).replaceAll(`"#/components/schemas/${output}"`, `"#/components/schemas/${base}"`);
  }
}

function finishOperation(operation: Json): void {
  const parameters = (operation.parameters ??= []) as Json[];
  const idempotent = parameters.some((parameter) => parameter.name === 'Idempotency-Key');
  for (const parameter of parameters) {
    if (parameter.in !== 'query' || parameter.description) continue;
    const schema = parameter.schema as Json | undefined;
    const description = (schema?.description as string | undefined) ?? queryParameterDescriptions[parameter.name as string];
    if (description) parameter.description = description;
  }
  parameters.push({ $ref: '#/components/parameters/RequestId' });

  for (const [status, response] of Object.entries((operation.responses ?? {}) as Record<string, Json>)) {
    const headers = (response.headers ?? {}) as Record<string, unknown>;
    for (const name of Object.keys(headers)) if (name in sharedHeaders) headers[name] = headerRef(name);
    headers['X-Request-Id'] = headerRef('X-Request-Id');
    // Replies under 500 are kept with their key and replayed as they were.
    if (idempotent && Number(status) < 500) headers['Idempotent-Replayed'] = headerRef('Idempotent-Replayed');
    response.headers = headers;
  }
}
