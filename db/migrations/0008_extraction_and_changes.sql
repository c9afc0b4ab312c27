-- Issue 16, change tracking: one row per finished job that tracks changes (jobs.change_series
-- set), written in the transaction that finishes the job. It keeps the hashes a later run is
-- compared with (so no second fetch, and still after retention purged the previous result's
-- bytes), the outcome, the previous job it was compared with, and a size-capped unified diff.
CREATE TABLE "job_changes" (
	"job_id" uuid PRIMARY KEY NOT NULL REFERENCES "jobs"("id"),
	"account_id" uuid NOT NULL,
	"series" text NOT NULL,
	"url" text NOT NULL,
	"status" text NOT NULL,
	"content_hash" text,
	"extracted_hash" text,
	"previous_job_id" uuid,
	"diff" text,
	"diff_kind" text,
	"diff_truncated" boolean DEFAULT false NOT NULL,
	"diff_note" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
-- "The previous run of this series and URL" is one probe: the newest entry of (account, series,
-- URL). URLs run to 8,192 characters, past a btree key's limit, so the index holds their md5.
CREATE INDEX "job_changes_series_url_idx" ON "job_changes" ("account_id", "series", md5("url"), "created_at" DESC);
--> statement-breakpoint
-- The jobs list's "Changed only" filter drives from here: the account's changed and removed runs.
CREATE INDEX "job_changes_changed_idx" ON "job_changes" ("account_id", "job_id") WHERE "status" IN ('changed', 'removed');
