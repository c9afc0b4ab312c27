import * as jobsRoute from '@/app/api/v1/jobs/route';
import * as jobRoute from '@/app/api/v1/jobs/[id]/route';
import * as logsRoute from '@/app/api/v1/jobs/[id]/logs/route';
import * as resultRoute from '@/app/api/v1/jobs/[id]/result/route';
import * as screenshotRoute from '@/app/api/v1/jobs/[id]/screenshot/route';
import * as cancelRoute from '@/app/api/v1/jobs/[id]/cancel/route';
import * as retryRoute from '@/app/api/v1/jobs/[id]/retry/route';

// Calls the real route handlers with real Requests, the way Next.js does, without a server.

type Handler = (req: Request, ctx: { params: Promise<Record<string, string>> }) => Promise<Response>;
type Module = Partial<Record<'GET' | 'POST' | 'DELETE', Handler>>;

const routes: [RegExp, Module][] = [
  [/^\/api\/v1\/jobs$/, jobsRoute as Module],
  [/^\/api\/v1\/jobs\/(?<id>[^/]+)$/, jobRoute as Module],
  [/^\/api\/v1\/jobs\/(?<id>[^/]+)\/logs$/, logsRoute as Module],
  [/^\/api\/v1\/jobs\/(?<id>[^/]+)\/result$/, resultRoute as Module],
  [/^\/api\/v1\/jobs\/(?<id>[^/]+)\/screenshot$/, screenshotRoute as Module],
  [/^\/api\/v1\/jobs\/(?<id>[^/]+)\/cancel$/, cancelRoute as Module],
  [/^\/api\/v1\/jobs\/(?<id>[^/]+)\/retry$/, retryRoute as Module],
];

export type ApiReply<T = any> = { status: number; headers: Headers; body: T; raw: Response };

export async function api<T = any>(
  method: 'GET' | 'POST' | 'DELETE',
  pathAndQuery: string,
  options: { key?: string; body?: unknown; rawBody?: string; headers?: Record<string, string> } = {},
): Promise<ApiReply<T>> {
  const url = new URL(pathAndQuery, 'http://localhost:3000');
  const match = routes.map(([re, mod]) => [re.exec(url.pathname), mod] as const).find(([m]) => m);
  if (!match) throw new Error(`No route for ${url.pathname}`);
  const [found, mod] = match;
  const handler = mod[method];
  if (!handler) throw new Error(`${method} not allowed on ${url.pathname}`);
  const headers: Record<string, string> = { ...options.headers };
  if (options.key) headers.authorization = `Bearer ${options.key}`;
  let body: string | undefined = options.rawBody;
  if (options.body !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(options.body);
  }
  const req = new Request(url, { method, headers, body });
  const res = await handler(req, { params: Promise.resolve({ ...found!.groups }) });
  const type = res.headers.get('content-type') ?? '';
  const parsed = type.includes('application/json') ? await res.clone().json() : await res.clone().text();
  return { status: res.status, headers: res.headers, body: parsed as T, raw: res };
}
