import type postgres from 'postgres';

// "Every figure shown stays exact": the list's `total` and every dropdown count compared with a
// count(*) of the rows, written here from the filter rules of spec section 9 (not with the app's
// own query builder), for a few filter combinations.

export type Filters = { status?: string; engine?: string; key?: string; from?: string; to?: string; q?: string; tag?: string; priority?: string };

const presets = [['today', 1], ['last7', 7], ['last30', 30], ['last90', 90]] as const;

function where(sql: postgres.Sql, accountId: string, f: Filters) {
  const parts = [sql`account_id = ${accountId}`, sql`deleted_at IS NULL`];
  if (f.status === 'active') parts.push(sql`status IN ('queued', 'processing')`);
  else if (f.status) parts.push(sql`status = ${f.status}`);
  if (f.engine) parts.push(sql`engine = ${f.engine}`);
  if (f.key) parts.push(sql`api_key_id = ${f.key}`);
  if (f.from) parts.push(sql`created_at >= ${f.from}::date::timestamp AT TIME ZONE 'UTC'`);
  if (f.to) parts.push(sql`created_at < (${f.to}::date + 1)::timestamp AT TIME ZONE 'UTC'`);
  if (f.q) {
    const escaped = f.q.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`);
    parts.push(sql`(url ILIKE ${`%${escaped}%`} OR id::text LIKE ${`${escaped}%`})`);
  }
  if (f.tag) parts.push(sql`tags && ${f.tag.split(',')}::text[]`);
  if (f.priority) parts.push(sql`priority = ${f.priority}`);
  return parts.reduce((all, part) => sql`${all} AND ${part}`);
}

const queryString = (f: Filters) => new URLSearchParams({ ...f, ...(f.from || f.to ? { tz: '0' } : {}) } as Record<string, string>).toString();

async function getJson<T>(url: string, headers: Record<string, string>): Promise<T> {
  const response = await fetch(url, { headers });
  if (!response.ok) throw new Error(`${url}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

/** Problems found (empty when every figure is exact) and how many figures were compared. */
export async function checkExactness(
  { sql, baseUrl, headers, accountId, listCases, countCases, today }:
  { sql: postgres.Sql; baseUrl: string; headers: Record<string, string>; accountId: string; listCases: Filters[]; countCases: Filters[]; today: string },
): Promise<{ problems: string[]; compared: number }> {
  const problems: string[] = [];
  let compared = 0;
  const compare = (label: string, shown: number | undefined, truth: number) => {
    compared += 1;
    if ((shown ?? 0) !== truth) problems.push(`${label}: the app says ${shown ?? 0}, count(*) says ${truth}`);
  };

  for (const f of listCases) {
    const reply = await getJson<{ total: number; totalPages: number }>(`${baseUrl}/api/v1/jobs?${queryString(f)}`, headers);
    const [{ n }] = await sql<{ n: number }[]>`SELECT count(*)::int AS n FROM jobs WHERE ${where(sql, accountId, f)}`;
    compare(`list total ?${queryString(f)}`, reply.total, n);
    compare(`list totalPages ?${queryString(f)}`, reply.totalPages, Math.max(1, Math.ceil(n / 25)));
  }

  for (const f of countCases) {
    type Counts = { status: Record<string, number>; engine: Record<string, number>; key: Record<string, number>; date: Record<string, number> };
    const reply = await getJson<Counts>(`${baseUrl}/api/v1/jobs/counts?${queryString(f)}`, headers);
    const label = `counts ?${queryString(f)}`;
    for (const [dimension, column] of [['status', 'status'], ['engine', 'engine'], ['key', 'api_key_id']] as const) {
      const rest = { ...f, [dimension]: undefined };
      const rows = await sql<{ value: string; n: number }[]>`
        SELECT ${sql(column)}::text AS value, count(*)::int AS n FROM jobs WHERE ${where(sql, accountId, rest)} GROUP BY 1`;
      const truth = new Map(rows.map((row) => [row.value, row.n]));
      for (const value of new Set([...truth.keys(), ...Object.keys(reply[dimension])])) {
        compare(`${label} ${dimension}=${value}`, reply[dimension][value], truth.get(value) ?? 0);
      }
    }
    const rest = { ...f, from: undefined, to: undefined };
    const since = (days: number) => new Date(Date.parse(`${today}T00:00:00Z`) - (days - 1) * 86_400_000).toISOString().slice(0, 10);
    const [byPreset] = await sql<Record<string, number>[]>`
      SELECT ${sql.unsafe(presets.map(([id, days]) => `count(*) FILTER (WHERE created_at >= '${since(days)}'::date::timestamp AT TIME ZONE 'UTC')::int AS "${id}"`).join(', '))}
      FROM jobs WHERE ${where(sql, accountId, rest)} AND created_at < (${today}::date + 1)::timestamp AT TIME ZONE 'UTC'`;
    for (const [id] of presets) compare(`${label} date=${id}`, reply.date[id], byPreset[id]);
  }
  return { problems, compared };
}
