import type { Probe } from './measure';

// Every request the bench measures, and the target of issue 12 it is judged by. Only public
// URLs: the API with the big account's Production key, the dashboard with its session cookie.

export type ProbeContext = {
  keys: { production: string; staging: string; revoked: string };
  /** How many jobs the unfiltered list holds, and with the filters that some probes page through. */
  matching: { all: number; failed: number; completed: number; tenBrowser: number };
  /** A host seen on ~1 job in 6,000, a term in ~10 % of URLs, the first 8 characters of a job id. */
  rareTerm: string;
  tenPercentTerm: string;
  idPrefix: string;
  batchId: string;
  /** A completed job with logs and a result, and its last log sequence number. */
  pollJob: { id: string; lastSeq: number };
  /** Today and 6 and 29 days before, UTC (the bench's viewer is in UTC). */
  days: { today: string; minus6: string; minus29: string };
  clearExports: () => Promise<void>;
};

const hasRows = (body: string) => {
  const reply = JSON.parse(body) as { data?: unknown[]; total?: number };
  return Array.isArray(reply.data) && reply.data.length > 0 ? null : `no rows in the reply (total ${reply.total})`;
};
const hasCounts = (body: string) => {
  const reply = JSON.parse(body) as Record<string, unknown>;
  return ['status', 'engine', 'key', 'date'].every((name) => typeof reply[name] === 'object') ? null : 'counts reply without status/engine/key/date';
};
const rendered = (body: string) => (body.includes('</html>') ? null : 'not a whole HTML page');
const exported = (format: 'csv' | 'json') => (body: string, response: Response) => {
  if (response.headers.get('x-export-rows') !== '10000') return `X-Export-Rows ${response.headers.get('x-export-rows')}`;
  const rows = format === 'csv' ? body.split('\n').filter(Boolean).length - 1 : (JSON.parse(body) as unknown[]).length;
  return rows === 10_000 ? null : `${rows} rows in the file, not 10,000`;
};

/** Page `wanted`, or the last page when there are fewer (a small --jobs). */
const deep = (matching: number, size: number, wanted = Infinity) => Math.max(1, Math.min(wanted, Math.ceil(matching / size)));

export function probes(c: ProbeContext): Probe[] {
  const { today, minus6, minus29 } = c.days;
  const { all, failed, completed, tenBrowser } = c.matching;
  const last = deep(all, 25);
  const page1000 = deep(all, 25, 1000);
  const list = (name: string, query: string): Probe => ({ name, target: 'list', path: `/api/v1/jobs${query}`, auth: 'key', check: hasRows });
  // createdAt desc is the default order: the first probe.
  const sorts = ['createdAt', 'status', 'engine', 'apiKey', 'credits', 'duration']
    .flatMap((sort) => (['desc', 'asc'] as const).map((order) => ({ sort, order })))
    .filter(({ sort, order }) => sort !== 'createdAt' || order !== 'desc')
    .map(({ sort, order }) => list(`sort=${sort} ${order}`, `?sort=${sort}&order=${order}`));
  const counts = (name: string, query: string, target: Probe['target'] = 'counts'): Probe => ({
    name, target, path: `/api/v1/jobs/counts${query}`, auth: 'key', check: hasCounts,
  });
  const render = (name: string, query: string): Probe => ({ name, target: 'render', path: `/dashboard/jobs${query}`, auth: 'session', check: rendered });
  const rare = encodeURIComponent(c.rareTerm);
  const ten = encodeURIComponent(c.tenPercentTerm);
  return [
    list('first page (default: createdAt desc, size 25)', ''),
    list(`page ${page1000}`, `?page=${page1000}`),
    list(`last page (${last})`, `?page=${last}`),
    list('size 100, first page', '?size=100'),
    list(`size 100, last page (${deep(all, 100)})`, `?size=100&page=${deep(all, 100)}`),
    list(`size 50, page ${deep(all, 50, 1000)}`, `?size=50&page=${deep(all, 50, 1000)}`),
    list('status=failed', '?status=failed'),
    list(`status=failed, last page (${deep(failed, 25)})`, `?status=failed&page=${deep(failed, 25)}`),
    list('status=active', '?status=active'),
    list('engine=stealth', '?engine=stealth'),
    list('key=Staging', `?key=${c.keys.staging}`),
    list('key=revoked key', `?key=${c.keys.revoked}`),
    list('last 7 days', `?from=${minus6}&to=${today}&tz=0`),
    list('completed + browser', '?status=completed&engine=browser'),
    list('failed + http + Production + last 30 days', `?status=failed&engine=http&key=${c.keys.production}&from=${minus29}&to=${today}&tz=0`),
    list('tag=prices', '?tag=prices'),
    list('priority=high', '?priority=high'),
    list('name~"crawl"', '?name=crawl'),
    list('name~"crawl" + browser + last 30 days', `?name=crawl&engine=browser&from=${minus29}&to=${today}&tz=0`),
    list('batch', `?batch=${c.batchId}`),
    ...sorts,
    list(`sort=duration desc, completed, page ${deep(completed, 25, 1000)}`, `?sort=duration&order=desc&status=completed&page=${deep(completed, 25, 1000)}`),
    list(`sort=apiKey asc, last page (${last})`, `?sort=apiKey&order=asc&page=${last}`),
    { name: 'dashboard data (session): first page', target: 'list', path: '/api/v1/jobs?page=1&size=25&sort=createdAt&order=desc', auth: 'session', check: hasRows },
    { name: `dashboard data (session): failed, sort=credits, page ${deep(failed, 25, 50)}`, target: 'list', path: `/api/v1/jobs?status=failed&page=${deep(failed, 25, 50)}&size=25&sort=credits&order=desc`, auth: 'session', check: hasRows },

    counts('no filter', ''),
    counts('status=failed', '?status=failed'),
    counts('engine=browser + Production', `?engine=browser&key=${c.keys.production}`),
    counts('last 7 days', `?from=${minus6}&to=${today}&tz=0`),
    counts('completed + http + last 30 days', `?status=completed&engine=http&from=${minus29}&to=${today}&tz=0`),
    counts('tag=prices + priority=high', '?tag=prices&priority=high'),
    counts('name~"crawl"', '?name=crawl'),
    counts('name~"crawl" + failed', '?name=crawl&status=failed'),
    counts(`q=${c.rareTerm} (rare)`, `?q=${rare}`),
    counts(`q=${c.tenPercentTerm} (10 %)`, `?q=${ten}`),
    { name: 'dashboard counts (session)', target: 'counts', path: '/api/v1/jobs/counts', auth: 'session', check: hasCounts },

    { name: `q=${c.rareTerm}`, target: 'qRare', path: `/api/v1/jobs?q=${rare}`, auth: 'key', check: hasRows },
    { name: `q=${c.rareTerm} + completed`, target: 'qRare', path: `/api/v1/jobs?q=${rare}&status=completed`, auth: 'key', check: hasRows },
    { name: `q=${c.tenPercentTerm}`, target: 'qTen', path: `/api/v1/jobs?q=${ten}`, auth: 'key', check: hasRows },
    { name: `q=${c.tenPercentTerm} + browser, page ${deep(tenBrowser, 25, 10)}`, target: 'qTen', path: `/api/v1/jobs?q=${ten}&engine=browser&page=${deep(tenBrowser, 25, 10)}`, auth: 'key', check: hasRows },
    { name: `q=${c.idPrefix} (id prefix)`, target: 'qId', path: `/api/v1/jobs?q=${c.idPrefix}`, auth: 'key', check: hasRows },

    render('no filter', ''),
    render('failed + http', '?status=failed&engine=http'),
    render(`page ${page1000}, sort=duration`, `?page=${page1000}&sort=duration&order=desc`),
    render(`search q=${c.rareTerm}`, `?q=${rare}`),
    render(`search q=${c.tenPercentTerm} (10 %)`, `?q=${ten}`),

    { name: '/dashboard (session)', target: 'overview', path: '/dashboard', auth: 'session', check: rendered },
    { name: 'GET /api/v1/stats', target: 'overview', path: '/api/v1/stats?tz=0', auth: 'key' },

    // Warmed with count=1 (same route, same count query): a warm-up download would cost as much as a sample.
    { name: 'CSV, 10,000 rows', target: 'export', path: '/api/v1/jobs/export?format=csv&tz=0', warmupPath: '/api/v1/jobs/export?count=1&tz=0', auth: 'key', prepare: c.clearExports, check: exported('csv') },
    { name: 'JSON, 10,000 rows', target: 'export', path: '/api/v1/jobs/export?format=json&tz=0', warmupPath: '/api/v1/jobs/export?count=1&tz=0', auth: 'key', prepare: c.clearExports, check: exported('json') },

    { name: 'job detail (key)', target: 'poll', path: `/api/v1/jobs/${c.pollJob.id}`, auth: 'key', conditional: true },
    { name: 'job detail (session)', target: 'poll', path: `/api/v1/jobs/${c.pollJob.id}`, auth: 'session', conditional: true },
    { name: 'logs after the last entry', target: 'poll', path: `/api/v1/jobs/${c.pollJob.id}/logs?after=${c.pollJob.lastSeq}`, auth: 'key', conditional: true },
  ];
}
