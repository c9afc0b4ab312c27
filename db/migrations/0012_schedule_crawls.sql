-- Schedules can start crawls (issue 16): a run's crawl, beside its job or batch. A crawl is kept
-- (soft-deleted) as long as its account, so the reference is to the row; SET NULL only for a purge.
ALTER TABLE "schedule_runs" ADD COLUMN "crawl_id" uuid REFERENCES "crawls"("id") ON DELETE SET NULL;
