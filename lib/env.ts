import { z } from 'zod';
import { clampPollSeconds, defaultPollSeconds } from '@/lib/polling';
import { engines, type Engine } from '@/lib/jobs';
import { parseProxyPool } from '@/lib/proxy-pool';

// The only place that reads process.env. Every variable is listed in .env.example with its
// default and meaning; a malformed value fails at start naming the variable.

const bool = z
  .enum(['true', 'false', '1', '0', ''])
  .transform((value) => value === 'true' || value === '1');

const seconds = (fallback: number) => z.coerce.number().positive().default(fallback);
const count = (fallback: number) => z.coerce.number().int().min(1).default(fallback);

/** `browser=7,stealth=12`: engine prices that replace spec section 2's table. */
const priceOverrides = z
  .string()
  .default('')
  .transform((value, ctx) => {
    const prices: Partial<Record<Engine, number>> = {};
    for (const entry of value.split(',').map((part) => part.trim()).filter(Boolean)) {
      const [engine, price] = entry.split('=').map((part) => part.trim());
      if (!(engines as readonly string[]).includes(engine) || !/^\d+$/.test(price ?? '')) {
        ctx.addIssue({ code: 'custom', message: `"${entry}" is not <engine>=<whole number of credits> (engines: ${engines.join(', ')})` });
        return z.NEVER;
      }
      prices[engine as Engine] = Number(price);
    }
    return prices;
  });

const envSchema = z.object({
  /** Dashboard poll intervals in seconds, clamped to 2-60 (spec 001); a non-number falls back to the default. */
  DASHBOARD_LIST_POLL_SECONDS: z.string().optional().transform((v) => clampPollSeconds(v, defaultPollSeconds.list)),
  DASHBOARD_DETAIL_POLL_SECONDS: z.string().optional().transform((v) => clampPollSeconds(v, defaultPollSeconds.detail)),
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  /** Unset: an embedded Postgres is started under EMBEDDED_PG_DIR by the dev/start commands. */
  DATABASE_URL: z.url().optional(),
  DATABASE_POOL_MAX: count(10),
  /**
   * A session (direct, or session-mode pooler) connection to the same database, for what a
   * transaction-mode pooler cannot carry: LISTEN (the scrape wait) and migrations. Unset: DATABASE_URL.
   */
  DATABASE_URL_DIRECT: z.url().optional(),
  /**
   * Seconds to wait for a connection to open before the request gets 503 database_unavailable
   * (web) or the worker tries again: a database that is down answers in milliseconds, so this
   * bounds the unreachable kind (a host gone, a firewall dropping packets).
   */
  DATABASE_CONNECT_TIMEOUT_SECONDS: seconds(3),
  /** Seconds any one statement may run before Postgres cancels it (statement_timeout). */
  DATABASE_STATEMENT_TIMEOUT_SECONDS: seconds(30),
  EMBEDDED_PG_DIR: z.string().default('.data/postgres'),
  EMBEDDED_PG_PORT: z.coerce.number().int().min(1).max(65535).default(54329),
  AUTH_SECRET: z.string().min(16).optional(),
  SEED_DEMO: bool.optional(),

  WORKER_CONCURRENCY_HTTP: count(16),
  WORKER_CONCURRENCY_BROWSER: count(2),
  WORKER_CONCURRENCY_STEALTH: count(2),
  /** Seconds a stopping worker waits for running jobs before handing them back. */
  WORKER_SHUTDOWN_GRACE_SECONDS: seconds(20),
  /** Port of the worker's health endpoint (GET /health); unset: no endpoint. The image sets 8080. */
  WORKER_HEALTH_PORT: z.coerce.number().int().min(1).max(65535).optional(),
  /** A processing job whose worker has not renewed its lease for this long is recovered. */
  JOB_LEASE_SECONDS: seconds(30),
  /** Queued jobs older than this become expired (spec section 2: default 5 minutes). */
  MAX_QUEUE_WAIT_SECONDS: seconds(300),
  /** Results larger than this fail with CONTENT_TOO_LARGE. */
  MAX_RESULT_BYTES: count(10 * 1024 * 1024),
  /** Comma-separated CIDRs the egress guard lets through despite being private. Off by default. */
  EGRESS_ALLOWLIST: z.string().default(''),
  /** Backoff between automatic retries is multiplied by this; tests shrink it. */
  RETRY_DELAY_SCALE: z.coerce.number().min(0).max(10).default(1),
  LOG_FLUSH_MS: z.coerce.number().int().min(10).max(5000).default(200),
  /** Webhook deliveries: automatic retries after the first attempt, and the first retry's delay (doubling after). */
  WEBHOOK_RETRY_LIMIT: z.coerce.number().int().min(0).max(20).default(5),
  WEBHOOK_RETRY_DELAY_SECONDS: z.coerce.number().int().min(0).max(3600).default(30),

  /**
   * Live streams (SSE) close after this many seconds and the client reconnects with Last-Event-ID:
   * keep it below the host's streaming limit (Vercel: the route's maxDuration in vercel.json, 300).
   */
  STREAM_MAX_SECONDS: z.coerce.number().int().min(1).max(86_400).default(270),
  /** The web app's public origin (https://scrapifie.example.com): webhook events link to results with it. */
  PUBLIC_URL: z.url({ protocol: /^https?$/ }).optional(),
  /** Bearer token GET /api/metrics requires (Prometheus `authorization`); unset: the endpoint answers 404. */
  METRICS_TOKEN: z.string().min(16, 'METRICS_TOKEN must be at least 16 characters').optional(),

  /** Credits per engine replacing the defaults (http 1, browser 5, stealth 10), e.g. `browser=7`. */
  PRICE_OVERRIDES: priceOverrides,

  /**
   * Rate limits (token buckets in Postgres, see lib/server/rate-limit.ts): tokens per second and
   * bucket size. Job creation is limited per API key (per account for the dashboard), expensive
   * reads per account. A rate of 0 turns that limit off.
   */
  RATE_LIMIT_CREATE_PER_SECOND: z.coerce.number().min(0).default(20),
  RATE_LIMIT_CREATE_BURST: count(100),
  RATE_LIMIT_READ_PER_SECOND: z.coerce.number().min(0).default(10),
  RATE_LIMIT_READ_BURST: count(200),

  /** Server logs: `json` (one object per line) or `pretty` (for a terminal). */
  LOG_FORMAT: z.enum(['json', 'pretty']).default('json'),
  /** The lowest level written; unset: info (warn under the test runner, NODE_ENV=test). */
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).optional(),

  /** Retention (spec section 11): days logs, result data and screenshots are kept. */
  RETENTION_LOGS_DAYS: count(90),
  RETENTION_RESULTS_DAYS: count(30),
  RETENTION_SCREENSHOTS_DAYS: count(14),
  RETENTION_EVENTS_DAYS: count(30),
  /** When the worker runs the daily purge (cron, UTC), and how many rows each delete batch takes. */
  RETENTION_PURGE_CRON: z.string().trim().min(9).default('0 3 * * *'),
  RETENTION_PURGE_BATCH: count(1000),

  /** Chromium binary for the Browser and Stealth engines; unset: the one @sparticuz/chromium unpacks. */
  CHROMIUM_PATH: z.string().min(1).optional(),
  /** A remote Chrome's DevTools WebSocket (e.g. a browserless pool) used instead of launching one. */
  BROWSER_WS_ENDPOINT: z.url({ protocol: /^wss?$/ }).optional(),
  /** A worker's browser is replaced after this many pages or this many minutes, whichever first. */
  BROWSER_MAX_PAGES: count(100),
  BROWSER_MAX_AGE_MINUTES: z.coerce.number().positive().default(30),
  /** Address the worker's egress proxy listens on; browsers are told to use it. */
  EGRESS_PROXY_HOST: z.string().min(1).default('127.0.0.1'),
  /** Upstream proxies: `<url>#<country>:<type>` separated by commas; see lib/proxy-pool.ts. */
  PROXY_POOL: z
    .string()
    .default('')
    .superRefine((value, ctx) => {
      try {
        parseProxyPool(value);
      } catch (error) {
        ctx.addIssue({ code: 'custom', message: (error as Error).message });
      }
    }),
});

export type Env = z.infer<typeof envSchema>;

/** Every variable the app reads (for `npm run deploy`, which forwards the ones set). */
export const envKeys = Object.keys(envSchema.shape) as (keyof Env)[];

let cached: Env | undefined;

export function getEnv(): Env {
  if (cached) return cached;
  const parsed = envSchema.safeParse(process.env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new Error(`Invalid environment: ${problems.join('; ')}`);
  }
  cached = parsed.data;
  return cached;
}

/** Tests and the dev launcher change process.env after start; this makes getEnv read it again. */
export function resetEnvCache(): void {
  cached = undefined;
}
