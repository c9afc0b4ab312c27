-- Issue 16: a crawl's politeness delay is a gap between the real starts of a host's pages, not only
-- between their scheduled starts (pages due together, behind a busy worker or one poll, ran back to
-- back). The claim of a spaced page (workers/crawl/claim-page.ts) reads and sets its host's last
-- start under the host's claim lock. A table of its own, not a column of crawl_hosts: a row there
-- means the host's robots.txt was read, and the start page is claimed before it is.
CREATE TABLE "crawl_host_starts" (
  "crawl_id" uuid NOT NULL REFERENCES "crawls" ("id") ON DELETE CASCADE,
  "host" text NOT NULL,
  "last_started_at" timestamp (3) with time zone NOT NULL,
  PRIMARY KEY ("crawl_id", "host")
);
