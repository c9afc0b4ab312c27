import { openApiDocument } from '@/lib/openapi/document';

// GET /api/v1/openapi.json: the OpenAPI 3.1 document of this API; public (no API key), cacheable
export function GET() {
  return Response.json(openApiDocument(), {
    headers: {
      'Cache-Control': 'public, max-age=300, stale-while-revalidate=86400',
      // A public description of a public API: any tool may read it.
      'Access-Control-Allow-Origin': '*',
    },
  });
}
