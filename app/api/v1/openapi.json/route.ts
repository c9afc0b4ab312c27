import { openApiDocument } from '@/lib/openapi/document';
import { withRequestLog } from '@/lib/server/request-log';

// GET /api/v1/openapi.json: the OpenAPI 3.1 document of this API; public (no API key), cacheable
export const GET = withRequestLog(() =>
  Response.json(openApiDocument(), {
    headers: {
      'Cache-Control': 'public, max-age=300, stale-while-revalidate=86400',
      // A public description of a public API: any tool may read it.
      'Access-Control-Allow-Origin': '*',
    },
  }),
);
