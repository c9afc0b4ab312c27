import { readdirSync } from 'node:fs';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { guardApiRequest } from '@/lib/server/api/route-table';

// The real route handlers of app/api/v1 behind a real HTTP server on 127.0.0.1, for tests of
// clients that speak HTTP (the CLI, the SDK and its live streams). Routes are found on disk the
// way Next.js maps them ([id] becomes a parameter, static segments win over dynamic ones), so a
// new route file is served without editing this table. Under /api/v1, `proxy.ts`'s guard answers
// first, as it does under `next start` (the API's JSON 404, 405 and 431); elsewhere unknown paths
// answer Next's HTML 404 and missing methods an empty 405.

export const httpMethods = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;
export type HttpMethod = (typeof httpMethods)[number];

type Handler = (req: Request, ctx: { params: Promise<Record<string, string>> }) => Promise<Response> | Response;
type RouteModule = Partial<Record<HttpMethod, Handler>>;

export type RouteFile = {
  /** Path of the route.ts file, relative to the project root. */
  file: string;
  /** The URL path in OpenAPI's notation: /api/v1/jobs/{id}. */
  template: string;
};

export type Route = RouteFile & { module: RouteModule; methods: HttpMethod[]; pattern: RegExp };

const root = process.cwd();

/** Every route.ts under `dir` with the path Next.js serves it at. */
export function findRouteFiles(dir = 'app/api/v1'): RouteFile[] {
  const found: RouteFile[] = [];
  const visit = (relative: string) => {
    for (const entry of readdirSync(path.join(root, relative), { withFileTypes: true })) {
      const child = path.posix.join(relative, entry.name);
      if (entry.isDirectory()) visit(child);
      else if (/^route\.(ts|tsx|js|mjs)$/.test(entry.name)) found.push({ file: child, template: templateOf(relative) });
    }
  };
  visit(dir);
  return found.sort((a, b) => a.template.localeCompare(b.template));
}

function templateOf(directory: string): string {
  const segments = directory
    .replace(/^app/, '')
    .split('/')
    // Route groups `(name)` and private folders do not appear in the URL.
    .filter((segment) => segment && !/^\(.*\)$/.test(segment))
    .map((segment) => segment.replace(/^\[\[?\.{0,3}(.+?)\]?\]$/, '{$1}'));
  return `/${segments.join('/')}`;
}

export async function loadRoutes(dir = 'app/api/v1'): Promise<Route[]> {
  const routes = await Promise.all(
    findRouteFiles(dir).map(async (file) => {
      const module = (await import(path.join(root, file.file))) as RouteModule;
      const methods = httpMethods.filter((method) => typeof module[method] === 'function');
      const pattern = new RegExp(`^${file.template.replace(/[.]/g, '\\.').replace(/\{(\w+)\}/g, '(?<$1>[^/]+)')}$`);
      return { ...file, module, methods, pattern };
    }),
  );
  // Static segments first: /api/v1/jobs/counts is not the job "counts".
  const weight = (template: string) => template.split('/').map((segment) => (segment.startsWith('{') ? '1' : '0')).join('');
  return routes.sort((a, b) => weight(a.template).localeCompare(weight(b.template)) || a.template.localeCompare(b.template));
}

/** Answers one Request through the route table, as Next.js would. */
export async function dispatch(routes: Route[], req: Request): Promise<Response> {
  const { pathname } = new URL(req.url);
  const guarded = pathname.startsWith('/api/v1/') ? guardApiRequest(req) : null;
  if (guarded) return guarded;
  for (const route of routes) {
    const match = route.pattern.exec(pathname);
    if (!match) continue;
    const method = req.method.toUpperCase() as HttpMethod;
    const handler = route.module[method] ?? (method === 'HEAD' ? route.module.GET : undefined);
    if (!handler) {
      const allow = route.methods.join(', ');
      if (method === 'OPTIONS') return new Response(null, { status: 204, headers: { Allow: allow } });
      return new Response(null, { status: 405, headers: { Allow: allow } });
    }
    const params = Object.fromEntries(Object.entries(match.groups ?? {}).map(([name, value]) => [name, decodeSegment(value)]));
    const response = await handler(req, { params: Promise.resolve(params) });
    return method === 'HEAD' ? new Response(null, { status: response.status, headers: response.headers }) : response;
  }
  return new Response('<!DOCTYPE html><html><head><title>404: This page could not be found.</title></head><body></body></html>', {
    status: 404,
    headers: { 'content-type': 'text/html; charset=utf-8' },
  });
}

/** A path segment decoded as Next does; one that is not valid percent-encoded UTF-8 stays as sent. */
function decodeSegment(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

export type ApiServer = { url: string; routes: Route[]; close(): Promise<void> };

/** `without`: route templates to leave out, to stand in for a server that predates them. */
export async function startApiServer({ without = [] }: { without?: string[] } = {}): Promise<ApiServer> {
  const routes = (await loadRoutes()).filter((route) => !without.includes(route.template));
  // The header limit `npm run dev`/`npm start` give Next (scripts/run.ts), so long URLs reach the guard.
  const server = http.createServer({ maxHeaderSize: 65536 }, (req, res) => {
    serve(routes, req, res).catch((error) => {
      console.error('[http-server]', error);
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end('Internal Server Error');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    routes,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function serve(routes: Route[], req: IncomingMessage, res: ServerResponse): Promise<void> {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
  }
  let body: Buffer | undefined;
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    body = Buffer.concat(chunks);
  }
  // A client that goes away aborts the request and cancels the reply's body, as under `next
  // start`: a live stream then stops (its subscriptions end) instead of writing to nobody.
  const gone = new AbortController();
  res.on('close', () => gone.abort());
  const request = new Request(`http://${req.headers.host ?? '127.0.0.1'}${req.url ?? '/'}`, {
    method: req.method,
    headers,
    body: body && new Uint8Array(body),
    signal: gone.signal,
  });
  const response = await dispatch(routes, request);

  const outgoing: Record<string, string | string[]> = {};
  response.headers.forEach((value, name) => {
    if (name !== 'set-cookie') outgoing[name] = value;
  });
  const cookies = response.headers.getSetCookie();
  if (cookies.length) outgoing['set-cookie'] = cookies;
  res.writeHead(response.status, outgoing);
  if (response.body) {
    const reader = response.body.getReader();
    const cancel = () => void reader.cancel().catch(() => undefined);
    if (gone.signal.aborted) cancel();
    else gone.signal.addEventListener('abort', cancel, { once: true });
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) res.write(chunk.value);
  }
  res.end();
}
