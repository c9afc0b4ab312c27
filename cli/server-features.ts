import type { Scrapifie } from '@/packages/sdk/src/index';
import { withFeature } from './client';

// What this server's API accepts, read from its OpenAPI document, so the CLI sends a field only
// when the server would use it (an unknown field would be dropped silently, not refused).

type JsonSchema = { type?: string; $ref?: string; properties?: Record<string, JsonSchema> };
type Operation = {
  parameters?: { name?: string; in?: string }[];
  requestBody?: { content?: Record<string, { schema?: JsonSchema }> };
};
type OpenApiDocument = {
  paths?: Record<string, Record<string, Operation>>;
  components?: { schemas?: Record<string, JsonSchema> };
};

/** The properties of the JSON body of a POST to `path` (/api/v1/jobs, /api/v1/batches). */
export async function submissionFields(client: Scrapifie, path = '/api/v1/jobs'): Promise<Record<string, JsonSchema>> {
  const document = await apiDocument(client);
  return bodyProperties(document, document.paths?.[path]?.post);
}

/** The names a request such as `GET /api/v1/jobs` takes: its query parameters and its JSON body's properties. */
export async function acceptedFields(client: Scrapifie, request: string): Promise<Set<string>> {
  const [method, path] = request.split(' ');
  const document = await apiDocument(client);
  const operation = document.paths?.[path]?.[method.toLowerCase()];
  const query = (operation?.parameters ?? []).filter((parameter) => parameter.in === 'query').map((parameter) => parameter.name);
  return new Set([...query.filter((name) => name !== undefined), ...Object.keys(bodyProperties(document, operation))]);
}

function apiDocument(client: Scrapifie): Promise<OpenApiDocument> {
  return withFeature('reading its API document', client.openApiDocument()) as Promise<OpenApiDocument>;
}

function bodyProperties(document: OpenApiDocument, operation: Operation | undefined): Record<string, JsonSchema> {
  const schema = operation?.requestBody?.content?.['application/json']?.schema;
  return resolve(document, schema)?.properties ?? {};
}

function resolve(document: OpenApiDocument, schema: JsonSchema | undefined): JsonSchema | undefined {
  const ref = schema?.$ref?.match(/^#\/components\/schemas\/(.+)$/)?.[1];
  return ref ? document.components?.schemas?.[ref] : schema;
}
