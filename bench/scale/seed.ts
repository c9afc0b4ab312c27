import type { Sql } from 'postgres';

// The seeded accounts' jobs, written with one INSERT ... SELECT ... FROM generate_series per table
// (row by row would take an hour here). Every row goes through the real tables, so any trigger on
// them fires: a statement-level trigger sees each INSERT below as one statement. Random values
// come from random() after setseed, so a seed of the same size gives the same data.

export type SeedAccount = {
  accountId: string;
  /** Production (most jobs), Staging, and an old key revoked 30 days ago (only older jobs). */
  keyIds: [string, string, string];
  jobs: number;
  /** setseed() value, so the two accounts differ. */
  seed: number;
};

/** Jobs written per account beyond the mix: the newest this many get logs and results. */
export const jobsWithLogs = 20_000;
/** Jobs per seeded batch, and every how many groups of that size one is a batch. */
const batchSize = 50;
const batchEvery = 20;
/** Share of jobs still active (queued or processing), all created in the last 10 minutes. */
export const activeShare = 0.003;
export const hostCount = 2000;

const firstWords = [
  'acme', 'globex', 'initech', 'umbrella', 'stark', 'wayne', 'hooli', 'vandelay', 'wonka', 'tyrell',
  'cyberdyne', 'soylent', 'oscorp', 'aperture', 'gringotts', 'monarch', 'zorg', 'nakatomi', 'dunder', 'pied',
  'contoso', 'fabrikam', 'northwind', 'tailspin', 'litware', 'adatum', 'proseware', 'woodgrove', 'lucerne', 'fourth',
  'alpine', 'coho', 'margie', 'trey', 'wingtip', 'blue', 'graphic', 'humongous', 'relecloud', 'southridge',
];
const secondWords = [
  'market', 'store', 'outlet', 'depot', 'bazaar', 'mart', 'supply', 'goods', 'trade', 'house',
  'labs', 'works', 'media', 'news', 'press', 'daily', 'times', 'post', 'review', 'journal',
  'travel', 'hotels', 'flights', 'rentals', 'estate', 'homes', 'autos', 'motors', 'parts', 'tools',
  'books', 'music', 'games', 'sports', 'fitness', 'health', 'pharma', 'foods', 'wines', 'coffee',
  'fashion', 'shoes', 'jewels', 'watches', 'toys', 'garden', 'pets', 'tech', 'cloud', 'quartz',
];
const tlds = ['.com', '.net', '.io', '.co.uk', '.de', '.fr', '.shop'];
const errorKinds: [string, string][] = [
  ['TIMEOUT', 'Request timed out after 30000 ms'],
  ['TIMEOUT', 'Navigation timed out after 30000 ms'],
  ['TARGET_BLOCKED', 'Target blocked the request (HTTP 403)'],
  ['TARGET_BLOCKED', 'Target blocked the request (HTTP 403)'],
  ['RATE_LIMITED', 'Target answered 429 Too Many Requests'],
  ['CAPTCHA_DETECTED', 'A CAPTCHA challenge was detected on the page'],
  ['PROXY_CONNECTION_FAILED', 'Could not connect through the proxy'],
  ['SELECTOR_NOT_FOUND', 'waitForSelector did not match within 10000 ms'],
  ['CONTENT_TOO_LARGE', 'Response larger than 10485760 bytes'],
  ['INTERNAL_ERROR', 'Unexpected error in the scraper'],
];

const textArray = (values: string[]) => `ARRAY[${values.map((v) => `'${v.replace(/'/g, "''")}'`).join(',')}]`;

/** The host of host number `h` (0 to hostCount - 1): "<first>-<second><tld>", each pair once. */
export function hostName(h: number): string {
  return `${firstWords[h % firstWords.length]}-${secondWords[Math.floor(h / firstWords.length)]}${tlds[h % tlds.length]}`;
}

const hostSql = (h: string) =>
  `(${textArray(firstWords)})[${h} % ${firstWords.length} + 1] || '-' || (${textArray(secondWords)})[${h} / ${firstWords.length} + 1] || (${textArray(tlds)})[${h} % ${tlds.length} + 1]`;

/** The path term that ~10 % of URLs contain (and no host does). */
export const tenPercentTerm = '/products/';

const jobConfig = JSON.stringify({ method: 'GET', headers: {}, cookies: {}, renderJs: true, waitTimeoutMs: 10_000, screenshot: false, format: 'html', timeoutMs: 30_000 });

/**
 * The account's jobs and batches. Times are relative to the statement's now(): 120 days of
 * history, the active jobs in the last 10 minutes. Hosts follow floor(2000·r³), so a few hosts
 * are busy and the last ones rare (host 1999: ~1 job in 6,000).
 */
async function seedJobs(sql: Sql, a: SeedAccount): Promise<void> {
  const n = a.jobs;
  const active = Math.max(1, Math.round(n * activeShare));
  const batches = Math.floor((n - active) / batchSize / batchEvery);
  const [k1, k2, k3] = a.keyIds.map((id) => `'${id}'::uuid`);
  // A valid version-4 UUID from a hash (the API checks the version and variant digits).
  const batchUuid = (b: string) => `overlay(overlay(md5('batch-${a.accountId}-' || ${b}) placing '4' from 13) placing '8' from 17)::uuid`;
  // A batch's jobs are created together, at a time spread over the 120 days by the golden ratio.
  const batchTime = (b: string) => `now() - interval '10 minutes' - interval '120 days' * ((${b} * 0.6180339887) % 1)`;

  await sql.unsafe(`
    INSERT INTO batches (id, account_id, api_key_id, name, tags, priority, engine, config, total, created_at, completed_at)
    SELECT ${batchUuid('b')}, '${a.accountId}', ${k1}, 'Catalogue sweep #' || b, '{batch,catalogue}', 'normal', 'http',
      '${jobConfig}'::jsonb, ${batchSize}, ${batchTime('b')}, ${batchTime('b')} + interval '20 minutes'
    FROM generate_series(0, ${batches - 1}) AS b`);

  await sql.unsafe(`
    INSERT INTO jobs (id, account_id, api_key_id, url, engine, config, name, tags, priority, status, attempts, max_attempts,
      credit_cost, credits_charged, is_test, created_at, started_at, finished_at, duration_ms, batch_id, error_type, error_message,
      log_seq, worker_id, lease_expires_at, deleted_at, logs_purged_at, logs_deleted_at)
    SELECT gen_random_uuid(), '${a.accountId}', key_id, url, engine, '${jobConfig}'::jsonb, name, tags, priority, status, attempts, 3,
      price, CASE WHEN status IN ('completed', 'failed') THEN price ELSE 0 END, false,
      created_at, started_at, finished_at,
      CASE WHEN finished_at IS NOT NULL AND started_at IS NOT NULL THEN (extract(epoch FROM finished_at - started_at) * 1000)::int END,
      batch_id, error_type, error_message,
      CASE status WHEN 'completed' THEN 5 WHEN 'failed' THEN 3 + 2 * attempts WHEN 'processing' THEN 3 WHEN 'queued' THEN 2 ELSE 3 END,
      CASE WHEN status = 'processing' THEN 'bench-worker' END,
      CASE WHEN status = 'processing' THEN now() + interval '30 seconds' END,
      CASE WHEN status NOT IN ('queued', 'processing') AND rd < 0.005 THEN least(now(), finished_at + interval '1 day' * rw) END,
      CASE WHEN created_at < now() - interval '90 days' THEN created_at + interval '91 days' END,
      CASE WHEN created_at < now() - interval '90 days' THEN created_at + interval '91 days' END
    FROM (
      SELECT *,
        CASE WHEN status IN ('queued', 'expired') OR (status = 'cancelled' AND rw < 0.5) THEN NULL
          ELSE created_at + interval '1 millisecond' * (50 + rw * 2500) END AS started_at,
        CASE
          WHEN status IN ('queued', 'processing') THEN NULL
          WHEN status = 'expired' THEN created_at + interval '300 seconds'
          WHEN status = 'cancelled' THEN created_at + interval '1 millisecond' * (50 + rw * 2500 + rd * 4000 + 200)
          ELSE created_at + interval '1 millisecond' * (50 + rw * 2500 + base_ms + CASE WHEN attempts = 3 THEN 5000 WHEN attempts = 2 THEN 1000 ELSE 0 END)
        END AS finished_at,
        CASE WHEN status = 'failed' THEN (${textArray(errorKinds.map(([type]) => type))})[1 + floor(re2 * ${errorKinds.length})::int] END AS error_type,
        CASE WHEN status = 'failed' THEN (${textArray(errorKinds.map(([, message]) => message))})[1 + floor(re2 * ${errorKinds.length})::int] END AS error_message
      FROM (
        SELECT *,
          CASE status WHEN 'completed' THEN CASE WHEN ra < 0.93 THEN 1 WHEN ra < 0.98 THEN 2 ELSE 3 END
            WHEN 'failed' THEN CASE WHEN ra < 0.7 THEN 3 ELSE 1 END
            WHEN 'processing' THEN 1
            WHEN 'cancelled' THEN CASE WHEN rw < 0.5 THEN 0 ELSE 1 END
            ELSE 0 END AS attempts,
          CASE engine WHEN 'http' THEN 150 + rd * 2500 WHEN 'browser' THEN 1500 + rd * 9000 ELSE 2500 + rd * 14000 END AS base_ms,
          CASE engine WHEN 'http' THEN 1 WHEN 'browser' THEN 5 ELSE 10 END AS price,
          CASE WHEN batch_id IS NULL AND created_at < now() - interval '30 days' AND rk < 0.15 THEN ${k3}
            WHEN batch_id IS NOT NULL OR rk < 0.72 THEN ${k1} ELSE ${k2} END AS key_id,
          'https://' || CASE WHEN h % 3 = 0 THEN 'www.' ELSE '' END || ${hostSql('h')} ||
          CASE WHEN rp < 0.10 THEN '${tenPercentTerm}' || (i % 5000) || '-' || (${textArray(secondWords)})[i % ${secondWords.length} + 1]
            WHEN rp < 0.30 THEN '/blog/' || to_char(created_at, 'YYYY/MM') || '/post-' || (i % 997)
            WHEN rp < 0.45 THEN '/search?q=' || (${textArray(secondWords)})[i % ${secondWords.length} + 1] || '&page=' || (i % 40)
            WHEN rp < 0.60 THEN '/category/' || (${textArray(firstWords)})[i % ${firstWords.length} + 1] || '/page/' || (i % 60)
            WHEN rp < 0.75 THEN '/api/v2/items/' || i
            WHEN rp < 0.85 THEN '/'
            ELSE '/p/' || substr(md5(i::text), 1, 12) END AS url
        FROM (
          SELECT *,
            CASE WHEN i > ${n - active} THEN CASE WHEN rs < 0.6 THEN 'queued' ELSE 'processing' END
              WHEN rs < 0.80 THEN 'completed' WHEN rs < 0.90 THEN 'failed' WHEN rs < 0.95 THEN 'cancelled' ELSE 'expired' END AS status,
            CASE WHEN batch_id IS NOT NULL THEN 'http' WHEN re < 0.85 THEN 'http' WHEN re < 0.95 THEN 'browser' ELSE 'stealth' END AS engine,
            CASE WHEN i > ${n - active} THEN now() - interval '10 minutes' * rt
              WHEN batch_id IS NOT NULL THEN ${batchTime('((i - 1) / ' + batchSize + ')')} + interval '100 milliseconds' * ((i - 1) % ${batchSize})
              ELSE now() - interval '10 minutes' - (interval '120 days' - interval '10 minutes') * rt END AS created_at,
            CASE WHEN batch_id IS NOT NULL THEN 'Catalogue sweep #' || ((i - 1) / ${batchSize})
              WHEN rn < 0.40 THEN NULL WHEN rn < 0.70 THEN 'Price check ' || (${textArray(firstWords)})[i % ${firstWords.length} + 1]
              WHEN rn < 0.90 THEN 'Daily crawl #' || (i % 1000) ELSE 'SEO audit ' || (i % 300) END AS name,
            CASE WHEN batch_id IS NOT NULL THEN '{batch,catalogue}'::text[] WHEN rg < 0.5 THEN '{}'::text[] WHEN rg < 0.7 THEN '{prod}'::text[]
              WHEN rg < 0.8 THEN '{daily,prices}'::text[] WHEN rg < 0.9 THEN '{seo}'::text[] WHEN rg < 0.95 THEN '{monitor,competitor}'::text[]
              ELSE '{prod,retry-ok}'::text[] END AS tags,
            CASE WHEN rq < 0.85 THEN 'normal' WHEN rq < 0.95 THEN 'high' WHEN rq < 0.99 THEN 'low' ELSE 'urgent' END AS priority,
            floor(${hostCount} * rh * rh * rh)::int AS h
          FROM (
            SELECT i, random() AS rs, random() AS re, random() AS re2, random() AS rk, random() AS rt, random() AS rh, random() AS rp,
              random() AS rn, random() AS rg, random() AS rq, random() AS ra, random() AS rw, random() AS rd,
              CASE WHEN i <= ${n - active} AND ((i - 1) / ${batchSize}) % ${batchEvery} = 0 AND (i - 1) / ${batchSize} < ${batches * batchEvery}
                THEN ${batchUuid(`((i - 1) / ${batchSize})`)} END AS batch_id
            FROM generate_series(1, ${n}) AS i
            OFFSET 0
          ) r
        ) s
      ) t
    ) u`);
}

/**
 * Attempts for every job that ran (the last one with the job's outcome, earlier ones `retrying`),
 * and for the newest jobsWithLogs jobs their log lines and (completed ones) a result.
 */
async function seedAttemptsLogsResults(sql: Sql, a: SeedAccount): Promise<void> {
  await sql.unsafe(`
    INSERT INTO job_attempts (job_id, attempt, started_at, finished_at, outcome, error_type, error_message)
    SELECT j.id, n, j.started_at + (n - 1) * (coalesce(j.finished_at, now()) - j.started_at) / j.attempts,
      CASE WHEN j.status = 'processing' THEN NULL ELSE j.started_at + n * (j.finished_at - j.started_at) / j.attempts END,
      CASE WHEN n < j.attempts THEN 'retrying' WHEN j.status = 'processing' THEN 'running' ELSE j.status END,
      CASE WHEN n < j.attempts OR j.status = 'failed' THEN coalesce(j.error_type, 'TIMEOUT') END,
      CASE WHEN n < j.attempts OR j.status = 'failed' THEN coalesce(j.error_message, 'Request timed out after 30000 ms') END
    FROM jobs j, generate_series(1, j.attempts) AS n
    WHERE j.account_id = '${a.accountId}' AND j.attempts > 0`);

  const newest = `SELECT * FROM jobs WHERE account_id = '${a.accountId}' ORDER BY created_at DESC LIMIT ${jobsWithLogs}`;
  await sql.unsafe(`
    INSERT INTO job_logs (job_id, seq, ts, level, message, metadata)
    SELECT j.id, line.seq, j.created_at + (line.seq - 1) * coalesce(j.finished_at - j.created_at, interval '1 second') / greatest(j.log_seq, 1),
      line.level, line.message, NULL
    FROM (${newest}) j, LATERAL (
      SELECT seq, CASE WHEN j.status = 'failed' AND seq = j.log_seq THEN 'ERROR' WHEN j.status = 'failed' AND seq > 2 AND seq % 2 = 0 THEN 'WARN' ELSE 'INFO' END AS level,
        CASE WHEN seq = 1 THEN 'Job queued' WHEN seq = 2 THEN 'Queue position: ' || (1 + seq % 7)
          WHEN seq = j.log_seq AND j.status = 'completed' THEN 'Job completed successfully'
          WHEN seq = j.log_seq AND j.status = 'failed' THEN 'Job failed: ' || coalesce(j.error_message, 'error')
          WHEN seq = j.log_seq AND j.status = 'cancelled' THEN 'Job cancelled'
          WHEN seq = j.log_seq AND j.status = 'expired' THEN 'Job expired after waiting 5m 0s in queue (maximum 5m 0s)'
          WHEN seq % 2 = 1 THEN 'Attempt ' || (seq - 1) / 2 || ' started (' || j.engine || ' engine)'
          ELSE 'Fetched ' || j.url || ': 200 OK' END AS message
      FROM generate_series(1, j.log_seq) AS seq
    ) line`);

  await sql.unsafe(`
    INSERT INTO job_results (job_id, kind, format, content_type, size, content, created_at)
    SELECT j.id, 'content', 'html', 'text/html; charset=utf-8', length(body), convert_to(body, 'UTF8'), j.finished_at
    FROM (${newest}) j, LATERAL (SELECT '<!doctype html><html><head><title>' || j.url || '</title></head><body>' || repeat('<p>Lorem ipsum dolor sit amet.</p>', 40) || '</body></html>' AS body) b
    WHERE j.status = 'completed'`);
}

/**
 * The credit history the jobs imply: a grant 121 days ago, one charge per charged job at its
 * finish with the running balance, and the account's balance and reservation to match.
 */
async function seedCredits(sql: Sql, a: SeedAccount): Promise<void> {
  const grant = a.jobs * 3;
  await sql.unsafe(`
    INSERT INTO credit_ledger (account_id, job_id, amount, reason, balance_after, created_at)
    VALUES ('${a.accountId}', NULL, ${grant}, 'grant', ${grant}, now() - interval '121 days')`);
  await sql.unsafe(`
    INSERT INTO credit_ledger (account_id, job_id, amount, reason, balance_after, created_at)
    SELECT account_id, id, -credits_charged, 'job_charge', ${grant} - sum(credits_charged) OVER (ORDER BY finished_at, id), finished_at
    FROM jobs WHERE account_id = '${a.accountId}' AND credits_charged > 0
    ORDER BY finished_at, id`);
  await sql.unsafe(`
    UPDATE accounts SET created_at = now() - interval '121 days',
      credits = ${grant} - (SELECT coalesce(sum(credits_charged), 0) FROM jobs WHERE account_id = '${a.accountId}'),
      reserved_credits = (SELECT coalesce(sum(credit_cost), 0) FROM jobs WHERE account_id = '${a.accountId}' AND status IN ('queued', 'processing'))
    WHERE id = '${a.accountId}'`);
  await sql.unsafe(`UPDATE api_keys SET created_at = now() - interval '121 days' WHERE account_id = '${a.accountId}'`);
  await sql.unsafe(`UPDATE api_keys SET revoked_at = now() - interval '30 days', last_used_at = now() - interval '30 days' WHERE id = '${a.keyIds[2]}'`);
}

export type SeedTimings = Record<'jobs' | 'attemptsLogsResults' | 'credits', number>;

/** Seeds one account on one connection (setseed applies to that session only). */
export async function seedAccount(client: Sql, account: SeedAccount): Promise<SeedTimings> {
  const sql = await client.reserve();
  try {
    await sql.unsafe(`SELECT setseed(${account.seed})`);
    const timed = async (step: () => Promise<void>) => {
      const started = performance.now();
      await step();
      return performance.now() - started;
    };
    return {
      jobs: await timed(() => seedJobs(sql, account)),
      attemptsLogsResults: await timed(() => seedAttemptsLogsResults(sql, account)),
      credits: await timed(() => seedCredits(sql, account)),
    };
  } finally {
    sql.release();
  }
}
