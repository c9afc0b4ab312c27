-- Live streams (issue 15): every change a stream shows is announced at commit on a NOTIFY
-- channel, with ids only, whichever code path made it. Jobs inserted by one statement (a single
-- submit, a retry, a batch) are announced per job up to 100 rows, beyond that once per
-- (account, batch) with `*` for the job; status changes per job; log appends per job per
-- statement, `*` past 100 jobs (only batch creation does that, before anyone can watch them).
CREATE FUNCTION "scrapifie_notify_jobs_inserted"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF (SELECT count(*) FROM inserted) <= 100 THEN
    PERFORM pg_notify('scrapifie_job_changed', i.id::text || ' ' || i.account_id::text || ' ' || coalesce(i.batch_id::text, ''))
    FROM inserted i;
  ELSE
    PERFORM pg_notify('scrapifie_job_changed', '* ' || i.account_id::text || ' ' || coalesce(i.batch_id::text, ''))
    FROM (SELECT DISTINCT account_id, batch_id FROM inserted) i;
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER "jobs_notify_inserted" AFTER INSERT ON "jobs" REFERENCING NEW TABLE AS inserted
  FOR EACH STATEMENT EXECUTE FUNCTION "scrapifie_notify_jobs_inserted"();
--> statement-breakpoint
-- A status change is announced; a job's first start also writes the opt-in `job.started` event
-- to the webhook outbox when an enabled endpoint of the account subscribes to it.
CREATE FUNCTION "scrapifie_notify_job_status"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('scrapifie_job_changed', NEW.id::text || ' ' || NEW.account_id::text || ' ' || coalesce(NEW.batch_id::text, ''));
  IF OLD.status = 'queued' AND NEW.status = 'processing' AND OLD.started_at IS NULL THEN
    INSERT INTO webhook_outbox (account_id, job_id, batch_id, event)
    SELECT NEW.account_id, NEW.id, NULL, 'job.started'
    WHERE EXISTS (
      SELECT 1 FROM webhook_endpoints w
      WHERE w.account_id = NEW.account_id AND w.deleted_at IS NULL AND w.disabled_at IS NULL AND 'job.started' = ANY (w.events)
    );
    IF FOUND THEN
      PERFORM pg_notify('scrapifie_webhook_outbox', '');
    END IF;
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER "jobs_notify_status" AFTER UPDATE OF "status" ON "jobs"
  FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status) EXECUTE FUNCTION "scrapifie_notify_job_status"();
--> statement-breakpoint
CREATE FUNCTION "scrapifie_notify_job_logs"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF (SELECT count(DISTINCT job_id) FROM added) <= 100 THEN
    PERFORM pg_notify('scrapifie_job_log', a.job_id::text) FROM (SELECT DISTINCT job_id FROM added) a;
  ELSE
    PERFORM pg_notify('scrapifie_job_log', '*');
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER "job_logs_notify_inserted" AFTER INSERT ON "job_logs" REFERENCING NEW TABLE AS added
  FOR EACH STATEMENT EXECUTE FUNCTION "scrapifie_notify_job_logs"();
--> statement-breakpoint
-- Every webhook event sent, for GET /api/v1/events (catching up on missed deliveries);
-- `sequence` orders an account's events as they were recorded.
CREATE TABLE "webhook_event_log" (
	"sequence" bigserial PRIMARY KEY NOT NULL,
	"id" uuid NOT NULL,
	"account_id" uuid NOT NULL,
	"type" text NOT NULL,
	"created_at" timestamp (3) with time zone NOT NULL,
	"payload" jsonb NOT NULL
);
--> statement-breakpoint
ALTER TABLE "webhook_event_log" ADD CONSTRAINT "webhook_event_log_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "webhook_event_log_id_unique" ON "webhook_event_log" USING btree ("id");--> statement-breakpoint
CREATE INDEX "webhook_event_log_account_idx" ON "webhook_event_log" USING btree ("account_id","sequence");--> statement-breakpoint
CREATE INDEX "webhook_event_log_account_created_idx" ON "webhook_event_log" USING btree ("account_id","created_at");--> statement-breakpoint
-- Secret rotation: the previous secret keeps signing (a second v1) until it expires.
ALTER TABLE "webhook_endpoints" ADD COLUMN "previous_secret" text;--> statement-breakpoint
ALTER TABLE "webhook_endpoints" ADD COLUMN "previous_secret_expires_at" timestamp (3) with time zone;--> statement-breakpoint
ALTER TABLE "accounts" ADD COLUMN "webhook_previous_secret" text;--> statement-breakpoint
ALTER TABLE "accounts" ADD COLUMN "webhook_previous_secret_expires_at" timestamp (3) with time zone;--> statement-breakpoint
-- A delivery of a made-up event sent with "Send test event" (Scrapifie-Test: true).
ALTER TABLE "webhook_deliveries" ADD COLUMN "test" boolean DEFAULT false NOT NULL;--> statement-breakpoint
-- Refusals per bucket, for the metrics endpoint (a refusal changes nothing else).
ALTER TABLE "rate_limit_buckets" ADD COLUMN "refused" bigint DEFAULT 0 NOT NULL;
