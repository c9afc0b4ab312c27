-- Issue 12: fast at a million jobs. Counters kept with the data (job_counts_*), an index for every
-- sort of the jobs list with the id as tie-break, and trigram search on the URL.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
--> statement-breakpoint
-- The jobs (not deleted) of an account per UTC hour and per UTC day, by every dimension the list
-- filters on and the credits it shows. Triggers on `jobs` append signed changes to
-- job_count_deltas (insert-only: no row lock, so no transition waits on another); the worker folds
-- them into the two roll-ups every few seconds (compactJobCounts). A read sums roll-up + deltas in
-- one statement, so it sees one consistent snapshot.
CREATE TABLE "job_counts_hourly" (
	"account_id" uuid NOT NULL,
	"hour" timestamp (3) with time zone NOT NULL,
	"status" text NOT NULL,
	"engine" text NOT NULL,
	"api_key_id" uuid NOT NULL,
	"priority" text NOT NULL,
	"credits" integer NOT NULL,
	"n" bigint NOT NULL,
	"ran_n" bigint NOT NULL,
	"ran_ms" bigint NOT NULL,
	CONSTRAINT "job_counts_hourly_pk" PRIMARY KEY ("account_id", "hour", "status", "engine", "api_key_id", "priority", "credits")
);
--> statement-breakpoint
CREATE TABLE "job_counts_daily" (
	"account_id" uuid NOT NULL,
	"day" timestamp (3) with time zone NOT NULL,
	"status" text NOT NULL,
	"engine" text NOT NULL,
	"api_key_id" uuid NOT NULL,
	"priority" text NOT NULL,
	"credits" integer NOT NULL,
	"n" bigint NOT NULL,
	"ran_n" bigint NOT NULL,
	"ran_ms" bigint NOT NULL,
	CONSTRAINT "job_counts_daily_pk" PRIMARY KEY ("account_id", "day", "status", "engine", "api_key_id", "priority", "credits")
);
--> statement-breakpoint
CREATE TABLE "job_count_deltas" (
	"account_id" uuid NOT NULL,
	"hour" timestamp (3) with time zone NOT NULL,
	"status" text NOT NULL,
	"engine" text NOT NULL,
	"api_key_id" uuid NOT NULL,
	"priority" text NOT NULL,
	"credits" integer NOT NULL,
	"n" bigint NOT NULL,
	"ran_n" bigint NOT NULL,
	"ran_ms" bigint NOT NULL
);
--> statement-breakpoint
CREATE INDEX "job_count_deltas_account_idx" ON "job_count_deltas" ("account_id", "hour");
--> statement-breakpoint
-- Accounts whose existing jobs are not counted yet: filled here, emptied by backfillJobCounts
-- (run after the migrations, one account per transaction). Reads count such an account's jobs
-- directly until then.
CREATE TABLE "job_count_backfill" (
	"account_id" uuid PRIMARY KEY NOT NULL
);
--> statement-breakpoint
INSERT INTO "job_count_backfill" ("account_id") SELECT DISTINCT "account_id" FROM "jobs";
--> statement-breakpoint
-- Every writer of an account's jobs holds this lock (shared) until it commits, so the backfill
-- (exclusive) counts a snapshot that no change is missing from or counted twice in.
CREATE FUNCTION "job_counts_lock"(account uuid) RETURNS void LANGUAGE sql AS $$
	SELECT pg_advisory_xact_lock_shared(5102, hashtext(account::text))
$$;
--> statement-breakpoint
CREATE FUNCTION "job_counts_on_insert"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	PERFORM job_counts_lock(a.account_id) FROM (SELECT DISTINCT account_id FROM new_rows) a;
	INSERT INTO job_count_deltas (account_id, hour, status, engine, api_key_id, priority, credits, n, ran_n, ran_ms)
	SELECT account_id, date_trunc('hour', created_at, 'UTC'), status, engine, api_key_id, priority,
		CASE WHEN status IN ('queued', 'processing') THEN credit_cost ELSE credits_charged END, count(*),
		count(*) FILTER (WHERE status IN ('completed', 'failed') AND duration_ms IS NOT NULL),
		coalesce(sum(duration_ms) FILTER (WHERE status IN ('completed', 'failed')), 0)
	FROM new_rows WHERE deleted_at IS NULL
	GROUP BY 1, 2, 3, 4, 5, 6, 7;
	RETURN NULL;
END $$;
--> statement-breakpoint
CREATE FUNCTION "job_counts_on_delete"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	PERFORM job_counts_lock(a.account_id) FROM (SELECT DISTINCT account_id FROM old_rows) a;
	INSERT INTO job_count_deltas (account_id, hour, status, engine, api_key_id, priority, credits, n, ran_n, ran_ms)
	SELECT account_id, date_trunc('hour', created_at, 'UTC'), status, engine, api_key_id, priority,
		CASE WHEN status IN ('queued', 'processing') THEN credit_cost ELSE credits_charged END, -count(*),
		-count(*) FILTER (WHERE status IN ('completed', 'failed') AND duration_ms IS NOT NULL),
		-coalesce(sum(duration_ms) FILTER (WHERE status IN ('completed', 'failed')), 0)
	FROM old_rows WHERE deleted_at IS NULL
	GROUP BY 1, 2, 3, 4, 5, 6, 7;
	RETURN NULL;
END $$;
--> statement-breakpoint
-- A row trigger: its WHEN clause is checked without calling the function, so the frequent
-- updates that change no counted column (lease renewals, log sequence) cost nothing.
CREATE FUNCTION "job_counts_on_update"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	PERFORM job_counts_lock(NEW.account_id);
	IF OLD.account_id <> NEW.account_id THEN
		PERFORM job_counts_lock(OLD.account_id);
	END IF;
	INSERT INTO job_count_deltas (account_id, hour, status, engine, api_key_id, priority, credits, n, ran_n, ran_ms)
	SELECT OLD.account_id, date_trunc('hour', OLD.created_at, 'UTC'), OLD.status, OLD.engine, OLD.api_key_id, OLD.priority,
		CASE WHEN OLD.status IN ('queued', 'processing') THEN OLD.credit_cost ELSE OLD.credits_charged END, -1,
		-(OLD.status IN ('completed', 'failed') AND OLD.duration_ms IS NOT NULL)::int,
		-CASE WHEN OLD.status IN ('completed', 'failed') THEN coalesce(OLD.duration_ms, 0) ELSE 0 END
	WHERE OLD.deleted_at IS NULL
	UNION ALL
	SELECT NEW.account_id, date_trunc('hour', NEW.created_at, 'UTC'), NEW.status, NEW.engine, NEW.api_key_id, NEW.priority,
		CASE WHEN NEW.status IN ('queued', 'processing') THEN NEW.credit_cost ELSE NEW.credits_charged END, 1,
		(NEW.status IN ('completed', 'failed') AND NEW.duration_ms IS NOT NULL)::int,
		CASE WHEN NEW.status IN ('completed', 'failed') THEN coalesce(NEW.duration_ms, 0) ELSE 0 END
	WHERE NEW.deleted_at IS NULL;
	RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER "jobs_counts_insert" AFTER INSERT ON "jobs" REFERENCING NEW TABLE AS new_rows
	FOR EACH STATEMENT EXECUTE FUNCTION job_counts_on_insert();
--> statement-breakpoint
CREATE TRIGGER "jobs_counts_delete" AFTER DELETE ON "jobs" REFERENCING OLD TABLE AS old_rows
	FOR EACH STATEMENT EXECUTE FUNCTION job_counts_on_delete();
--> statement-breakpoint
CREATE TRIGGER "jobs_counts_update" AFTER UPDATE ON "jobs" FOR EACH ROW
	WHEN (OLD.status IS DISTINCT FROM NEW.status OR OLD.deleted_at IS DISTINCT FROM NEW.deleted_at
		OR OLD.credits_charged IS DISTINCT FROM NEW.credits_charged OR OLD.duration_ms IS DISTINCT FROM NEW.duration_ms OR OLD.credit_cost IS DISTINCT FROM NEW.credit_cost
		OR OLD.engine IS DISTINCT FROM NEW.engine OR OLD.api_key_id IS DISTINCT FROM NEW.api_key_id
		OR OLD.priority IS DISTINCT FROM NEW.priority OR OLD.created_at IS DISTINCT FROM NEW.created_at
		OR OLD.account_id IS DISTINCT FROM NEW.account_id)
	EXECUTE FUNCTION job_counts_on_update();
--> statement-breakpoint
-- One index per sort of the jobs list, ties broken by created_at and id in the sort's direction,
-- so a page is read in index order whichever way it runs (forward for one order, backward for the
-- other). On a large, busy table these hold off writes while they build (see the README).
CREATE INDEX "jobs_list_created_idx" ON "jobs" ("account_id", "created_at", "id") WHERE "deleted_at" IS NULL;
--> statement-breakpoint
CREATE INDEX "jobs_list_status_idx" ON "jobs" ("account_id", "status", "created_at", "id") WHERE "deleted_at" IS NULL;
--> statement-breakpoint
CREATE INDEX "jobs_list_engine_idx" ON "jobs" ("account_id", "engine", "created_at", "id") WHERE "deleted_at" IS NULL;
--> statement-breakpoint
CREATE INDEX "jobs_list_key_idx" ON "jobs" ("account_id", "api_key_id", "created_at", "id") WHERE "deleted_at" IS NULL;
--> statement-breakpoint
CREATE INDEX "jobs_list_credits_idx" ON "jobs" ("account_id", (CASE WHEN "status" IN ('queued', 'processing') THEN "credit_cost" ELSE "credits_charged" END), "created_at", "id") WHERE "deleted_at" IS NULL;
--> statement-breakpoint
CREATE INDEX "jobs_list_duration_idx" ON "jobs" ("account_id", "duration_ms" NULLS FIRST, "created_at", "id") WHERE "deleted_at" IS NULL;
--> statement-breakpoint
CREATE INDEX "jobs_url_trgm_idx" ON "jobs" USING gin ("url" gin_trgm_ops);
--> statement-breakpoint
CREATE INDEX "jobs_name_trgm_idx" ON "jobs" USING gin ("name" gin_trgm_ops) WHERE "name" IS NOT NULL;
--> statement-breakpoint
-- The overview's "credits used (30 days)" sums an account's charges by an index-only scan.
CREATE INDEX "credit_ledger_charges_idx" ON "credit_ledger" ("account_id", "created_at") INCLUDE ("amount") WHERE "reason" = 'job_charge';
