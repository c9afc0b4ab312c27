import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, expectTypeOf, it, vi } from 'vitest';
import type { z } from 'zod';
import * as openApiRoute from '@/app/api/v1/openapi.json/route';
import { resetEnvCache } from '@/lib/env';
import { openApiDocument, paths } from '@/lib/openapi/document';
import type { JobListResponse, JobResponse, JobSummaryResponse } from '@/lib/schemas/responses';
import type { JobJson, JobSummaryJson } from '@/lib/server/jobs/serialize';
import { startFixtureServer, type FixtureServer } from '@/tests/fixtures/server';
import { createTestAccount } from '@/tests/helpers/accounts';
import { createTestAdmin } from '@/tests/helpers/admin';
import { api, type ApiReply } from '@/tests/helpers/api';
import { createTestDatabase } from '@/tests/helpers/database';
import { loadRoutes } from '@/tests/helpers/http-server';
import { startTestWorker, waitFor } from '@/tests/helpers/worker';
import type { RunningWorker } from '@/workers/worker';

// The OpenAPI document against the code: every route file and method is documented, and every
// documented response is provoked from the real handler (a real worker runs the jobs) and its
// reply validated twice: against the zod schema the document was generated from, and against
// the generated JSON Schema in the document itself (ajv, draft 2020-12).

vi.mock('@/lib/server/session', () => import('@/tests/helpers/session'));
// The web side judges webhook URLs by the same allow-list as the test worker (lib/egress.ts).
process.env.EGRESS_ALLOWLIST = '127.0.0.1/32';

type Method = 'GET' | 'POST' | 'PUT' | 'DELETE' | 'PATCH';
type Operation = { operationId: string; responses: Record<string, { content?: Record<string, { schema?: unknown; example?: unknown; examples?: Record<string, { value: unknown }> }> }>; security?: unknown[]; requestBody?: { content: Record<string, { schema?: unknown; examples?: Record<string, { value: unknown }> }> } };

const document = openApiDocument();
const documentPaths = document.paths as Record<string, Record<string, Operation>>;

/**
 * Responses no test can provoke without breaking the server: an unexpected error's 500 (its
 * shape is the one every other error has), the database being away (503; tests/faults restarts
 * Postgres to provoke it), and a delete that loses a race to a concurrent delete.
 */
const notProvoked = (key: string) =>
  key.endsWith(' 500') || key.endsWith(' 503') || key === 'DELETE /api/v1/jobs/{id} 409' || key === 'GET /api/v1/openapi.json 4XX';

const ajv = new Ajv2020({ strict: false, allErrors: true, validateSchema: false });
addFormats(ajv);
ajv.addSchema(document as object, 'openapi');
const validators = new Map<string, ValidateFunction>();

function schemaErrors(validate: ValidateFunction, value: unknown): string[] {
  if (validate(value)) return [];
  return (validate.errors ?? []).map((error) => `${error.instancePath || '/'} ${error.message} ${JSON.stringify(error.params)}`);
}

function pointer(...segments: string[]): string {
  return `openapi#/${segments.map((segment) => segment.replace(/~/g, '~0').replace(/\//g, '~1')).join('/')}`;
}

function jsonSchemaValidator(ref: string): ValidateFunction {
  let validate = validators.get(ref);
  if (!validate) {
    validate = ajv.compile({ $ref: ref });
    validators.set(ref, validate);
  }
  return validate;
}

const observed = new Set<string>();

/** Checks one reply against the document: its status is documented, and its body matches both schemas. */
function expectDocumented(method: Method, template: string, reply: ApiReply) {
  const key = `${method} ${template} ${reply.status}`;
  const operation = documentPaths[template]?.[method.toLowerCase()];
  expect(operation, `${method} ${template} is not documented`).toBeDefined();
  const response = operation.responses[String(reply.status)];
  expect(response, `${key} is not documented (body: ${JSON.stringify(reply.body).slice(0, 300)})`).toBeDefined();
  if (!response.content) {
    // A reply documented without content (a 304) has no body.
    expect(reply.body, `${key} has a body its document does not describe`).toBe('');
    observed.add(key);
    return reply;
  }
  const contentType = (reply.headers.get('content-type') ?? '').split(';')[0].trim();
  const mediaType = Object.keys(response.content ?? {}).find((type) => type === contentType || type === '*/*');
  expect(mediaType, `${key} answered ${contentType}, which is not documented`).toBeDefined();

  if (mediaType === 'application/json') {
    const validate = jsonSchemaValidator(pointer('paths', template, method.toLowerCase(), 'responses', String(reply.status), 'content', mediaType, 'schema'));
    expect(schemaErrors(validate, reply.body), `${key}: the reply does not match the document's JSON Schema`).toEqual([]);
    const zodSchema = (paths[template] as Record<string, { responses: Record<string, { content: Record<string, { schema: z.ZodType }> }> }>)[
      method.toLowerCase()
    ].responses[String(reply.status)].content[mediaType].schema;
    const parsed = zodSchema.safeParse(reply.body);
    expect(parsed.success ? [] : parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`), `${key}: the reply does not match the zod schema`).toEqual([]);
  }
  observed.add(key);
  return reply;
}

async function call(method: Method, template: string, options: Parameters<typeof api>[2] & { id?: string; query?: string } = {}) {
  const path = template.replace('{id}', options.id ?? randomUUID()) + (options.query ? `?${options.query}` : '');
  return expectDocumented(method, template, await api(method, path, options));
}

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let fixture: FixtureServer;
let worker: RunningWorker;
let main: Awaited<ReturnType<typeof createTestAccount>>;
let other: Awaited<ReturnType<typeof createTestAccount>>;

beforeAll(async () => {
  database = await createTestDatabase();
  fixture = await startFixtureServer();
  worker = await startTestWorker(database.url);
  [main, other] = await Promise.all([createTestAccount(database.db, { credits: 100 }), createTestAccount(database.db, { credits: 10 })]);
});

afterAll(async () => {
  await worker?.stop();
  await fixture?.close();
  await database?.close();
});

async function submitAndWait(secret: string, body: Record<string, unknown>, statuses = ['completed', 'failed']): Promise<JobResponse> {
  const submitted = await call('POST', '/api/v1/jobs', { key: secret, body });
  expect(submitted.status).toBe(202);
  return waitFor(async () => {
    const { body: job } = await api<JobResponse>('GET', `/api/v1/jobs/${submitted.body.id}`, { key: secret });
    return statuses.includes(job.status) ? job : undefined;
  }, { what: `job ${submitted.body.id} to finish`, timeoutMs: 30_000 });
}

describe('the OpenAPI document', () => {
  it('documents every route file under app/api/v1 and every method it exports, and nothing else', async () => {
    const routes = await loadRoutes();
    const implemented = routes.flatMap((route) => route.methods.map((method) => `${method} ${route.template}`)).sort();
    const documented = Object.entries(documentPaths)
      .flatMap(([template, item]) => Object.keys(item).map((method) => `${method.toUpperCase()} ${template}`))
      .sort();
    expect(routes.length).toBeGreaterThan(10);
    expect(documented).toEqual(implemented);
  });

  it('is OpenAPI 3.1 with unique operation ids, bearer auth, and the warning about URLs in logs', () => {
    expect(document.openapi).toBe('3.1.0');
    const ids = Object.values(documentPaths).flatMap((item) => Object.values(item).map((operation) => operation.operationId));
    expect(new Set(ids).size).toBe(ids.length);
    expect(document.components?.securitySchemes?.apiKey).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(document.info.description).toContain('does not sanitize URLs');
    for (const [template, item] of Object.entries(documentPaths)) {
      for (const name of template.match(/\{(\w+)\}/g) ?? []) {
        for (const operation of Object.values(item)) {
          const parameters = (operation as { parameters?: { in: string; name: string }[] }).parameters ?? [];
          expect(parameters, `${template} declares ${name}`).toContainEqual(expect.objectContaining({ in: 'path', name: name.slice(1, -1) }));
        }
      }
    }
  });

  it('shows only examples that match their schemas', () => {
    let checked = 0;
    for (const [template, item] of Object.entries(documentPaths)) {
      for (const [method, operation] of Object.entries(item)) {
        const media = [
          ...Object.entries(operation.requestBody?.content ?? {}).map(([type, value]) => [['requestBody', 'content', type], value] as const),
          ...Object.entries(operation.responses).flatMap(([status, response]) =>
            Object.entries(response.content ?? {}).map(([type, value]) => [['responses', status, 'content', type], value] as const),
          ),
        ];
        for (const [at, value] of media) {
          const examples = Object.entries(value.examples ?? {}).map(([name, example]) => [name, example.value] as const);
          if (!value.schema || !at.at(-1)!.includes('json')) continue;
          const validate = jsonSchemaValidator(pointer('paths', template, method, ...at, 'schema'));
          for (const [name, example] of examples) {
            expect(schemaErrors(validate, example), `${method} ${template} ${at.join(' ')} example ${name}`).toEqual([]);
            checked += 1;
          }
        }
      }
    }
    expect(checked).toBeGreaterThan(40);
  });

  it('passes `redocly lint` (recommended-strict) with no errors and no warnings, offline', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'scrapifie-openapi-'));
    try {
      const file = path.join(dir, 'openapi.json');
      writeFileSync(file, JSON.stringify(document));
      const cli = path.join(process.cwd(), 'node_modules/@redocly/cli/bin/cli.js');
      const run = await promisify(execFile)(process.execPath, [cli, 'lint', file, '--config', 'lib/openapi/redocly.yaml', '--format', 'json'], {
        env: { NODE_ENV: 'test', PATH: process.env.PATH ?? '', HOME: dir, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' },
      }).catch((error: { stdout?: string; stderr?: string }) => ({ stdout: error.stdout ?? '', stderr: error.stderr ?? '' }));
      const report = JSON.parse(run.stdout) as { totals: { errors: number; warnings: number }; problems: { ruleId: string; message: string }[] };
      expect(report.problems.map((problem) => `${problem.ruleId}: ${problem.message}`)).toEqual([]);
      expect(report.totals).toMatchObject({ errors: 0, warnings: 0 });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('is exact where generators need it: page sizes, dates, typed error details, named replies, headers, event payloads', () => {
    const listParameters = (documentPaths['/api/v1/jobs'].get as unknown as { parameters: { name: string; in: string; description?: string; schema: Record<string, unknown> }[] }).parameters;
    const parameter = (name: string) => listParameters.find((p) => p.name === name)!;
    expect(parameter('size').schema).toMatchObject({ type: 'integer', enum: [25, 50, 100] });
    expect(parameter('from').schema).toMatchObject({ type: 'string', format: 'date' });
    // Every query parameter of every operation says what it does.
    for (const [template, item] of Object.entries(documentPaths)) {
      for (const [method, operation] of Object.entries(item)) {
        for (const p of (operation as unknown as { parameters?: { in?: string; name?: string; description?: string }[] }).parameters ?? []) {
          if (p.in === 'query') expect(p.description, `${method} ${template} ?${p.name}`).toBeTruthy();
        }
      }
    }

    const schemas = document.components!.schemas as Record<string, { properties?: Record<string, { properties?: Record<string, unknown>; $ref?: string }>; required?: string[] }>;
    for (const name of ['Batch', 'BatchList', 'WebhookEndpoint', 'WebhookDelivery', 'JobEvent', 'BatchCompletedEvent', 'Job', 'Credits', 'Stats', 'QueueStats']) {
      expect(schemas[name], name).toBeDefined();
    }
    expect(Object.keys(schemas).filter((name) => name.endsWith('Output') || name.startsWith('__'))).toEqual([]);
    // Enum-keyed objects list their keys.
    expect(Object.keys(schemas.Credits.properties!.prices.properties!)).toEqual(['http', 'browser', 'stealth']);
    // Error details per code.
    const errorOf = (name: string) => schemas[name].properties!.error as unknown as { properties: Record<string, { $ref?: string; const?: string }>; required: string[] };
    expect(errorOf('ValidationError').required).toContain('details');
    expect(schemas.ValidationErrorDetails.required).toEqual(['fields']);
    expect(Object.keys(schemas.InsufficientCreditsErrorDetails.properties!)).toEqual(['required', 'available', 'balance']);
    expect(schemas.RateLimitedErrorDetails.required).toEqual(['retryAfterSeconds']);
    expect(errorOf('NotFoundError').properties.details).toBeUndefined();
    const submit = documentPaths['/api/v1/jobs'].post as unknown as { responses: Record<string, { headers: Record<string, { $ref: string }>; content: Record<string, { schema: unknown }> }> };
    expect(submit.responses['402'].content['application/json'].schema).toEqual({ $ref: '#/components/schemas/InsufficientCreditsError' });

    // Headers, declared once.
    expect(Object.keys(document.components!.headers!)).toEqual(expect.arrayContaining(['X-Request-Id', 'Idempotent-Replayed', 'Retry-After', 'X-RateLimit-Limit', 'X-RateLimit-Remaining', 'X-RateLimit-Reset']));
    expect(submit.responses['202'].headers).toMatchObject({
      'Idempotent-Replayed': { $ref: '#/components/headers/Idempotent-Replayed' },
      'X-Request-Id': { $ref: '#/components/headers/X-Request-Id' },
      'X-RateLimit-Remaining': { $ref: '#/components/headers/X-RateLimit-Remaining' },
    });
    expect(submit.responses['429'].headers['Retry-After']).toEqual({ $ref: '#/components/headers/Retry-After' });

    // Real media types, and the events a receiver gets.
    expect(Object.keys(documentPaths['/api/v1/jobs/{id}/result'].get.responses['200'].content!)).toEqual(['text/html', 'text/markdown', 'text/plain', 'application/json', '*/*']);
    expect(Object.keys(documentPaths['/api/v1/jobs/{id}/screenshot'].get.responses['200'].content!)).toEqual(['image/png']);
    expect(Object.keys(document.webhooks ?? {})).toEqual(['job.started', 'job.completed', 'job.failed', 'job.cancelled', 'job.expired', 'batch.completed', 'crawl.completed', 'crawl.cancelled', 'job.changed']);
    // The bodies are what a receiver gets: the job with its result, the batch exactly as GET /api/v1/batches/{id} returns it.
    expect(schemas.JobEvent.required).toEqual(expect.arrayContaining(['id', 'type', 'createdAt', 'sequence', 'data']));
    expect(schemas.JobEvent.properties!.data.$ref).toBe('#/components/schemas/WebhookJobData');
    expect(schemas.BatchCompletedEvent.properties!.data.$ref).toBe('#/components/schemas/Batch');
  });

  it('has response schemas with exactly the fields the serializers produce', () => {
    expectTypeOf<keyof JobJson>().toEqualTypeOf<keyof JobResponse>();
    expectTypeOf<keyof JobSummaryJson>().toEqualTypeOf<keyof JobSummaryResponse>();
    expectTypeOf<keyof JobJson['attemptHistory'][number]>().toEqualTypeOf<keyof JobResponse['attemptHistory'][number]>();
  });

  it('is served at /api/v1/openapi.json without a key, cacheable', async () => {
    const response = await openApiRoute.GET(new Request('http://localhost:3000/api/v1/openapi.json'));
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toContain('public');
    expect(await response.json()).toEqual(JSON.parse(JSON.stringify(document)));
    observed.add('GET /api/v1/openapi.json 200');
  });
});

describe('every documented response is what the route returns', () => {
  it('jobs: submit, read, logs, result, retry, cancel and their errors', async () => {
    const done = await submitAndWait(main.secret, { url: `${fixture.url}/page`, format: 'markdown' });
    expect(done.status).toBe('completed');
    const read = await call('GET', '/api/v1/jobs/{id}', { key: main.secret, id: done.id });
    await call('GET', '/api/v1/jobs/{id}', { key: main.secret, id: done.id, headers: { 'If-None-Match': read.headers.get('etag')! } });
    const logs = await call('GET', '/api/v1/jobs/{id}/logs', { key: main.secret, id: done.id });
    await call('GET', '/api/v1/jobs/{id}/logs', { key: main.secret, id: done.id, headers: { 'If-None-Match': logs.headers.get('etag')! } });
    await call('GET', '/api/v1/jobs', { key: main.secret, query: 'status=completed' });
    await call('GET', '/api/v1/jobs', { key: main.secret, query: 'size=7' });
    await call('GET', '/api/v1/jobs/{id}/logs', { key: main.secret, id: done.id });
    await call('GET', '/api/v1/jobs/{id}/logs', { key: main.secret, id: done.id, query: 'after=-1' });
    await call('GET', '/api/v1/jobs/{id}/result', { key: main.secret, id: done.id });
    await call('GET', '/api/v1/jobs/{id}/screenshot', { key: main.secret, id: done.id });
    await call('POST', '/api/v1/jobs/{id}/cancel', { key: main.secret, id: done.id });
    const retried = await call('POST', '/api/v1/jobs/{id}/retry', { key: main.secret, id: done.id });
    expect(retried.status).toBe(201);

    const failed = await submitAndWait(main.secret, { url: `${fixture.url}/status/404` });
    expect(failed.status).toBe('failed');
    await call('GET', '/api/v1/jobs/{id}', { key: main.secret, id: failed.id });
    await call('GET', '/api/v1/jobs/{id}/result', { key: main.secret, id: failed.id });

    // An active job: it cannot be retried, and a cancel replies with the cancelled job.
    const slow = await call('POST', '/api/v1/jobs', { key: main.secret, body: { url: `${fixture.url}/slow?ms=5000` } });
    expect((await call('POST', '/api/v1/jobs/{id}/retry', { key: main.secret, id: slow.body.id })).status).toBe(409);
    expect((await call('POST', '/api/v1/jobs/{id}/cancel', { key: main.secret, id: slow.body.id })).body.status).toBe('cancelled');

    await call('POST', '/api/v1/jobs', { key: main.secret, body: { url: 'ftp://example.com', timeoutMs: 5 } });
    await call('POST', '/api/v1/jobs', { key: main.secret, rawBody: JSON.stringify({ url: 'x'.repeat(2 * 1024 * 1024 + 1) }), headers: { 'content-type': 'application/json' } });
  });

  it('a Browser job with a screenshot', async () => {
    const job = await submitAndWait(main.secret, { url: `${fixture.url}/page`, engine: 'browser', screenshot: true });
    expect(job.status).toBe('completed');
    const screenshot = await call('GET', '/api/v1/jobs/{id}/screenshot', { key: main.secret, id: job.id });
    expect(screenshot.headers.get('content-type')).toBe('image/png');
  });

  it('another account’s job, an unknown job and a deleted job', async () => {
    const jobRoutes: [Method, string][] = [
      ['GET', '/api/v1/jobs/{id}'],
      ['GET', '/api/v1/jobs/{id}/logs'],
      ['GET', '/api/v1/jobs/{id}/result'],
      ['GET', '/api/v1/jobs/{id}/screenshot'],
      ['POST', '/api/v1/jobs/{id}/cancel'],
      ['POST', '/api/v1/jobs/{id}/retry'],
      ['DELETE', '/api/v1/jobs/{id}'],
      ['GET', '/api/v1/jobs/{id}/webhooks'],
    ];
    const { body: theirs } = await api('POST', '/api/v1/jobs', { key: other.secret, body: { url: `${fixture.url}/page` } });
    const { body: mine } = await api('POST', '/api/v1/jobs', { key: main.secret, body: { url: `${fixture.url}/page` } });
    for (const [method, template] of jobRoutes) {
      expect((await call(method, template, { key: main.secret, id: theirs.id })).status).toBe(403);
      expect((await call(method, template, { key: main.secret })).status).toBe(404);
    }
    expect((await call('DELETE', '/api/v1/jobs/{id}', { key: main.secret, id: mine.id })).status).toBe(200);
    for (const [method, template] of jobRoutes) {
      expect((await call(method, template, { key: main.secret, id: mine.id })).status).toBe(410);
    }
  });

  it('insufficient credits, and a dashboard session without an active key', async () => {
    const poor = await createTestAccount(database.db, { credits: 1 });
    const job = await submitAndWait(poor.secret, { url: `${fixture.url}/page` });
    expect((await call('POST', '/api/v1/jobs', { key: poor.secret, body: { url: `${fixture.url}/page` } })).status).toBe(402);
    expect((await call('POST', '/api/v1/jobs/{id}/retry', { key: poor.secret, id: job.id })).status).toBe(402);

    await database.client`UPDATE api_keys SET revoked_at = now() WHERE account_id = ${poor.account.id}`;
    expect((await call('POST', '/api/v1/jobs', { session: poor.account.id, body: { url: `${fixture.url}/page` } })).status).toBe(409);
  });

  it('counts, bulk delete, export, stats and storage', async () => {
    await call('GET', '/api/v1/jobs/counts', { key: main.secret });
    await call('GET', '/api/v1/jobs/counts', { key: main.secret, query: 'from=2026-02-30' });
    await call('POST', '/api/v1/jobs/delete', { key: main.secret, body: { to: '2000-01-01', dryRun: true } });
    await call('POST', '/api/v1/jobs/delete', { key: main.secret, body: { to: '2000-01-01' } });
    await call('POST', '/api/v1/jobs/delete', { key: main.secret, body: { status: 'bogus' } });
    await call('POST', '/api/v1/jobs/delete', { key: main.secret, rawBody: `{"q":"${'x'.repeat(2 * 1024 * 1024)}"}`, headers: { 'content-type': 'application/json' } });

    const exporter = await createTestAccount(database.db, { credits: 10 });
    await submitAndWait(exporter.secret, { url: `${fixture.url}/page` });
    await call('GET', '/api/v1/jobs/export', { key: exporter.secret, query: 'count=true' });
    await call('GET', '/api/v1/jobs/export', { key: exporter.secret, query: 'format=xml' });
    const csv = await call('GET', '/api/v1/jobs/export', { key: exporter.secret, query: 'format=csv' });
    expect(csv.body).toContain('Job ID,Status');
    const json = await call('GET', '/api/v1/jobs/export', { key: exporter.secret, query: 'format=json' });
    expect(json.body).toHaveLength(1);
    for (let n = 0; n < 3; n += 1) await api('GET', '/api/v1/jobs/export?format=csv', { key: exporter.secret });
    expect((await call('GET', '/api/v1/jobs/export', { key: exporter.secret, query: 'format=csv' })).status).toBe(429);

    await call('GET', '/api/v1/stats', { key: main.secret });
    await call('GET', '/api/v1/stats', { key: main.secret, query: 'tz=99999' });
    await call('GET', '/api/v1/storage', { key: main.secret });
  });

  it('account, credits, keys and saved defaults', async () => {
    const owner = await createTestAccount(database.db, { credits: 5 });
    await call('GET', '/api/v1/account', { key: owner.secret });
    await call('GET', '/api/v1/credits', { key: owner.secret });
    await call('GET', '/api/v1/credits', { key: owner.secret, query: 'size=7' });

    await call('GET', '/api/v1/keys', { key: owner.secret });
    await call('POST', '/api/v1/keys', { key: owner.secret, body: { name: 'CI' } });
    const created = await call('POST', '/api/v1/keys', { session: owner.account.id, body: { name: 'CI', kind: 'test' } });
    expect(created.status).toBe(201);
    await call('POST', '/api/v1/keys', { session: owner.account.id, body: { name: '' } });
    await call('POST', '/api/v1/keys', { session: owner.account.id, rawBody: `{"name":"${'x'.repeat(2 * 1024 * 1024)}"}`, headers: { 'content-type': 'application/json' } });
    await call('GET', '/api/v1/keys/{id}', { key: owner.secret, id: created.body.id });
    await call('GET', '/api/v1/keys/{id}', { key: owner.secret });
    await call('DELETE', '/api/v1/keys/{id}', { key: owner.secret, id: created.body.id });
    await call('DELETE', '/api/v1/keys/{id}', { key: owner.secret });

    await call('GET', '/api/v1/preferences/job-defaults', { key: owner.secret });
    await call('PUT', '/api/v1/preferences/job-defaults', { key: owner.secret, body: { engine: 'browser', format: 'markdown', proxyCountry: 'US' } });
    await call('GET', '/api/v1/preferences/job-defaults', { key: owner.secret });
    await call('PUT', '/api/v1/preferences/job-defaults', { key: owner.secret, body: { timeoutMs: 5 } });
    await call('PUT', '/api/v1/preferences/job-defaults', { key: owner.secret, rawBody: `{"body":"${'x'.repeat(2 * 1024 * 1024)}"}`, headers: { 'content-type': 'application/json' } });
    await call('DELETE', '/api/v1/preferences/job-defaults', { key: owner.secret });

    await call('DELETE', '/api/v1/account', { key: owner.secret });
    expect((await call('DELETE', '/api/v1/account', { session: owner.account.id })).status).toBe(202);
  });

  it('synchronous scrapes, queue statistics and Idempotency-Key refusals', async () => {
    const done = await call('POST', '/api/v1/scrape', { key: main.secret, body: { url: `${fixture.url}/page`, wait: 20 } });
    expect(done.status).toBe(200);
    expect((await call('POST', '/api/v1/scrape', { key: main.secret, body: { url: `${fixture.url}/slow?ms=1500`, wait: 0.2 } })).status).toBe(202);
    await call('POST', '/api/v1/scrape', { key: main.secret, body: { url: `${fixture.url}/page`, wait: 600 } });
    await call('POST', '/api/v1/scrape', { key: main.secret, rawBody: `{"url":"${'x'.repeat(2 * 1024 * 1024)}"}`, headers: { 'content-type': 'application/json' } });
    const poor = await createTestAccount(database.db, { credits: 0 });
    expect((await call('POST', '/api/v1/scrape', { key: poor.secret, body: { url: `${fixture.url}/page` } })).status).toBe(402);
    // A second request under a key whose first one is still waiting: 409.
    const headers = { 'Idempotency-Key': randomUUID() };
    const waiting = api('POST', '/api/v1/scrape', { key: main.secret, body: { url: `${fixture.url}/slow?ms=1500`, wait: 0.5 }, headers });
    await waitFor(async () => (await database.client`SELECT 1 FROM idempotency_keys WHERE key = ${headers['Idempotency-Key']}`).length > 0);
    expect((await call('POST', '/api/v1/scrape', { key: main.secret, body: { url: `${fixture.url}/slow?ms=1500`, wait: 0.5 }, headers })).status).toBe(409);
    await waiting;

    await call('GET', '/api/v1/stats/queue', { key: main.secret });

    // The same key with another body: 422 on every operation that takes one.
    const reused = (body: unknown) => ({ key: main.secret, body, headers: { 'Idempotency-Key': 'reused' } });
    await call('POST', '/api/v1/jobs', reused({ url: `${fixture.url}/page` }));
    expect((await call('POST', '/api/v1/jobs', reused({ url: `${fixture.url}/text` }))).status).toBe(422);
    await call('POST', '/api/v1/scrape', reused({ url: `${fixture.url}/page`, wait: 0 }));
    expect((await call('POST', '/api/v1/scrape', reused({ url: `${fixture.url}/page`, wait: 1 }))).status).toBe(422);
    await call('POST', '/api/v1/jobs/{id}/retry', { ...reused(undefined), id: done.body.job.id });
    expect((await call('POST', '/api/v1/jobs/{id}/retry', { ...reused(undefined), id: randomUUID() })).status).toBe(422);
  });

  it('batches: create, list, read, cancel and their errors', async () => {
    const created = await call('POST', '/api/v1/batches', { key: main.secret, body: { urls: [`${fixture.url}/slow?ms=3000`, `${fixture.url}/slow?ms=3000&n=2`], name: 'Docs' } });
    expect(created.status).toBe(202);
    await call('GET', '/api/v1/batches', { key: main.secret });
    await call('GET', '/api/v1/batches', { key: main.secret, query: 'size=7' });
    await call('GET', '/api/v1/batches/{id}', { key: main.secret, id: created.body.id });
    expect((await call('POST', '/api/v1/batches/{id}/cancel', { key: main.secret, id: created.body.id })).status).toBe(200);
    expect((await call('POST', '/api/v1/batches/{id}/cancel', { key: main.secret, id: created.body.id })).status).toBe(409);
    await call('POST', '/api/v1/batches', { key: main.secret, body: { urls: ['ftp://example.com'] } });
    await call('POST', '/api/v1/batches', { key: main.secret, rawBody: `{"urls":["${'x'.repeat(2 * 1024 * 1024)}"]}`, headers: { 'content-type': 'application/json' } });
    const poor = await createTestAccount(database.db, { credits: 1 });
    expect((await call('POST', '/api/v1/batches', { key: poor.secret, body: { urls: [`${fixture.url}/page`, `${fixture.url}/text`] } })).status).toBe(402);
    await database.client`UPDATE accounts SET deletion_requested_at = now() WHERE id = ${poor.account.id}`;
    expect((await call('POST', '/api/v1/batches', { key: poor.secret, body: { urls: [`${fixture.url}/page`] } })).status).toBe(403);
    const keyless = await createTestAccount(database.db, { credits: 5 });
    await database.client`UPDATE api_keys SET revoked_at = now() WHERE account_id = ${keyless.account.id}`;
    expect((await call('POST', '/api/v1/batches', { session: keyless.account.id, body: { urls: [`${fixture.url}/page`] } })).status).toBe(409);
    const { body: theirs } = await api('POST', '/api/v1/batches', { key: other.secret, body: { urls: [`${fixture.url}/page`] } });
    for (const [method, template] of [['GET', '/api/v1/batches/{id}'], ['POST', '/api/v1/batches/{id}/cancel']] as const) {
      expect((await call(method, template, { key: main.secret, id: theirs.id })).status).toBe(403);
      expect((await call(method, template, { key: main.secret })).status).toBe(404);
    }
    const reused = (body: unknown) => ({ key: main.secret, body, headers: { 'Idempotency-Key': 'batch-reused' } });
    await call('POST', '/api/v1/batches', reused({ urls: [`${fixture.url}/page`] }));
    expect((await call('POST', '/api/v1/batches', reused({ urls: [`${fixture.url}/text`] }))).status).toBe(422);
  });

  it('schedules: create, list, read, edit, pause, resume, runs, delete and their errors', async () => {
    const body = { name: 'Docs', cron: '0 6 * * *', timezone: 'Europe/Paris', target: { type: 'job', url: `${fixture.url}/page` } };
    const created = await call('POST', '/api/v1/schedules', { key: main.secret, body });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    expect((await call('POST', '/api/v1/schedules', { key: main.secret, body: { ...body, cron: '99 * * * *' } })).status).toBe(400);
    const keyless = await createTestAccount(database.db, { credits: 5 });
    await database.client`UPDATE api_keys SET revoked_at = now() WHERE account_id = ${keyless.account.id}`;
    expect((await call('POST', '/api/v1/schedules', { session: keyless.account.id, body })).status).toBe(409);
    await call('GET', '/api/v1/schedules', { key: main.secret });
    await call('GET', '/api/v1/schedules', { key: main.secret, query: 'size=7' });
    await call('GET', '/api/v1/schedules/{id}', { key: main.secret, id });
    await call('PATCH', '/api/v1/schedules/{id}', { key: main.secret, id, body: { cron: '30 6 * * *' } });
    expect((await call('PATCH', '/api/v1/schedules/{id}', { key: main.secret, id, body: { timezone: 'Nowhere/City' } })).status).toBe(400);
    await call('POST', '/api/v1/schedules/{id}/pause', { key: main.secret, id });
    await call('POST', '/api/v1/schedules/{id}/resume', { key: main.secret, id });
    await call('GET', '/api/v1/schedules/{id}/runs', { key: main.secret, id });
    await call('GET', '/api/v1/schedules/{id}/runs', { key: main.secret, id, query: 'size=7' });
    await call('DELETE', '/api/v1/schedules/{id}', { key: main.secret, id });
    for (const [method, template] of [
      ['GET', '/api/v1/schedules/{id}'],
      ['PATCH', '/api/v1/schedules/{id}'],
      ['DELETE', '/api/v1/schedules/{id}'],
      ['POST', '/api/v1/schedules/{id}/pause'],
      ['POST', '/api/v1/schedules/{id}/resume'],
      ['GET', '/api/v1/schedules/{id}/runs'],
    ] as const) {
      expect((await call(method, template, { key: main.secret, id, body: method === 'PATCH' ? {} : undefined })).status).toBe(404);
    }
  });

  it('crawls: create, list, read, ledger, cancel and their errors', async () => {
    const created = await call('POST', '/api/v1/crawls', { key: main.secret, body: { url: `${fixture.url}/slow?ms=3000`, maxPages: 5, name: 'Docs' } });
    expect(created.status).toBe(202);
    await call('GET', '/api/v1/crawls', { key: main.secret });
    await call('GET', '/api/v1/crawls', { key: main.secret, query: 'size=7' });
    await call('GET', '/api/v1/crawls/{id}', { key: main.secret, id: created.body.id });
    await call('GET', '/api/v1/crawls/{id}/pages', { key: main.secret, id: created.body.id });
    await call('GET', '/api/v1/crawls/{id}/pages', { key: main.secret, id: created.body.id, query: 'format=csv' });
    await call('GET', '/api/v1/crawls/{id}/pages', { key: main.secret, id: created.body.id, query: 'outcome=bogus' });
    expect((await call('POST', '/api/v1/crawls/{id}/cancel', { key: main.secret, id: created.body.id })).status).toBe(200);
    expect((await call('POST', '/api/v1/crawls/{id}/cancel', { key: main.secret, id: created.body.id })).status).toBe(409);
    await call('POST', '/api/v1/crawls', { key: main.secret, body: { url: 'ftp://example.com' } });
    await call('POST', '/api/v1/crawls', { key: main.secret, rawBody: `{"url":"${'x'.repeat(2 * 1024 * 1024)}"}`, headers: { 'content-type': 'application/json' } });
    const poor = await createTestAccount(database.db, { credits: 0 });
    expect((await call('POST', '/api/v1/crawls', { key: poor.secret, body: { url: `${fixture.url}/page`, maxPages: 5 } })).status).toBe(402);
    await database.client`UPDATE accounts SET deletion_requested_at = now() WHERE id = ${poor.account.id}`;
    expect((await call('POST', '/api/v1/crawls', { key: poor.secret, body: { url: `${fixture.url}/page`, maxPages: 5 } })).status).toBe(403);
    const keyless = await createTestAccount(database.db, { credits: 5 });
    await database.client`UPDATE api_keys SET revoked_at = now() WHERE account_id = ${keyless.account.id}`;
    expect((await call('POST', '/api/v1/crawls', { session: keyless.account.id, body: { url: `${fixture.url}/page`, maxPages: 5 } })).status).toBe(409);
    const { body: theirs } = await api('POST', '/api/v1/crawls', { key: other.secret, body: { url: `${fixture.url}/page`, maxPages: 1 } });
    for (const [method, template] of [['GET', '/api/v1/crawls/{id}'], ['POST', '/api/v1/crawls/{id}/cancel'], ['GET', '/api/v1/crawls/{id}/pages']] as const) {
      expect((await call(method, template, { key: main.secret, id: theirs.id })).status).toBe(403);
      expect((await call(method, template, { key: main.secret })).status).toBe(404);
    }
    const reused = (body: unknown) => ({ key: main.secret, body, headers: { 'Idempotency-Key': 'crawl-reused' } });
    await call('POST', '/api/v1/crawls', reused({ url: `${fixture.url}/page`, maxPages: 1 }));
    expect((await call('POST', '/api/v1/crawls', reused({ url: `${fixture.url}/text`, maxPages: 1 }))).status).toBe(422);
  });

  it('the admin API: lists, bulk actions, audit log, overview, and 403 for everyone else', async () => {
    const admin = await createTestAdmin(database.db);
    const session = admin.account.id;
    const { body: job } = await api('POST', '/api/v1/jobs', { key: other.secret, body: { url: `${fixture.url}/page` } });
    await call('GET', '/api/v1/admin/jobs', { session, query: 'status=active' });
    await call('GET', '/api/v1/admin/jobs', { session, query: 'size=7' });
    await call('GET', '/api/v1/admin/jobs', { key: main.secret });
    await call('POST', '/api/v1/admin/jobs/bulk', { session, body: { action: 'cancel', ids: [job.id], dryRun: true } });
    await call('POST', '/api/v1/admin/jobs/bulk', { session, body: { action: 'retry', filter: { account: other.email }, dryRun: true } });
    await call('POST', '/api/v1/admin/jobs/bulk', { session, body: { action: 'cancel', ids: [job.id] } });
    await call('POST', '/api/v1/admin/jobs/bulk', { session, body: { action: 'cancel' } });
    await call('POST', '/api/v1/admin/jobs/bulk', { key: main.secret, body: { action: 'cancel', ids: [job.id] } });
    await call('POST', '/api/v1/admin/jobs/bulk', { session, rawBody: `{"ids":["${'x'.repeat(2 * 1024 * 1024)}"]}`, headers: { 'content-type': 'application/json' } });
    await call('GET', '/api/v1/admin/audit', { session, query: `account=${other.email}` });
    await call('GET', '/api/v1/admin/audit', { session, query: 'size=7' });
    await call('GET', '/api/v1/admin/audit', { session: main.account.id });
    await call('GET', '/api/v1/admin/overview', { session });
    await call('GET', '/api/v1/admin/overview', { key: main.secret });
  });

  it('webhook endpoints, signing secrets, deliveries and redelivery', async () => {
    // An account that runs no jobs: its endpoints (public hosts) are never delivered to.
    const owner = await createTestAccount(database.db, { credits: 0 });
    const created = await call('POST', '/api/v1/webhooks', { key: owner.secret, body: { url: 'https://example.com/hooks', events: ['job.failed'] } });
    expect(created.status).toBe(201);
    await call('POST', '/api/v1/webhooks', { key: owner.secret, body: { url: 'http://10.0.0.1/hook' } });
    await call('POST', '/api/v1/webhooks', { key: owner.secret, rawBody: `{"url":"${'x'.repeat(2 * 1024 * 1024)}"}`, headers: { 'content-type': 'application/json' } });
    const reused = (url: string) => ({ key: owner.secret, body: { url }, headers: { 'Idempotency-Key': 'webhook-reused' } });
    await call('POST', '/api/v1/webhooks', reused('https://example.com/a'));
    expect((await call('POST', '/api/v1/webhooks', reused('https://example.com/b'))).status).toBe(422);
    for (let n = 2; n < 20; n += 1) await api('POST', '/api/v1/webhooks', { key: owner.secret, body: { url: `https://example.com/${n}` } });
    expect((await call('POST', '/api/v1/webhooks', { key: owner.secret, body: { url: 'https://example.com/one-too-many' } })).status).toBe(409);

    await call('GET', '/api/v1/webhooks', { key: owner.secret });
    await call('GET', '/api/v1/webhooks/{id}', { key: owner.secret, id: created.body.id });
    await call('GET', '/api/v1/webhooks/{id}', { key: owner.secret });
    await call('POST', '/api/v1/webhooks/{id}', { key: owner.secret, id: created.body.id, body: { enabled: false, events: ['job.failed', 'batch.completed'] } });
    await call('POST', '/api/v1/webhooks/{id}', { key: owner.secret, id: created.body.id, body: { events: [] } });
    await call('POST', '/api/v1/webhooks/{id}', { key: owner.secret, body: { enabled: true } });
    await call('POST', '/api/v1/webhooks/{id}', { key: owner.secret, id: created.body.id, rawBody: `{"url":"${'x'.repeat(2 * 1024 * 1024)}"}`, headers: { 'content-type': 'application/json' } });
    await call('GET', '/api/v1/webhooks/{id}/secret', { key: owner.secret, id: created.body.id });
    await call('GET', '/api/v1/webhooks/{id}/secret', { key: owner.secret });
    await call('GET', '/api/v1/webhooks/secret', { key: owner.secret });
    await call('DELETE', '/api/v1/webhooks/{id}', { key: owner.secret, id: created.body.id });
    await call('DELETE', '/api/v1/webhooks/{id}', { key: owner.secret, id: created.body.id });

    // Deliveries: 127.0.0.2 is outside the test allow-list, so its delivery fails at once (blocked;
    // refused when given, so it is set in the row while the job runs); nothing listens on
    // 127.0.0.1:1, so that delivery waits 30 s for its retry: pending.
    const slow = await call('POST', '/api/v1/jobs', { key: main.secret, body: { url: `${fixture.url}/slow?ms=1000`, webhookUrl: 'http://127.0.0.1:9/hook' } });
    await database.client`UPDATE jobs SET webhook_url = 'http://127.0.0.2:9/hook' WHERE id = ${slow.body.id}`;
    const blocked = await waitFor(async () => {
      const { body: job } = await api<JobResponse>('GET', `/api/v1/jobs/${slow.body.id}`, { key: main.secret });
      return job.status === 'completed' ? job : undefined;
    }, { what: 'the slow job' });
    const refused = await submitAndWait(main.secret, { url: `${fixture.url}/page`, webhookUrl: 'http://127.0.0.1:1/hook' });
    const deliveryOf = (jobId: string, status: string) =>
      waitFor(async () => {
        const { body } = await api('GET', `/api/v1/jobs/${jobId}/webhooks`, { key: main.secret });
        return body.data[0]?.status === status && body.data[0].attempts.length > 0 ? body.data[0] : undefined;
      });
    const failed = await deliveryOf(blocked.id, 'failed');
    const pending = await deliveryOf(refused.id, 'pending');
    await call('GET', '/api/v1/jobs/{id}/webhooks', { key: main.secret, id: blocked.id });
    expect((await call('POST', '/api/v1/webhooks/deliveries/{id}/redeliver', { key: main.secret, id: failed.id })).status).toBe(202);
    expect((await call('POST', '/api/v1/webhooks/deliveries/{id}/redeliver', { key: main.secret, id: pending.id })).status).toBe(409);
    await call('POST', '/api/v1/webhooks/deliveries/{id}/redeliver', { key: main.secret });
  });

  it('live streams, events, test events and secret rotation', async () => {
    const done = await submitAndWait(main.secret, { url: `${fixture.url}/page` });
    await call('GET', '/api/v1/jobs/{id}/stream', { key: main.secret, id: done.id });
    await call('GET', '/api/v1/jobs/{id}/stream', { key: main.secret, id: done.id, query: 'after=x' });
    await call('GET', '/api/v1/jobs/{id}/stream', { key: other.secret, id: done.id });
    await call('GET', '/api/v1/jobs/{id}/stream', { key: main.secret });
    const deleted = await submitAndWait(main.secret, { url: `${fixture.url}/page` });
    await api('DELETE', `/api/v1/jobs/${deleted.id}`, { key: main.secret });
    await call('GET', '/api/v1/jobs/{id}/stream', { key: main.secret, id: deleted.id });
    const batch = await call('POST', '/api/v1/batches', { key: main.secret, body: { urls: [`${fixture.url}/page`] } });
    await call('GET', '/api/v1/batches/{id}/stream', { key: main.secret, id: batch.body.id });
    await call('GET', '/api/v1/batches/{id}/stream', { key: other.secret, id: batch.body.id });
    await call('GET', '/api/v1/batches/{id}/stream', { key: main.secret });
    await call('GET', '/api/v1/jobs/stream', { key: main.secret, query: 'status=completed' });
    await call('GET', '/api/v1/jobs/stream', { key: main.secret, query: 'status=nope' });

    await call('GET', '/api/v1/events', { key: main.secret, query: 'type=job.completed' });
    await call('GET', '/api/v1/events', { key: main.secret, query: 'since=yesterday' });
    const owner = await createTestAccount(database.db, { credits: 0 });
    const endpoint = await api('POST', '/api/v1/webhooks', { key: owner.secret, body: { url: `${fixture.url}/hooks` } });
    expect((await call('POST', '/api/v1/webhooks/{id}/test', { key: owner.secret, id: endpoint.body.id, body: {} })).status).toBe(202);
    await call('POST', '/api/v1/webhooks/{id}/test', { key: owner.secret, id: endpoint.body.id, body: { type: 'job.nope' } });
    await call('POST', '/api/v1/webhooks/{id}/test', { key: owner.secret, body: {} });
    await call('POST', '/api/v1/webhooks/{id}/secret/rotate', { key: owner.secret, id: endpoint.body.id });
    await call('POST', '/api/v1/webhooks/{id}/secret/rotate', { key: owner.secret });
    await call('POST', '/api/v1/webhooks/secret/rotate', { key: owner.secret });
  });

  it('401 without a key and 403 for a suspended account, on every authenticated operation', async () => {
    const suspended = await createTestAccount(database.db, { credits: 5 });
    await database.client`UPDATE accounts SET suspended_at = now() WHERE id = ${suspended.account.id}`;
    for (const [template, item] of Object.entries(documentPaths)) {
      for (const [method, operation] of Object.entries(item)) {
        if (operation.security?.length === 0) continue;
        const verb = method.toUpperCase() as Method;
        const body = verb === 'POST' || verb === 'PUT' || verb === 'PATCH' ? {} : undefined;
        expect((await call(verb, template, { body })).status).toBe(401);
        expect((await call(verb, template, { key: suspended.secret, body })).status).toBe(403);
      }
    }
  });

  it('429 past a rate limit, on every rate-limited operation', async () => {
    const limited = await createTestAccount(database.db, { credits: 10 });
    // Buckets of one token that refill once in 1,000 seconds: the first request takes it.
    const limits = { RATE_LIMIT_CREATE_PER_SECOND: '0.001', RATE_LIMIT_CREATE_BURST: '1', RATE_LIMIT_READ_PER_SECOND: '0.001', RATE_LIMIT_READ_BURST: '1' };
    Object.assign(process.env, limits);
    resetEnvCache();
    try {
      const limitedRoutes: [Method, string, unknown?][] = [
        ['POST', '/api/v1/jobs', { url: `${fixture.url}/page` }],
        ['POST', '/api/v1/jobs/{id}/retry'],
        ['POST', '/api/v1/scrape', { url: `${fixture.url}/page`, wait: 1 }],
        ['POST', '/api/v1/batches', { urls: [`${fixture.url}/page`] }],
        ['POST', '/api/v1/crawls', { url: `${fixture.url}/page`, maxPages: 1 }],
        ['GET', '/api/v1/jobs'],
        ['GET', '/api/v1/jobs/counts'],
        ['GET', '/api/v1/jobs/export', undefined],
        ['GET', '/api/v1/stats'],
        ['GET', '/api/v1/stats/queue'],
        ['GET', '/api/v1/storage'],
        ['GET', '/api/v1/crawls/{id}/pages'],
      ];
      expect((await api('POST', '/api/v1/jobs', { key: limited.secret, body: { url: `${fixture.url}/page` } })).status).toBe(202);
      expect((await api('GET', '/api/v1/storage', { key: limited.secret })).status).toBe(200);
      for (const [method, template, body] of limitedRoutes) {
        const reply = await call(method, template, { key: limited.secret, body, query: template.endsWith('/export') ? 'format=csv' : undefined });
        expect(reply.status, `${method} ${template}`).toBe(429);
        expect(Number(reply.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
        expect(reply.headers.get('x-ratelimit-remaining')).toBe('0');
      }
    } finally {
      for (const name of Object.keys(limits)) delete process.env[name];
      resetEnvCache();
    }
  });

  it('leaves no documented response unprovoked', () => {
    const documented = Object.entries(documentPaths).flatMap(([template, item]) =>
      Object.entries(item).flatMap(([method, operation]) => Object.keys(operation.responses).map((status) => `${method.toUpperCase()} ${template} ${status}`)),
    );
    expect(documented.filter((key) => !observed.has(key) && !notProvoked(key))).toEqual([]);
  });
});

// The list reply's type follows the summary's.
expectTypeOf<JobListResponse['data'][number]>().toEqualTypeOf<JobSummaryResponse>();
