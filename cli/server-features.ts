import type { ApiClient } from './api-client';

// What this server's API accepts, read from its OpenAPI document, so the CLI sends a field only
// when the server would use it (an unknown field would be dropped silently, not refused).

type JsonSchema = { type?: string; $ref?: string; properties?: Record<string, JsonSchema> };
type OpenApiDocument = {
  paths?: Record<string, Record<string, { requestBody?: { content?: Record<string, { schema?: JsonSchema }> } }>>;
  components?: { schemas?: Record<string, JsonSchema> };
};

/** The properties of POST /api/v1/jobs's JSON body. */
export async function submissionFields(client: ApiClient): Promise<Record<string, JsonSchema>> {
  const document = await client.get<OpenApiDocument>('/api/v1/openapi.json', { feature: 'reading its API document' });
  const schema = document.paths?.['/api/v1/jobs']?.post?.requestBody?.content?.['application/json']?.schema;
  return resolve(document, schema)?.properties ?? {};
}

function resolve(document: OpenApiDocument, schema: JsonSchema | undefined): JsonSchema | undefined {
  const ref = schema?.$ref?.match(/^#\/components\/schemas\/(.+)$/)?.[1];
  return ref ? document.components?.schemas?.[ref] : schema;
}
