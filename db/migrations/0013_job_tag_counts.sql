-- Issue 12: a tag filter's totals and counts from the roll-ups too. Each roll-up row gains a tag:
-- '' for the account's jobs as a whole (what every read without a tag filter sums, as before),
-- and one row per tag a job carries (a job with tags a and b is counted under '', 'a' and 'b').
-- Tags are never '' (lib/schemas/jobs.ts), so the two never mix. A filter on one tag sums that
-- tag's rows; a filter on several (any of them) still counts the jobs themselves.
ALTER TABLE "job_counts_hourly" ADD COLUMN "tag" text NOT NULL DEFAULT '';
--> statement-breakpoint
ALTER TABLE "job_counts_daily" ADD COLUMN "tag" text NOT NULL DEFAULT '';
--> statement-breakpoint
ALTER TABLE "job_count_deltas" ADD COLUMN "tag" text NOT NULL DEFAULT '';
--> statement-breakpoint
ALTER TABLE "job_counts_hourly" DROP CONSTRAINT "job_counts_hourly_pk";
--> statement-breakpoint
ALTER TABLE "job_counts_hourly" ADD CONSTRAINT "job_counts_hourly_pk" PRIMARY KEY ("account_id", "tag", "hour", "status", "engine", "api_key_id", "priority", "credits");
--> statement-breakpoint
ALTER TABLE "job_counts_daily" DROP CONSTRAINT "job_counts_daily_pk";
--> statement-breakpoint
ALTER TABLE "job_counts_daily" ADD CONSTRAINT "job_counts_daily_pk" PRIMARY KEY ("account_id", "tag", "day", "status", "engine", "api_key_id", "priority", "credits");
--> statement-breakpoint
DROP INDEX "job_count_deltas_account_idx";
--> statement-breakpoint
CREATE INDEX "job_count_deltas_account_idx" ON "job_count_deltas" ("account_id", "tag", "hour");
--> statement-breakpoint
CREATE OR REPLACE FUNCTION "job_counts_on_insert"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	PERFORM job_counts_lock(a.account_id) FROM (SELECT DISTINCT account_id FROM new_rows) a;
	INSERT INTO job_count_deltas (account_id, tag, hour, status, engine, api_key_id, priority, credits, n, ran_n, ran_ms)
	SELECT account_id, t.tag, date_trunc('hour', created_at, 'UTC'), status, engine, api_key_id, priority,
		CASE WHEN status IN ('queued', 'processing') THEN credit_cost ELSE credits_charged END, count(*),
		count(*) FILTER (WHERE status IN ('completed', 'failed') AND duration_ms IS NOT NULL),
		coalesce(sum(duration_ms) FILTER (WHERE status IN ('completed', 'failed')), 0)
	FROM new_rows CROSS JOIN LATERAL unnest(ARRAY['']::text[] || tags) AS t(tag)
	WHERE deleted_at IS NULL
	GROUP BY 1, 2, 3, 4, 5, 6, 7, 8;
	RETURN NULL;
END $$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION "job_counts_on_delete"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	PERFORM job_counts_lock(a.account_id) FROM (SELECT DISTINCT account_id FROM old_rows) a;
	INSERT INTO job_count_deltas (account_id, tag, hour, status, engine, api_key_id, priority, credits, n, ran_n, ran_ms)
	SELECT account_id, t.tag, date_trunc('hour', created_at, 'UTC'), status, engine, api_key_id, priority,
		CASE WHEN status IN ('queued', 'processing') THEN credit_cost ELSE credits_charged END, -count(*),
		-count(*) FILTER (WHERE status IN ('completed', 'failed') AND duration_ms IS NOT NULL),
		-coalesce(sum(duration_ms) FILTER (WHERE status IN ('completed', 'failed')), 0)
	FROM old_rows CROSS JOIN LATERAL unnest(ARRAY['']::text[] || tags) AS t(tag)
	WHERE deleted_at IS NULL
	GROUP BY 1, 2, 3, 4, 5, 6, 7, 8;
	RETURN NULL;
END $$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION "job_counts_on_update"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	PERFORM job_counts_lock(NEW.account_id);
	IF OLD.account_id <> NEW.account_id THEN
		PERFORM job_counts_lock(OLD.account_id);
	END IF;
	INSERT INTO job_count_deltas (account_id, tag, hour, status, engine, api_key_id, priority, credits, n, ran_n, ran_ms)
	SELECT OLD.account_id, t.tag, date_trunc('hour', OLD.created_at, 'UTC'), OLD.status, OLD.engine, OLD.api_key_id, OLD.priority,
		CASE WHEN OLD.status IN ('queued', 'processing') THEN OLD.credit_cost ELSE OLD.credits_charged END, -1,
		-(OLD.status IN ('completed', 'failed') AND OLD.duration_ms IS NOT NULL)::int,
		-CASE WHEN OLD.status IN ('completed', 'failed') THEN coalesce(OLD.duration_ms, 0) ELSE 0 END
	FROM unnest(ARRAY['']::text[] || OLD.tags) AS t(tag)
	WHERE OLD.deleted_at IS NULL
	UNION ALL
	SELECT NEW.account_id, t.tag, date_trunc('hour', NEW.created_at, 'UTC'), NEW.status, NEW.engine, NEW.api_key_id, NEW.priority,
		CASE WHEN NEW.status IN ('queued', 'processing') THEN NEW.credit_cost ELSE NEW.credits_charged END, 1,
		(NEW.status IN ('completed', 'failed') AND NEW.duration_ms IS NOT NULL)::int,
		CASE WHEN NEW.status IN ('completed', 'failed') THEN coalesce(NEW.duration_ms, 0) ELSE 0 END
	FROM unnest(ARRAY['']::text[] || NEW.tags) AS t(tag)
	WHERE NEW.deleted_at IS NULL;
	RETURN NULL;
END $$;
--> statement-breakpoint
DROP TRIGGER "jobs_counts_update" ON "jobs";
--> statement-breakpoint
CREATE TRIGGER "jobs_counts_update" AFTER UPDATE ON "jobs" FOR EACH ROW
	WHEN (OLD.status IS DISTINCT FROM NEW.status OR OLD.deleted_at IS DISTINCT FROM NEW.deleted_at
		OR OLD.credits_charged IS DISTINCT FROM NEW.credits_charged OR OLD.duration_ms IS DISTINCT FROM NEW.duration_ms OR OLD.credit_cost IS DISTINCT FROM NEW.credit_cost
		OR OLD.engine IS DISTINCT FROM NEW.engine OR OLD.api_key_id IS DISTINCT FROM NEW.api_key_id
		OR OLD.priority IS DISTINCT FROM NEW.priority OR OLD.created_at IS DISTINCT FROM NEW.created_at
		OR OLD.account_id IS DISTINCT FROM NEW.account_id OR OLD.tags IS DISTINCT FROM NEW.tags)
	EXECUTE FUNCTION job_counts_on_update();
--> statement-breakpoint
-- The existing rows are the '' rows; the per-tag rows of jobs that already carry tags are counted
-- by the backfill (lib/server/migrate.ts runs it after the migrations; a worker's sweeper too),
-- one account per transaction. Until an account is counted again its reads count the jobs.
INSERT INTO "job_count_backfill" ("account_id") SELECT DISTINCT "account_id" FROM "jobs" WHERE "tags" <> '{}' ON CONFLICT DO NOTHING;
