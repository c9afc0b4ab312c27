import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { resetEnvCache } from '@/lib/env';
import { openApiDocument } from '@/lib/openapi/document';
import { errorSchema } from '@/lib/schemas/responses';
import { startFixtureServer, type FixtureServer } from '@/tests/fixtures/server';
import { createTestAccount } from '@/tests/helpers/accounts';
import { createTestDatabase } from '@/tests/helpers/database';
import { startApiServer, type ApiServer } from '@/tests/helpers/http-server';

// Issue 13, point 3: every operation of the OpenAPI document, over real HTTP (route handlers
// behind proxy.ts's guard), with malformed path values, queries, bodies and headers: wrong
// types, huge and deeply nested values, NUL and lone surrogates, invalid JSON, wrong content
// types, prototype keys. None may answer 5xx, every error is in the one error shape, and no row
// is written.

vi.mock('@/lib/server/session', () => import('@/tests/helpers/session'));

type Parameter = { name: string; in: 'path' | 'query' | 'header'; schema?: unknown };
type Operation = { operationId: string; parameters?: Parameter[]; requestBody?: { content: Record<string, { schema?: JsonSchema }> } };
type JsonSchema = { $ref?: string; type?: string | string[]; properties?: Record<string, JsonSchema>; items?: JsonSchema; anyOf?: JsonSchema[]; oneOf?: JsonSchema[] };

const document = openApiDocument() as unknown as { paths: Record<string, Record<string, Operation>>; components?: { schemas?: Record<string, JsonSchema> } };
const methods = ['get', 'post', 'put', 'delete', 'patch'] as const;
const operations = Object.entries(document.paths).flatMap(([template, item]) =>
  methods.filter((method) => item[method]).map((method) => ({ template, method: method.toUpperCase(), operation: item[method]! })),
);

function resolve(schema: JsonSchema | undefined): JsonSchema | undefined {
  if (!schema?.$ref) return schema;
  return resolve(document.components?.schemas?.[schema.$ref.replace('#/components/schemas/', '')]);
}

/** The body's top-level field names, to send each one wrong. */
function bodyFields(operation: Operation): string[] {
  const schema = resolve(operation.requestBody?.content['application/json']?.schema);
  const variants = [schema, ...(schema?.anyOf ?? []), ...(schema?.oneOf ?? [])].map(resolve);
  return [...new Set(variants.flatMap((variant) => Object.keys(variant?.properties ?? {})))];
}

const deep = (levels: number) => `${'['.repeat(levels)}${']'.repeat(levels)}`;
const nul = '\u0000';
const lone = '\ud800';
/** Own keys named __proto__ and constructor.prototype, as JSON.parse makes them. */
const prototypeKeys: unknown = JSON.parse('{"__proto__": {"polluted": 1}, "constructor": {"prototype": {"polluted": 1}}}');

/** Bodies no operation can accept. */
function malformedBodies(fields: string[]): { body: string; type?: string }[] {
  const strange: unknown[] = [null, 42, 'text', [], true, prototypeKeys];
  return [
    { body: '{"url": ' },
    { body: '{"a":1}{"b":2}' },
    { body: deep(5000) },
    { body: `{"x": ${deep(2000)}}` },
    { body: JSON.stringify({ url: 'https://example.com', x: 'y'.repeat(1_500_000) }), type: 'text/plain' },
    { body: 'url=https://example.com', type: 'application/x-www-form-urlencoded' },
    { body: JSON.stringify({ url: 'https://example.com' }), type: 'text/plain' },
    { body: '--b\r\nContent-Disposition: form-data; name="url"\r\n\r\nx\r\n--b--', type: 'multipart/form-data; boundary=b' },
    ...strange.map((value) => ({ body: JSON.stringify(value) })),
    { body: JSON.stringify({ [nul]: 1, [`k${lone}`]: 2 }) },
    ...fields.flatMap((field) =>
      [`a${nul}b`, `a${lone}b`, 12345, { nested: { deeper: [`x${nul}`] } }, 'x'.repeat(10_000), prototypeKeys, '2026-02-30'].map((value) => ({ body: JSON.stringify({ [field]: value }) })),
    ),
  ];
}

const badQueryValues = ['a%00b', '%ED%A0%80', '%uD800', '-1', '1e309', '2026-02-30', '2026-13-01', 'x'.repeat(5000)];

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let fixture: FixtureServer;
let server: ApiServer;
let secret: string;

const countedTables = ['jobs', 'batches', 'api_keys', 'idempotency_keys', 'audit_log', 'credit_ledger', 'webhook_endpoints', 'job_logs', 'job_defaults'];

async function rowCounts(): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const table of countedTables) {
    const exists = await database.client`SELECT to_regclass(${table}) IS NOT NULL AS ok`;
    if (!exists[0].ok) continue;
    const [row] = await database.client.unsafe(`SELECT count(*)::int AS n FROM ${table}`);
    counts[table] = row.n;
  }
  return counts;
}

beforeAll(async () => {
  process.env.RATE_LIMIT_CREATE_PER_SECOND = '0';
  process.env.RATE_LIMIT_READ_PER_SECOND = '0';
  resetEnvCache();
  database = await createTestDatabase();
  fixture = await startFixtureServer();
  server = await startApiServer();
  ({ secret } = await createTestAccount(database.db, { credits: 100 }));
});
afterAll(async () => {
  await server?.close();
  await fixture?.close();
  await database?.close();
  delete process.env.RATE_LIMIT_CREATE_PER_SECOND;
  delete process.env.RATE_LIMIT_READ_PER_SECOND;
  resetEnvCache();
});

type Problem = { request: string; status: number; body: string };

async function send(problems: Problem[], method: string, path: string, init: { body?: string; type?: string; headers?: Record<string, string> } = {}) {
  const headers: Record<string, string> = { authorization: `Bearer ${secret}`, ...init.headers };
  if (init.body !== undefined) headers['content-type'] = init.type ?? 'application/json';
  const res = await fetch(`${server.url}${path}`, { method, headers, body: init.body });
  // A stream that opened is a good answer; it would stay open until its time limit.
  if (res.headers.get('content-type')?.startsWith('text/event-stream')) return res.body?.cancel();
  const text = await res.text();
  const request = `${method} ${path.slice(0, 120)} ${init.type ?? ''} ${(init.body ?? '').slice(0, 80)}`;
  if (res.status >= 500) return problems.push({ request, status: res.status, body: text.slice(0, 300) });
  if (res.status >= 400) {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      return problems.push({ request, status: res.status, body: `not JSON: ${text.slice(0, 200)}` });
    }
    if (!errorSchema.safeParse(json).success) problems.push({ request, status: res.status, body: `not the error shape: ${text.slice(0, 200)}` });
    if (!res.headers.get('x-request-id')) problems.push({ request, status: res.status, body: 'no X-Request-Id' });
  }
  return undefined;
}

/** The path with each {param} replaced: a random id by default, or `value` (already URL-encoded). */
function fill(template: string, value = '3f0c1c8e-5b7a-4a57-9a47-1c2d3e4f5a6b') {
  return template.replace(/\{\w+\}/g, value);
}

describe('fuzzing every operation of the OpenAPI document', () => {
  it(`answers ${operations.length} operations' malformed requests without a 5xx, in the error shape, writing nothing`, async () => {
    const before = await rowCounts();
    const problems: Problem[] = [];
    let sent = 0;
    for (const { template, method, operation } of operations) {
      const queryNames = (operation.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name);
      const requests: Promise<unknown>[] = [];
      const push = (path: string, init?: Parameters<typeof send>[3]) => {
        sent += 1;
        requests.push(send(problems, method, path, init));
      };
      // Path values: NUL, a lone surrogate's bytes, overlong, traversal, not an id.
      if (template.includes('{')) {
        for (const value of ['%00', '%ED%A0%80', 'x'.repeat(2000), '..%2F..%2Fetc', 'not-an-id', '%F0%9F%92%A9', '1%20OR%201%3D1']) push(fill(template, value));
      }
      // Queries: every documented parameter (and a few that are not) with bad values.
      for (const name of [...queryNames, '__proto__', 'constructor[prototype][x]', `a%00b`]) {
        for (const value of badQueryValues) push(`${fill(template)}?${encodeURIComponent(name).replace('%2500', '%00')}=${value}`);
        push(`${fill(template)}?${name}=1&${name}=2&${name}[]=3`);
      }
      // Bodies, for the operations that take one (and as a stray body on those that do not).
      const fields = operation.requestBody ? bodyFields(operation) : [];
      if (method !== 'GET') for (const body of malformedBodies(fields)) push(fill(template), body);
      // Headers: strange ids and keys.
      push(fill(template), { headers: { 'x-request-id': 'x'.repeat(500), 'idempotency-key': 'k'.repeat(300) } });
      push(fill(template), { headers: { authorization: 'Bearer sk_live_\u00ff' } });
      push(fill(template), { headers: { authorization: 'Basic Zm9vOmJhcg==' } });
      await Promise.all(requests);
    }
    // Unknown paths and wrong methods answer in the error shape too.
    for (const path of ['/api/v1/nope', '/api/v1/jobs/x/y/z', '/api/v1/%00']) await send(problems, 'GET', path);
    await send(problems, 'PATCH', '/api/v1/jobs');
    await send(problems, 'GET', `/api/v1/jobs?q=${'x'.repeat(20_000)}`);

    console.log(`fuzz: ${operations.length} operations, ${sent} malformed requests, ${problems.length} problems`);
    expect(problems).toEqual([]);
    expect(await rowCounts()).toEqual(before);
  }, 300_000);
});

describe('what the fuzzing found, one by one', () => {
  const get = (path: string, init: RequestInit = {}) => fetch(`${server.url}${path}`, { ...init, headers: { authorization: `Bearer ${secret}`, ...init.headers } });

  it('refuses dates that are not on the calendar with a 400 naming the field', async () => {
    for (const [path, field] of [
      ['/api/v1/jobs?from=2026-13-01', 'from'],
      ['/api/v1/jobs/counts?to=2026-12-99', 'to'],
      ['/api/v1/jobs/export?count=1&from=2026-02-30', 'from'],
    ] as const) {
      const res = await get(path);
      expect(res.status, path).toBe(400);
      expect((await res.json()).error.details.fields).toEqual([expect.objectContaining({ field })]);
    }
    const bulk = await get('/api/v1/jobs/delete', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ to: '2026-02-30', dryRun: true }) });
    expect(bulk.status).toBe(400);
    expect((await bulk.json()).error.details.fields).toEqual([expect.objectContaining({ field: 'to' })]);
    expect((await get('/api/v1/jobs?from=2024-02-29&to=2024-03-01')).status).toBe(200);
  });

  it('refuses NUL and lone surrogates with a 400 naming the field', async () => {
    const defaults = await get('/api/v1/preferences/job-defaults', {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ cookies: { session: `a${nul}b` }, body: `x${lone}` }),
    });
    expect(defaults.status).toBe(400);
    const fields = (await defaults.json()).error.details.fields.map((f: { field: string }) => f.field);
    expect(fields).toEqual(expect.arrayContaining(['cookies.session', 'body']));
    const exported = await get('/api/v1/jobs/export?count=1&q=a%00b');
    expect(exported.status).toBe(400);
    expect((await exported.json()).error.details.fields).toEqual([expect.objectContaining({ field: 'q' })]);
  });

  it('answers unknown paths 404 and wrong methods 405 with Allow, as JSON with X-Request-Id', async () => {
    const unknown = await get('/api/v1/no-such-thing', { headers: { 'x-request-id': 'fuzz-1' } });
    expect(unknown.status).toBe(404);
    expect(unknown.headers.get('x-request-id')).toBe('fuzz-1');
    expect((await unknown.json()).error.code).toBe('not_found');
    const wrong = await get('/api/v1/jobs', { method: 'PUT' });
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get('allow')).toBe('GET, POST, HEAD, OPTIONS');
    expect(wrong.headers.get('x-request-id')).toBeTruthy();
    expect((await wrong.json()).error).toMatchObject({ code: 'method_not_allowed', details: { allow: ['GET', 'POST', 'HEAD', 'OPTIONS'] } });
  });

  it('answers a body that is not JSON on a JSON route with 415, and an over-long URL with 431', async () => {
    const plain = await get('/api/v1/jobs', { method: 'POST', headers: { 'content-type': 'text/plain' }, body: JSON.stringify({ url: `${fixture.url}/page` }) });
    expect(plain.status).toBe(415);
    expect((await plain.json()).error.code).toBe('unsupported_media_type');
    const long = await get(`/api/v1/jobs?q=${'x'.repeat(20_000)}`);
    expect(long.status).toBe(431);
    expect((await long.json()).error.code).toBe('request_too_large');
  });
});
