-- Issue 12: a list filtered by status and sorted by duration or credits (the dashboard's "Failed,
-- most credits first", a deep page of completed jobs by duration) read the sort's index and checked
-- each row's status in the table: tens of thousands of row visits for page 1,000. With status
-- leading, such a page is a range of one index. Plain CREATE INDEX, as in 0004: on a table of
-- millions it holds off writes to jobs while it builds (about 2 s per index per million jobs here).
CREATE INDEX "jobs_list_status_duration_idx" ON "jobs" ("account_id", "status", "duration_ms" NULLS FIRST, "created_at", "id") WHERE "deleted_at" IS NULL;
--> statement-breakpoint
CREATE INDEX "jobs_list_status_credits_idx" ON "jobs" ("account_id", "status", (CASE WHEN "status" IN ('queued', 'processing') THEN "credit_cost" ELSE "credits_charged" END), "created_at", "id") WHERE "deleted_at" IS NULL;
