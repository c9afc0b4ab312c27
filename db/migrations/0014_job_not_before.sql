-- Issue 16: a crawl page spaced by the politeness delay (delayMs 10,000 over 100 pages: the last
-- starts 1,000 s after it was created) is scheduled, not late. Its earliest start is stored, and a
-- queued job's wait (expiry after MAX_QUEUE_WAIT_SECONDS, the 30-second wait warnings) counts from
-- coalesce(not_before, created_at). The queued jobs' index is on that expression, so the stale scan
-- stays a range scan of the queued jobs.
ALTER TABLE "jobs" ADD COLUMN "not_before" timestamp (3) with time zone;
--> statement-breakpoint
DROP INDEX "jobs_queued_idx";
--> statement-breakpoint
CREATE INDEX "jobs_queued_idx" ON "jobs" USING btree ((coalesce("not_before", "created_at"))) WHERE "jobs"."status" = 'queued';
