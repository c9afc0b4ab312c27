import { paths } from '@/lib/openapi/document';
import { errorStatuses, type ApiErrorCode } from '@/lib/api-errors';
import { requestIdFrom } from '@/lib/server/request-log';

// What `proxy.ts` answers for /api/v1 before Next routes a request, so the API speaks its own
// error shape where Next would answer for it: an unknown path (Next: an HTML 404 page), a method
// the path does not have (Next: an empty 405), an over-long URL. The table is the OpenAPI
// document's, which tests/integration/openapi.test.ts keeps equal to the route files.

const operationMethods = ['get', 'put', 'post', 'delete', 'patch'] as const;

/** Longer URLs (path and query) are refused here; Node's own limit (the whole header block) is higher, see scripts/run.ts. */
export const maxUrlBytes = 16 * 1024;

type RouteEntry = { template: string; pattern: RegExp; methods: string[] };

const table: RouteEntry[] = Object.entries(paths)
  .map(([template, item]) => ({
    template,
    pattern: new RegExp(`^${template.replace(/[.]/g, '\\.').replace(/\{\w+\}/g, '[^/]+')}/?$`),
    methods: operationMethods.filter((method) => item && method in item).map((method) => method.toUpperCase()),
  }))
  // Static segments first: /api/v1/jobs/counts is not the job "counts".
  .sort((a, b) => a.template.split('{').length - b.template.split('{').length);

/** The methods a path answers (with HEAD beside GET), or null when no route has it. */
export function allowedMethods(pathname: string): string[] | null {
  const entry = table.find((route) => route.pattern.test(pathname));
  if (!entry) return null;
  return entry.methods.includes('GET') ? [...entry.methods, 'HEAD', 'OPTIONS'] : [...entry.methods, 'OPTIONS'];
}

/** The reply for a request Next should not route (404, 405, 431), or null to let it through. */
export function guardApiRequest(req: Request): Response | null {
  const url = new URL(req.url);
  const requestId = requestIdFrom(req.headers.get('x-request-id'));
  if (Buffer.byteLength(url.pathname + url.search) > maxUrlBytes) {
    return errorReply('request_too_large', `The URL is longer than ${maxUrlBytes} bytes; send long filters in a POST body where the endpoint takes one.`, requestId);
  }
  const allowed = allowedMethods(url.pathname);
  if (!allowed) return errorReply('not_found', `No such endpoint: ${req.method} ${url.pathname}. See /api/v1/openapi.json for the API.`, requestId);
  if (!allowed.includes(req.method.toUpperCase())) {
    return errorReply('method_not_allowed', `${req.method} is not allowed on ${url.pathname}. Allowed: ${allowed.join(', ')}.`, requestId, {
      Allow: allowed.join(', '),
    }, { allow: allowed });
  }
  return null;
}

function errorReply(code: ApiErrorCode, message: string, requestId: string, headers: Record<string, string> = {}, details?: unknown): Response {
  return Response.json(
    { error: { code, message, ...(details === undefined ? {} : { details }) } },
    { status: errorStatuses[code], headers: { ...headers, 'X-Request-Id': requestId, 'Cache-Control': 'no-store' } },
  );
}
