CREATE TABLE "export_events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"account_id" uuid NOT NULL,
	"format" text NOT NULL,
	"rows" integer NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "job_defaults" (
	"account_id" uuid PRIMARY KEY NOT NULL,
	"defaults" jsonb NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "purge_runs" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"trigger" text NOT NULL,
	"started_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp (3) with time zone,
	"logs_days" integer NOT NULL,
	"results_days" integer NOT NULL,
	"screenshots_days" integer NOT NULL,
	"results_marked" bigint DEFAULT 0 NOT NULL,
	"screenshots_marked" bigint DEFAULT 0 NOT NULL,
	"logs_jobs_marked" bigint DEFAULT 0 NOT NULL,
	"results_purged" bigint DEFAULT 0 NOT NULL,
	"results_bytes" bigint DEFAULT 0 NOT NULL,
	"screenshots_purged" bigint DEFAULT 0 NOT NULL,
	"screenshots_bytes" bigint DEFAULT 0 NOT NULL,
	"logs_purged" bigint DEFAULT 0 NOT NULL,
	"logs_bytes" bigint DEFAULT 0 NOT NULL,
	"error" text
);
--> statement-breakpoint
DROP INDEX "accounts_email_unique";--> statement-breakpoint
ALTER TABLE "accounts" ADD COLUMN "deletion_requested_at" timestamp (3) with time zone;--> statement-breakpoint
ALTER TABLE "jobs" ADD COLUMN "logs_purged_at" timestamp (3) with time zone;--> statement-breakpoint
ALTER TABLE "jobs" ADD COLUMN "logs_deleted_at" timestamp (3) with time zone;--> statement-breakpoint
ALTER TABLE "export_events" ADD CONSTRAINT "export_events_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "job_defaults" ADD CONSTRAINT "job_defaults_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "export_events_account_idx" ON "export_events" USING btree ("account_id","created_at");--> statement-breakpoint
CREATE INDEX "accounts_deletion_pending_idx" ON "accounts" USING btree ("id") WHERE "accounts"."deletion_requested_at" IS NOT NULL AND "accounts"."deleted_at" IS NULL;--> statement-breakpoint
CREATE INDEX "credit_ledger_account_id_idx" ON "credit_ledger" USING btree ("account_id","id");--> statement-breakpoint
CREATE INDEX "job_results_retention_idx" ON "job_results" USING btree ("kind","created_at") WHERE "job_results"."purged_at" IS NULL;--> statement-breakpoint
CREATE INDEX "job_results_purge_pending_idx" ON "job_results" USING btree ("job_id","kind") WHERE "job_results"."purged_at" IS NOT NULL AND "job_results"."content" IS NOT NULL;--> statement-breakpoint
CREATE INDEX "jobs_logs_retention_idx" ON "jobs" USING btree ("created_at") WHERE "jobs"."logs_purged_at" IS NULL;--> statement-breakpoint
CREATE INDEX "jobs_logs_purge_pending_idx" ON "jobs" USING btree ("id") WHERE "jobs"."logs_purged_at" IS NOT NULL AND "jobs"."logs_deleted_at" IS NULL;--> statement-breakpoint
CREATE UNIQUE INDEX "accounts_email_unique" ON "accounts" USING btree (lower("email")) WHERE "accounts"."deleted_at" IS NULL;