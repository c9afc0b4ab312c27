-- The webhook event log and the delivery history are kept RETENTION_EVENTS_DAYS (30) like the
-- other data the daily purge removes; their purge deletes by age, so each gets an index on it.
ALTER TABLE "purge_runs" ADD COLUMN "events_days" integer DEFAULT 30 NOT NULL;
--> statement-breakpoint
ALTER TABLE "purge_runs" ADD COLUMN "events_purged" bigint DEFAULT 0 NOT NULL;
--> statement-breakpoint
ALTER TABLE "purge_runs" ADD COLUMN "deliveries_purged" bigint DEFAULT 0 NOT NULL;
--> statement-breakpoint
CREATE INDEX "webhook_event_log_created_idx" ON "webhook_event_log" USING btree ("created_at");
--> statement-breakpoint
CREATE INDEX "webhook_deliveries_created_idx" ON "webhook_deliveries" USING btree ("created_at") WHERE "status" <> 'pending';
