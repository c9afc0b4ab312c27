import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createTestAccount } from '@/tests/helpers/accounts';
import { api, waitForStatus } from '@/tests/helpers/api';
import { useWebhookReceiver } from '@/tests/helpers/webhook-receiver';
import { useJobsEnvironment } from '@/tests/helpers/environment';
import { waitFor } from '@/tests/helpers/worker';

// Issue 16, extraction rules and change tracking, on the local fixture site with a real worker:
// what a user reads back (the extracted document, the failure naming the field, the change and
// its diff), the `job.changed` events an endpoint receives, and the "Changed only" filter.

vi.mock('@/lib/server/session', () => import('@/tests/helpers/session'));
process.env.EGRESS_ALLOWLIST = '127.0.0.1/32';

const env = useJobsEnvironment({ WEBHOOK_RETRY_DELAY_SECONDS: 0, WEBHOOK_RETRY_LIMIT: 1, webhookPollIntervalMs: 500 });
const hooks = useWebhookReceiver();
const received = hooks.received;

async function run(key: string, body: Record<string, unknown>, statuses = ['completed', 'failed']) {
  const { status, body: job } = await api('POST', '/api/v1/jobs', { key, body });
  expect(status, JSON.stringify(job)).toBe(202);
  return waitForStatus(job.id, key, statuses);
}

const productRules = {
  title: 'h1.title',
  updated: { selector: '.updated', attr: 'data-date' },
  skus: { selector: '.product', attr: 'data-sku', multiple: true },
  products: {
    selector: '.product',
    fields: {
      name: 'h2',
      price: '.price',
      link: { selector: 'a', attr: 'href' },
      tags: { selector: '.tags li', multiple: true, required: false },
    },
  },
  rating: { selector: '.rating', required: false },
};

describe('extraction rules', () => {
  let secret: string;
  beforeAll(async () => {
    ({ secret } = await createTestAccount(env.database.db, { credits: 1000 }));
  });

  it('a field map reads text, attributes, lists and nested lists of objects into `extracted`', async () => {
    const job = await run(secret, { url: `${env.fixture.url}/products`, format: 'markdown', extract: productRules });
    expect(job.status).toBe('completed');
    const expected = {
      title: 'Fixture Products',
      updated: '2026-03-01',
      skus: ['A-1', 'B-2', 'C-3'],
      products: [
        { name: 'Alpha Lamp', price: '$12.50', link: '/products/a-1', tags: ['home', 'light'] },
        { name: 'Beta Chair', price: '$1,299.00', link: '/products/b-2', tags: ['office'] },
        { name: 'Gamma Desk', price: 'call us', link: '/products/c-3', tags: [] },
      ],
      rating: null,
    };
    expect(job.extracted).toEqual(expected);
    // The result API serves it as a JSON download; the content result is unchanged.
    const part = await api('GET', `/api/v1/jobs/${job.id}/result?part=extracted`, { key: secret });
    expect(part.status).toBe(200);
    expect(part.headers.get('content-type')).toBe('application/json');
    expect(part.body).toEqual(expected);
    const content = await api('GET', `/api/v1/jobs/${job.id}/result`, { key: secret });
    expect(content.body).toContain('# Fixture Products');
  });

  it('a synchronous scrape returns the extracted document with its result', async () => {
    const { status, body } = await api('POST', '/api/v1/scrape', { key: secret, body: { url: `${env.fixture.url}/products`, extract: { title: 'h1' }, wait: 20 } });
    expect(status).toBe(200);
    expect(body.result.extracted).toEqual({ title: 'Fixture Products' });
    expect(body.job.extracted).toEqual({ title: 'Fixture Products' });
  });

  it('a missing required field fails the job with EXTRACTION_FAILED naming the field, not an empty value', async () => {
    const job = await run(secret, {
      url: `${env.fixture.url}/products`,
      extract: { products: { selector: '.product', fields: { name: 'h2', tag: '.tags li' } } },
    });
    expect(job.status).toBe('failed');
    expect(job.error.type).toBe('EXTRACTION_FAILED');
    expect(job.error.message).toContain('"products[2].tag"');
    expect(job.error.suggestions.length).toBeGreaterThan(0);
    expect(job.attempts).toBe(1); // not retried: the page would say the same
    expect(job.extracted).toBeNull();
  });

  it('a JSON Schema reads typed values and the output is validated against it', async () => {
    const schema = {
      type: 'object',
      properties: {
        title: { type: 'string', 'x-selector': 'h1' },
        products: {
          type: 'array',
          'x-selector': '.product',
          items: {
            type: 'object',
            properties: {
              sku: { type: 'string', 'x-selector': 'a', 'x-attr': 'href' },
              price: { type: 'number', 'x-selector': '.price' },
              tags: { type: 'array', 'x-selector': '.tags li', items: { type: 'string' } },
            },
            required: ['price'],
          },
        },
      },
      required: ['title', 'products'],
    };
    const valid = await run(secret, { url: `${env.fixture.url}/products`, extract: { ...schema, properties: { ...schema.properties, products: { ...schema.properties.products, 'x-selector': '.product:not(:last-child)' } } } });
    expect(valid.status, JSON.stringify(valid.error)).toBe('completed');
    expect(valid.extracted).toEqual({
      title: 'Fixture Products',
      products: [
        { sku: '/products/a-1', price: 12.5, tags: ['home', 'light'] },
        { sku: '/products/b-2', price: 1299, tags: ['office'] },
      ],
    });

    // "call us" is no number: the schema names the field.
    const invalid = await run(secret, { url: `${env.fixture.url}/products`, extract: schema });
    expect(invalid.error).toMatchObject({ type: 'EXTRACTION_FAILED', message: expect.stringContaining('"products[2].price" must be number') });

    const missing = await run(secret, {
      url: `${env.fixture.url}/products`,
      extract: { type: 'object', properties: { title: { type: 'string', 'x-selector': 'h1' }, author: { type: 'string', 'x-selector': '.author' } }, required: ['title', 'author'] },
    });
    expect(missing.error).toMatchObject({ type: 'EXTRACTION_FAILED', message: expect.stringContaining('required field "author" not found (no element matching ".author")') });
  });

  it('refuses bad rules at the edge with a 400 naming the field path', async () => {
    const selector = await api('POST', '/api/v1/jobs', { key: secret, body: { url: `${env.fixture.url}/products`, extract: { products: { selector: '.product', fields: { name: 'h2[' } } } } });
    expect(selector.status).toBe(400);
    expect(selector.body.error.details.fields).toEqual([{ field: 'extract.products.fields.name', message: expect.stringContaining('invalid CSS selector "h2["') }]);
    const schema = await api('POST', '/api/v1/batches', {
      key: secret,
      body: { urls: [`${env.fixture.url}/products`], extract: { type: 'object', properties: { price: { type: 'number' } }, required: ['prices'] } },
    });
    expect(schema.status).toBe(400);
    expect(schema.body.error.details.fields.map((issue: { field: string }) => issue.field)).toEqual(['extract.properties.price.x-selector', 'extract.required.0']);
  });

  it('a page that is not HTML fails clearly when the job has extraction rules', async () => {
    const job = await run(secret, { url: `${env.fixture.url}/json`, extract: { name: 'h1' } });
    expect(job.error).toMatchObject({ type: 'EXTRACTION_FAILED', message: expect.stringContaining('need an HTML page') });
    expect(job.error.message).toContain('application/json');
  });

  it('the export can include the extracted fields (CSV columns, JSON documents)', async () => {
    const tag = `export-${randomUUID().slice(0, 8)}`;
    await run(secret, { url: `${env.fixture.url}/products`, tags: [tag], extract: { title: 'h1', skus: { selector: '.product', attr: 'data-sku', multiple: true } } });
    const csv = await api('GET', `/api/v1/jobs/export?format=csv&extracted=true&tag=${tag}`, { key: secret });
    const [header, row] = (csv.body as string).replace('\uFEFF', '').trim().split('\r\n');
    expect(header.endsWith(',extracted.skus,extracted.title'), header).toBe(true);
    expect(row.endsWith(',"[""A-1"",""B-2"",""C-3""]",Fixture Products'), row).toBe(true);
    const json = await api('GET', `/api/v1/jobs/export?format=json&extracted=true&tag=${tag}`, { key: secret });
    const records = JSON.parse(Buffer.from(await json.raw.arrayBuffer()).toString('utf8'));
    expect(records[0].extracted).toEqual({ title: 'Fixture Products', skus: ['A-1', 'B-2', 'C-3'] });
    const plain = await api('GET', `/api/v1/jobs/export?format=csv&tag=${tag}`, { key: secret });
    expect(plain.body).not.toContain('extracted.');
  });
});

describe('change tracking', () => {
  let secret: string;
  let hookPath: string;
  beforeAll(async () => {
    ({ secret } = await createTestAccount(env.database.db, { credits: 1000 }));
    hookPath = `/hook-${randomUUID()}`;
    const { status } = await api('POST', '/api/v1/webhooks', { key: secret, body: { url: `${hooks.url}${hookPath}`, events: ['job.changed'] } });
    expect(status).toBe(201);
  });
  const changedEvents = () => received.filter((entry) => entry.path === hookPath).map((entry) => entry.body);

  it('three runs of an edited page: new, same, then changed with the edit in the diff and one job.changed', async () => {
    const page = randomUUID();
    const url = `${env.fixture.url}/editable?id=${page}`;
    const body = (price: string) => `<html><body><h1>Lamp</h1><p>Price: ${price}</p><p>In stock</p></body></html>`;
    env.fixture.setEditable(page, { body: body('$10') });
    const first = await run(secret, { url, format: 'markdown', trackChanges: true });
    expect(first.change).toMatchObject({ status: 'new', previousJobId: null, series: 'account', comparedBy: 'content', diff: null });
    expect(first.change.contentHash).toMatch(/^[0-9a-f]{64}$/);
    const second = await run(secret, { url, format: 'markdown', trackChanges: true });
    expect(second.change).toMatchObject({ status: 'same', previousJobId: first.id, contentHash: first.change.contentHash, diff: null });
    env.fixture.setEditable(page, { body: body('$12') });
    const third = await run(secret, { url, format: 'markdown', trackChanges: true });
    expect(third.change).toMatchObject({ status: 'changed', previousJobId: second.id, diffTruncated: false });
    expect(third.change.diff).toContain('-Price: $10');
    expect(third.change.diff).toContain('+Price: $12');
    expect(third.change.diff).not.toContain('-In stock');

    const events = await waitFor(async () => (changedEvents().length >= 1 ? changedEvents() : undefined), { what: 'job.changed' });
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ type: 'job.changed', data: { id: third.id, status: 'completed', change: { status: 'changed', previousJobId: second.id } } });
    // A job without trackChanges is not compared.
    const untracked = await run(secret, { url, format: 'markdown' });
    expect(untracked.change).toBeNull();
  });

  it('with extraction rules the extracted documents are compared, with a JSON diff', async () => {
    const page = randomUUID();
    const url = `${env.fixture.url}/editable?id=${page}`;
    env.fixture.setEditable(page, { body: '<h1>Lamp</h1><span class="price">$10</span><footer>visit 1</footer>' });
    const options = { url, trackChanges: true, extract: { name: 'h1', price: '.price' } };
    await run(secret, options);
    env.fixture.setEditable(page, { body: '<h1>Lamp</h1><span class="price">$10</span><footer>visit 2</footer>' });
    const same = await run(secret, options);
    expect(same.change).toMatchObject({ status: 'same', comparedBy: 'extracted' }); // the footer is not a field
    env.fixture.setEditable(page, { body: '<h1>Lamp</h1><span class="price">$11</span>' });
    const changed = await run(secret, options);
    expect(changed.change).toMatchObject({ status: 'changed', comparedBy: 'extracted' });
    expect(changed.change.diff).toContain('-  "price": "$10"');
    expect(changed.change.diff).toContain('+  "price": "$11"');
  });

  it('after retention purged the previous result, the hashes still tell changed from same, without a diff', async () => {
    const page = randomUUID();
    const url = `${env.fixture.url}/editable?id=${page}`;
    env.fixture.setEditable(page, { body: '<p>before</p>' });
    const first = await run(secret, { url, format: 'markdown', trackChanges: true });
    const purge = () => env.database.db.execute(sql`UPDATE job_results SET purged_at = now(), content = NULL WHERE job_id IN (SELECT job_id FROM job_changes WHERE url = ${url})`);
    await purge();
    const same = await run(secret, { url, format: 'markdown', trackChanges: true });
    expect(same.change).toMatchObject({ status: 'same', previousJobId: first.id });
    await purge();
    env.fixture.setEditable(page, { body: '<p>after</p>' });
    const changed = await run(secret, { url, format: 'markdown', trackChanges: true });
    expect(changed.change).toMatchObject({ status: 'changed', previousJobId: same.id, diff: null, diffNote: expect.stringContaining('purged by retention') });
  });

  it('a page now not found after a completed run is removed, once', async () => {
    const page = randomUUID();
    const url = `${env.fixture.url}/editable?id=${page}`;
    env.fixture.setEditable(page, { body: '<h1>Here</h1>' });
    const found = await run(secret, { url, trackChanges: true });
    env.fixture.setEditable(page, { status: 410 });
    const gone = await run(secret, { url, trackChanges: true });
    expect(gone.status).toBe('failed');
    expect(gone.change).toMatchObject({ status: 'removed', previousJobId: found.id, contentHash: null });
    const again = await run(secret, { url, trackChanges: true });
    expect(again.change).toBeNull(); // already removed: no second removal
    await waitFor(async () => changedEvents().some((event) => event.data.id === gone.id) || undefined, { what: 'job.changed for the removal' });
    expect(changedEvents().filter((event) => event.data.change.status === 'removed')).toHaveLength(1);
  });

  it('the Changed only filter lists the changed and removed runs with their exact total', async () => {
    const { secret: own } = await createTestAccount(env.database.db, { credits: 1000 });
    const page = randomUUID();
    const url = `${env.fixture.url}/editable?id=${page}`;
    env.fixture.setEditable(page, { body: '<p>one</p>' });
    await run(own, { url, trackChanges: true });
    env.fixture.setEditable(page, { body: '<p>two</p>' });
    const changed = await run(own, { url, trackChanges: true });
    await run(own, { url, trackChanges: true });
    env.fixture.setEditable(page, { status: 404 });
    const removed = await run(own, { url, trackChanges: true });
    await run(own, { url: `${env.fixture.url}/page` });

    const all = await api('GET', '/api/v1/jobs', { key: own });
    expect(all.body.total).toBe(5);
    const list = await api('GET', '/api/v1/jobs?changed=true', { key: own });
    expect(list.status).toBe(200);
    expect(list.body.total).toBe(2);
    expect(list.body.data.map((job: { id: string }) => job.id).sort()).toEqual([changed.id, removed.id].sort());
    const failedOnly = await api('GET', '/api/v1/jobs?changed=true&status=failed', { key: own });
    expect(failedOnly.body.total).toBe(1);
    const counts = await api('GET', '/api/v1/jobs/counts?changed=true', { key: own });
    expect(counts.body.status).toEqual({ completed: 1, failed: 1 });
    const exported = await api('GET', '/api/v1/jobs/export?count=1&changed=true', { key: own });
    expect(exported.body.count).toBe(2);
  });
});
