-- Crawls (issue 16): a start URL and limits; every page fetched is an ordinary job (jobs.crawl_id).
-- The crawl row holds the counters the limits are enforced with (updated under the row's lock by
-- whichever worker discovers links), crawl_urls holds every URL seen once per crawl (its primary
-- key is what keeps two workers from enqueueing the same URL), crawl_hosts each host's robots.txt.
CREATE TABLE "crawls" (
  "id" uuid PRIMARY KEY,
  "account_id" uuid NOT NULL REFERENCES "accounts" ("id"),
  "api_key_id" uuid NOT NULL REFERENCES "api_keys" ("id"),
  "start_url" text NOT NULL,
  "mode" text NOT NULL DEFAULT 'crawl',
  "engine" text NOT NULL,
  "config" jsonb NOT NULL,
  "options" jsonb NOT NULL,
  "name" text,
  "tags" text[] NOT NULL DEFAULT '{}'::text[],
  "priority" text NOT NULL DEFAULT 'normal',
  "webhook_url" text,
  "schedule_id" uuid,
  "change_series" text,
  "max_pages" integer NOT NULL,
  "discovered" integer NOT NULL DEFAULT 0,
  "queued" integer NOT NULL DEFAULT 0,
  "skipped" integer NOT NULL DEFAULT 0,
  "next_start_at" timestamp with time zone NOT NULL DEFAULT now(),
  "stop_reason" text,
  "created_at" timestamp with time zone NOT NULL DEFAULT now(),
  "stopped_at" timestamp with time zone,
  "cancelled_at" timestamp with time zone,
  "completed_at" timestamp with time zone,
  "deleted_at" timestamp with time zone
);
--> statement-breakpoint
CREATE INDEX "crawls_account_created_idx" ON "crawls" ("account_id", "created_at" DESC);
--> statement-breakpoint
-- The sweeper's safety net looks only at crawls not yet completed.
CREATE INDEX "crawls_unfinished_idx" ON "crawls" ("created_at") WHERE "completed_at" IS NULL;
--> statement-breakpoint
CREATE TABLE "crawl_urls" (
  "crawl_id" uuid NOT NULL REFERENCES "crawls" ("id") ON DELETE CASCADE,
  "url" text NOT NULL,
  "depth" integer NOT NULL,
  "seq" integer NOT NULL,
  "job_id" uuid,
  "parent_url" text,
  "skip_reason" text,
  "created_at" timestamp with time zone NOT NULL DEFAULT now(),
  PRIMARY KEY ("crawl_id", "url")
);
--> statement-breakpoint
CREATE INDEX "crawl_urls_seq_idx" ON "crawl_urls" ("crawl_id", "seq");
--> statement-breakpoint
CREATE TABLE "crawl_hosts" (
  "crawl_id" uuid NOT NULL REFERENCES "crawls" ("id") ON DELETE CASCADE,
  "host" text NOT NULL,
  "robots_txt" text,
  "crawl_delay_ms" integer,
  "created_at" timestamp with time zone NOT NULL DEFAULT now(),
  PRIMARY KEY ("crawl_id", "host")
);
--> statement-breakpoint
-- A crawl's pages per state, for its progress and for the check that its last page is terminal.
CREATE INDEX "jobs_crawl_status_idx" ON "jobs" ("crawl_id", "status") WHERE "crawl_id" IS NOT NULL;
--> statement-breakpoint
ALTER TABLE "webhook_outbox" ADD COLUMN "crawl_id" uuid;
--> statement-breakpoint
ALTER TABLE "webhook_deliveries" ADD COLUMN "crawl_id" uuid;
