-- Issue 16 foundation: where a job came from beyond a batch, and the series its content is
-- compared within. A crawl's page jobs carry crawl_id; a schedule's runs carry schedule_id (and a
-- crawl or batch a schedule started passes it on to its jobs). change_series is set when the job
-- tracks changes: each run is compared with the previous completed job of the same URL in the same
-- series ('schedule:<id>', 'crawl:<id>' or 'account' for a lone job with trackChanges).
ALTER TABLE "jobs" ADD COLUMN "crawl_id" uuid;
--> statement-breakpoint
ALTER TABLE "jobs" ADD COLUMN "schedule_id" uuid;
--> statement-breakpoint
ALTER TABLE "jobs" ADD COLUMN "change_series" text;
