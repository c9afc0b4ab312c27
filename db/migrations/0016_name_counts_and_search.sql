-- Issue 12: a name filter's total without counting the jobs. A name is a substring filter
-- (`name=crawl` matches "Daily crawl #12"), and names repeat: a schedule's, a batch's or an
-- integration's jobs share a few names. So:
-- - job_names lists each account's distinct names (written by the insert trigger, never removed),
--   and its trigram index finds the names a substring matches among names, not jobs;
-- - job_name_counts counts the jobs (not deleted) per name, key, status, engine and priority,
--   kept like the other roll-ups: the triggers on `jobs` append signed changes
--   (job_name_count_deltas), the compaction folds them in, and the backfill counts the jobs that
--   predate it (until then, an account's reads count its jobs);
-- - a name filter with a date range or a tag, and the date presets of its dropdown counts, count
--   the matching names' jobs from jobs_account_name_idx: those names' stretches of one index,
--   read without visiting the table.
-- And a search's counts without reading the wide job rows: job_search holds, per job not deleted,
-- what the counts group by and its URL in lower case, kept by the same triggers. A term's
-- matches are read from its trigram index, in about a third of the pages, and compared with LIKE
-- (the URL is lowered once, on insert, instead of by ILIKE at every read). Older jobs are copied
-- by backfillJobSearch, a few thousand per transaction, under the account's lock for that moment
-- only (one statement for a million jobs would hold the account's writers for half a minute);
-- until an account's copy is done (no job_search_backfill row), its searches read `jobs`.
CREATE TABLE "job_search" (
	"job_id" uuid PRIMARY KEY NOT NULL,
	"account_id" uuid NOT NULL,
	"api_key_id" uuid NOT NULL,
	"created_at" timestamp(3) with time zone NOT NULL,
	"status" text NOT NULL,
	"engine" text NOT NULL,
	"priority" text NOT NULL,
	"url" text NOT NULL
) WITH (fillfactor = 90);
--> statement-breakpoint
CREATE INDEX "job_search_url_trgm_idx" ON "job_search" USING gin ("url" gin_trgm_ops);
--> statement-breakpoint
CREATE TABLE "job_search_backfill" (
	"account_id" uuid PRIMARY KEY NOT NULL,
	"after_created_at" timestamp(3) with time zone,
	"after_id" uuid
);
--> statement-breakpoint
INSERT INTO "job_search_backfill" ("account_id") SELECT DISTINCT "account_id" FROM "jobs";
--> statement-breakpoint
CREATE TABLE "job_names" (
	"account_id" uuid NOT NULL,
	"name" text NOT NULL,
	CONSTRAINT "job_names_pk" PRIMARY KEY ("account_id", "name")
);
--> statement-breakpoint
CREATE INDEX "job_names_name_trgm_idx" ON "job_names" USING gin ("name" gin_trgm_ops);
--> statement-breakpoint
CREATE TABLE "job_name_counts" (
	"account_id" uuid NOT NULL,
	"name" text NOT NULL,
	"api_key_id" uuid NOT NULL,
	"status" text NOT NULL,
	"engine" text NOT NULL,
	"priority" text NOT NULL,
	"n" bigint NOT NULL,
	CONSTRAINT "job_name_counts_pk" PRIMARY KEY ("account_id", "name", "api_key_id", "status", "engine", "priority")
);
--> statement-breakpoint
CREATE TABLE "job_name_count_deltas" (
	"account_id" uuid NOT NULL,
	"name" text NOT NULL,
	"api_key_id" uuid NOT NULL,
	"status" text NOT NULL,
	"engine" text NOT NULL,
	"priority" text NOT NULL,
	"n" bigint NOT NULL
);
--> statement-breakpoint
CREATE INDEX "job_name_count_deltas_account_idx" ON "job_name_count_deltas" ("account_id", "name");
--> statement-breakpoint
CREATE INDEX "jobs_account_name_idx" ON "jobs" ("account_id", "name", "created_at")
	INCLUDE ("status", "engine", "api_key_id", "priority", "credit_cost", "credits_charged", "duration_ms")
	WHERE "deleted_at" IS NULL AND "name" IS NOT NULL;
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
	INSERT INTO job_names (account_id, name)
	SELECT DISTINCT account_id, name FROM new_rows WHERE name IS NOT NULL ORDER BY 1, 2
	ON CONFLICT DO NOTHING;
	INSERT INTO job_search (job_id, account_id, api_key_id, created_at, status, engine, priority, url)
	SELECT id, account_id, api_key_id, created_at, status, engine, priority, lower(url) FROM new_rows WHERE deleted_at IS NULL;
	INSERT INTO job_name_count_deltas (account_id, name, api_key_id, status, engine, priority, n)
	SELECT account_id, name, api_key_id, status, engine, priority, count(*)
	FROM new_rows WHERE deleted_at IS NULL AND name IS NOT NULL
	GROUP BY 1, 2, 3, 4, 5, 6;
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
	INSERT INTO job_name_count_deltas (account_id, name, api_key_id, status, engine, priority, n)
	SELECT account_id, name, api_key_id, status, engine, priority, -count(*)
	FROM old_rows WHERE deleted_at IS NULL AND name IS NOT NULL
	GROUP BY 1, 2, 3, 4, 5, 6;
	DELETE FROM job_search s USING old_rows o WHERE s.job_id = o.id;
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
	-- The name roll-up: only a change to what it counts by (most transitions change the status).
	IF (OLD.name IS NOT NULL OR NEW.name IS NOT NULL) AND (OLD.status IS DISTINCT FROM NEW.status
		OR OLD.deleted_at IS DISTINCT FROM NEW.deleted_at OR OLD.api_key_id IS DISTINCT FROM NEW.api_key_id
		OR OLD.engine IS DISTINCT FROM NEW.engine OR OLD.priority IS DISTINCT FROM NEW.priority
		OR OLD.account_id IS DISTINCT FROM NEW.account_id OR OLD.name IS DISTINCT FROM NEW.name) THEN
		IF NEW.name IS NOT NULL AND (OLD.name IS DISTINCT FROM NEW.name OR OLD.account_id <> NEW.account_id) THEN
			INSERT INTO job_names (account_id, name) VALUES (NEW.account_id, NEW.name) ON CONFLICT DO NOTHING;
		END IF;
		INSERT INTO job_name_count_deltas (account_id, name, api_key_id, status, engine, priority, n)
		SELECT OLD.account_id, OLD.name, OLD.api_key_id, OLD.status, OLD.engine, OLD.priority, -1 WHERE OLD.deleted_at IS NULL AND OLD.name IS NOT NULL
		UNION ALL
		SELECT NEW.account_id, NEW.name, NEW.api_key_id, NEW.status, NEW.engine, NEW.priority, 1 WHERE NEW.deleted_at IS NULL AND NEW.name IS NOT NULL;
	END IF;
	-- The search table: the job leaves it when deleted, and follows what it holds otherwise. A job
	-- the backfill has not copied yet gets its row here, so one whose creation time moves behind
	-- the backfill's position is not missed.
	IF NEW.deleted_at IS NOT NULL THEN
		IF OLD.deleted_at IS NULL THEN
			DELETE FROM job_search WHERE job_id = OLD.id;
		END IF;
	ELSIF OLD.deleted_at IS NOT NULL OR (OLD.account_id, OLD.api_key_id, OLD.created_at, OLD.status, OLD.engine, OLD.priority, OLD.url)
		IS DISTINCT FROM (NEW.account_id, NEW.api_key_id, NEW.created_at, NEW.status, NEW.engine, NEW.priority, NEW.url) THEN
		INSERT INTO job_search (job_id, account_id, api_key_id, created_at, status, engine, priority, url)
		VALUES (NEW.id, NEW.account_id, NEW.api_key_id, NEW.created_at, NEW.status, NEW.engine, NEW.priority, lower(NEW.url))
		ON CONFLICT (job_id) DO UPDATE SET account_id = excluded.account_id, api_key_id = excluded.api_key_id,
			created_at = excluded.created_at, status = excluded.status, engine = excluded.engine,
			priority = excluded.priority, url = excluded.url;
	END IF;
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
		OR OLD.account_id IS DISTINCT FROM NEW.account_id OR OLD.tags IS DISTINCT FROM NEW.tags
		OR OLD.name IS DISTINCT FROM NEW.name OR OLD.url IS DISTINCT FROM NEW.url)
	EXECUTE FUNCTION job_counts_on_update();
--> statement-breakpoint
-- Accounts with named jobs are counted again by the backfill (lib/server/migrate.ts after the
-- migrations, and a worker's sweeper), one account per transaction, which now fills job_name_counts
-- and job_names too.
INSERT INTO "job_count_backfill" ("account_id") SELECT DISTINCT "account_id" FROM "jobs" WHERE "name" IS NOT NULL ON CONFLICT DO NOTHING;
