import { waitFor } from '@/tests/helpers/worker';
import * as jobsRoute from '@/app/api/v1/jobs/route';
import * as jobRoute from '@/app/api/v1/jobs/[id]/route';
import * as logsRoute from '@/app/api/v1/jobs/[id]/logs/route';
import * as resultRoute from '@/app/api/v1/jobs/[id]/result/route';
import * as screenshotRoute from '@/app/api/v1/jobs/[id]/screenshot/route';
import * as cancelRoute from '@/app/api/v1/jobs/[id]/cancel/route';
import * as retryRoute from '@/app/api/v1/jobs/[id]/retry/route';
import * as countsRoute from '@/app/api/v1/jobs/counts/route';
import * as exportRoute from '@/app/api/v1/jobs/export/route';
import * as bulkDeleteRoute from '@/app/api/v1/jobs/delete/route';
import * as accountRoute from '@/app/api/v1/account/route';
import * as keysRoute from '@/app/api/v1/keys/route';
import * as keyRoute from '@/app/api/v1/keys/[id]/route';
import * as creditsRoute from '@/app/api/v1/credits/route';
import * as statsRoute from '@/app/api/v1/stats/route';
import * as queueStatsRoute from '@/app/api/v1/stats/queue/route';
import * as scrapeRoute from '@/app/api/v1/scrape/route';
import * as storageRoute from '@/app/api/v1/storage/route';
import * as jobDefaultsRoute from '@/app/api/v1/preferences/job-defaults/route';
import * as healthRoute from '@/app/api/health/route';
import * as adminJobsRoute from '@/app/api/v1/admin/jobs/route';
import * as adminBulkRoute from '@/app/api/v1/admin/jobs/bulk/route';
import * as adminAuditRoute from '@/app/api/v1/admin/audit/route';
import * as adminOverviewRoute from '@/app/api/v1/admin/overview/route';
import * as webhooksRoute from '@/app/api/v1/webhooks/route';
import * as webhookRoute from '@/app/api/v1/webhooks/[id]/route';
import * as webhookSecretRoute from '@/app/api/v1/webhooks/[id]/secret/route';
import * as accountWebhookSecretRoute from '@/app/api/v1/webhooks/secret/route';
import * as redeliverRoute from '@/app/api/v1/webhooks/deliveries/[id]/redeliver/route';
import * as jobWebhooksRoute from '@/app/api/v1/jobs/[id]/webhooks/route';
import * as batchesRoute from '@/app/api/v1/batches/route';
import * as batchRoute from '@/app/api/v1/batches/[id]/route';
import * as batchCancelRoute from '@/app/api/v1/batches/[id]/cancel/route';
import * as eventsRoute from '@/app/api/v1/events/route';
import * as jobStreamRoute from '@/app/api/v1/jobs/[id]/stream/route';
import * as batchStreamRoute from '@/app/api/v1/batches/[id]/stream/route';
import * as accountStreamRoute from '@/app/api/v1/jobs/stream/route';
import * as webhookTestRoute from '@/app/api/v1/webhooks/[id]/test/route';
import * as webhookRotateRoute from '@/app/api/v1/webhooks/[id]/secret/rotate/route';
import * as accountWebhookRotateRoute from '@/app/api/v1/webhooks/secret/rotate/route';
import * as schedulesRoute from '@/app/api/v1/schedules/route';
import * as scheduleRoute from '@/app/api/v1/schedules/[id]/route';
import * as schedulePauseRoute from '@/app/api/v1/schedules/[id]/pause/route';
import * as scheduleResumeRoute from '@/app/api/v1/schedules/[id]/resume/route';
import * as scheduleRunsRoute from '@/app/api/v1/schedules/[id]/runs/route';
import * as crawlsRoute from '@/app/api/v1/crawls/route';
import * as crawlRoute from '@/app/api/v1/crawls/[id]/route';
import * as crawlCancelRoute from '@/app/api/v1/crawls/[id]/cancel/route';
import * as crawlPagesRoute from '@/app/api/v1/crawls/[id]/pages/route';
import { testSessionHeader } from './session';

// Calls the real route handlers with real Requests, the way Next.js does, without a server.

type Handler = (req: Request, ctx: { params: Promise<Record<string, string>> }) => Promise<Response>;
type Method = 'GET' | 'POST' | 'PUT' | 'DELETE' | 'PATCH';
type Module = Partial<Record<Method, Handler>>;

// Static segments first, as Next.js matches them before [id].
const routes: [RegExp, Module][] = [
  [/^\/api\/v1\/jobs$/, jobsRoute as Module],
  [/^\/api\/v1\/jobs\/counts$/, countsRoute as Module],
  [/^\/api\/v1\/jobs\/export$/, exportRoute as Module],
  [/^\/api\/v1\/jobs\/delete$/, bulkDeleteRoute as Module],
  [/^\/api\/v1\/jobs\/stream$/, accountStreamRoute as Module],
  [/^\/api\/v1\/jobs\/(?<id>[^/]+)\/stream$/, jobStreamRoute as Module],
  [/^\/api\/v1\/batches\/(?<id>[^/]+)\/stream$/, batchStreamRoute as Module],
  [/^\/api\/v1\/jobs\/(?<id>[^/]+)$/, jobRoute as Module],
  [/^\/api\/v1\/jobs\/(?<id>[^/]+)\/logs$/, logsRoute as Module],
  [/^\/api\/v1\/jobs\/(?<id>[^/]+)\/result$/, resultRoute as Module],
  [/^\/api\/v1\/jobs\/(?<id>[^/]+)\/screenshot$/, screenshotRoute as Module],
  [/^\/api\/v1\/jobs\/(?<id>[^/]+)\/cancel$/, cancelRoute as Module],
  [/^\/api\/v1\/jobs\/(?<id>[^/]+)\/retry$/, retryRoute as Module],
  [/^\/api\/v1\/account$/, accountRoute as Module],
  [/^\/api\/v1\/keys$/, keysRoute as Module],
  [/^\/api\/v1\/keys\/(?<id>[^/]+)$/, keyRoute as Module],
  [/^\/api\/v1\/credits$/, creditsRoute as Module],
  [/^\/api\/v1\/stats$/, statsRoute as Module],
  [/^\/api\/v1\/stats\/queue$/, queueStatsRoute as Module],
  [/^\/api\/v1\/scrape$/, scrapeRoute as Module],
  [/^\/api\/v1\/storage$/, storageRoute as Module],
  [/^\/api\/v1\/preferences\/job-defaults$/, jobDefaultsRoute as Module],
  [/^\/api\/health$/, healthRoute as Module],
  [/^\/api\/v1\/admin\/jobs$/, adminJobsRoute as Module],
  [/^\/api\/v1\/admin\/jobs\/bulk$/, adminBulkRoute as Module],
  [/^\/api\/v1\/admin\/audit$/, adminAuditRoute as Module],
  [/^\/api\/v1\/admin\/overview$/, adminOverviewRoute as Module],
  [/^\/api\/v1\/webhooks$/, webhooksRoute as Module],
  [/^\/api\/v1\/webhooks\/secret$/, accountWebhookSecretRoute as Module],
  [/^\/api\/v1\/webhooks\/secret\/rotate$/, accountWebhookRotateRoute as Module],
  [/^\/api\/v1\/events$/, eventsRoute as Module],
  [/^\/api\/v1\/webhooks\/deliveries\/(?<id>[^/]+)\/redeliver$/, redeliverRoute as Module],
  [/^\/api\/v1\/webhooks\/(?<id>[^/]+)$/, webhookRoute as Module],
  [/^\/api\/v1\/webhooks\/(?<id>[^/]+)\/secret$/, webhookSecretRoute as Module],
  [/^\/api\/v1\/webhooks\/(?<id>[^/]+)\/secret\/rotate$/, webhookRotateRoute as Module],
  [/^\/api\/v1\/webhooks\/(?<id>[^/]+)\/test$/, webhookTestRoute as Module],
  [/^\/api\/v1\/jobs\/(?<id>[^/]+)\/webhooks$/, jobWebhooksRoute as Module],
  [/^\/api\/v1\/batches$/, batchesRoute as Module],
  [/^\/api\/v1\/batches\/(?<id>[^/]+)$/, batchRoute as Module],
  [/^\/api\/v1\/batches\/(?<id>[^/]+)\/cancel$/, batchCancelRoute as Module],
  [/^\/api\/v1\/schedules$/, schedulesRoute as Module],
  [/^\/api\/v1\/schedules\/(?<id>[^/]+)$/, scheduleRoute as Module],
  [/^\/api\/v1\/schedules\/(?<id>[^/]+)\/pause$/, schedulePauseRoute as Module],
  [/^\/api\/v1\/schedules\/(?<id>[^/]+)\/resume$/, scheduleResumeRoute as Module],
  [/^\/api\/v1\/schedules\/(?<id>[^/]+)\/runs$/, scheduleRunsRoute as Module],
  [/^\/api\/v1\/crawls$/, crawlsRoute as Module],
  [/^\/api\/v1\/crawls\/(?<id>[^/]+)$/, crawlRoute as Module],
  [/^\/api\/v1\/crawls\/(?<id>[^/]+)\/cancel$/, crawlCancelRoute as Module],
  [/^\/api\/v1\/crawls\/(?<id>[^/]+)\/pages$/, crawlPagesRoute as Module],
];

export type ApiReply<T = any> = { status: number; headers: Headers; body: T; raw: Response };

export async function api<T = any>(
  method: Method,
  pathAndQuery: string,
  /** `session`: act as this account's signed-in dashboard user (see tests/helpers/session.ts). */
  options: { key?: string; session?: string; body?: unknown; rawBody?: string; headers?: Record<string, string> } = {},
): Promise<ApiReply<T>> {
  const url = new URL(pathAndQuery, 'http://localhost:3000');
  const match = routes.map(([re, mod]) => [re.exec(url.pathname), mod] as const).find(([m]) => m);
  if (!match) throw new Error(`No route for ${url.pathname}`);
  const [found, mod] = match;
  const handler = mod[method];
  if (!handler) throw new Error(`${method} not allowed on ${url.pathname}`);
  const headers: Record<string, string> = { ...options.headers };
  if (options.key) headers.authorization = `Bearer ${options.key}`;
  if (options.session) headers[testSessionHeader] = options.session;
  let body: string | undefined = options.rawBody;
  if (options.body !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(options.body);
  }
  const req = new Request(url, { method, headers, body });
  const res = await handler(req, { params: Promise.resolve({ ...found!.groups }) });
  const type = res.headers.get('content-type') ?? '';
  // A live stream may never end: its events are read with tests/helpers/sse.ts instead.
  if (type.includes('text/event-stream')) {
    await res.body?.cancel();
    return { status: res.status, headers: res.headers, body: '' as T, raw: res };
  }
  const parsed = type.includes('application/json') ? await res.clone().json() : await res.clone().text();
  return { status: res.status, headers: res.headers, body: parsed as T, raw: res };
}

/** Polls GET /api/v1/jobs/{id} until the job is in one of `statuses`; returns it. */
export async function waitForStatus(id: string, key: string, statuses: string[]) {
  return waitFor(async () => {
    const { body } = await api('GET', `/api/v1/jobs/${id}`, { key });
    return statuses.includes(body.status) ? body : undefined;
  }, { what: `job ${id} to reach ${statuses.join('/')}` });
}
