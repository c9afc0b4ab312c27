-- Schedules (issue 16): a job or batch definition started on a cron expression in an IANA time
-- zone by whichever worker claims it. `next_run_at` is the next scheduled time; the partial index
-- is what every worker's trigger loop reads. A dashboard-made schedule has no api_key_id and runs
-- under the account's default key, as a dashboard job does.
CREATE TABLE "schedules" (
  "id" uuid PRIMARY KEY NOT NULL,
  "account_id" uuid NOT NULL REFERENCES "accounts"("id"),
  "api_key_id" uuid REFERENCES "api_keys"("id"),
  "name" text NOT NULL,
  "cron" text NOT NULL,
  "timezone" text NOT NULL DEFAULT 'UTC',
  "overlap" text NOT NULL DEFAULT 'skip',
  "target" jsonb NOT NULL,
  "next_run_at" timestamp (3) with time zone NOT NULL,
  "paused_at" timestamp (3) with time zone,
  "created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
  "updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE INDEX "schedules_account_created_idx" ON "schedules" ("account_id", "created_at" DESC);
--> statement-breakpoint
CREATE INDEX "schedules_due_idx" ON "schedules" ("next_run_at") WHERE "paused_at" IS NULL;
--> statement-breakpoint
-- One row per (schedule, scheduled time): the unique key is what makes a run happen once however
-- many workers reach it. Written in the transaction that creates the run's job or batch.
CREATE TABLE "schedule_runs" (
  "id" uuid PRIMARY KEY NOT NULL,
  "schedule_id" uuid NOT NULL REFERENCES "schedules"("id") ON DELETE CASCADE,
  "account_id" uuid NOT NULL REFERENCES "accounts"("id"),
  "scheduled_for" timestamp (3) with time zone NOT NULL,
  "ran_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
  "outcome" text NOT NULL,
  "reason" text,
  "job_id" uuid,
  "batch_id" uuid
);
--> statement-breakpoint
CREATE UNIQUE INDEX "schedule_runs_schedule_time_unique" ON "schedule_runs" ("schedule_id", "scheduled_for");
