import { createHash } from 'node:crypto';
import type { Db } from '@/db/client';
import { findJobVersion, type JobVersionRow } from '@/db/queries/jobs';
import { currentPrices } from '@/lib/pricing';
import { describeRetention } from '@/lib/retention';
import { retentionSettings } from '@/lib/server/retention';
import { assertJobId, assertOwned } from './access';

// Conditional polls (issue 12: "a job's detail or logs poll when nothing changed"). A job page
// polls its job and its log every few seconds, and most polls find nothing new. Each reply carries
// an ETag made from one indexed statement (the row, its key, children, attempts, results, change
// and log tail, digested in Postgres, plus what the clock changes: the retention notices); a poll
// that sends it back in If-None-Match gets a 304 after that one statement, instead of the full
// snapshot read. The tag is read before the body, so a body is never older than its tag: a change
// in between only costs the next poll a full read.

/** The job's version, with the ownership answers of getOwnedJob (404, 403, 410). */
export async function readJobVersion(db: Db, { id, accountId }: { id: string; accountId: string }): Promise<JobVersionRow> {
  assertJobId(id);
  const row = await findJobVersion(db, id);
  assertOwned(row, { id, accountId });
  return row!;
}

/**
 * The ETag of GET /api/v1/jobs/{id}, or null for a queued job (reading it may expire it, so it
 * always gets the full read). Masked and unmasked replies differ, so do their tags.
 */
export function jobReplyTag(version: JobVersionRow, { maskSecrets }: { maskSecrets: boolean }): string | null {
  if (version.status === 'queued') return null;
  const stored = (kind: string) => {
    const result = version.results.find((row) => row.kind === kind);
    return result ? { createdAt: new Date(result.createdAt), purgedAt: result.purgedAt ? new Date(result.purgedAt) : null } : null;
  };
  const retention = describeRetention({
    settings: retentionSettings(),
    jobCreatedAt: version.createdAt,
    logsPurgedAt: version.logsPurgedAt,
    result: stored('content'),
    screenshot: stored('screenshot'),
  });
  return tag(['job', version.digest, maskSecrets, JSON.stringify(currentPrices()), JSON.stringify(retention)]);
}

/** The ETag of GET /api/v1/jobs/{id}/logs?after=…: log entries never change once written. */
export function jobLogsTag(version: JobVersionRow, { after }: { after?: number }): string {
  return tag(['logs', version.logsPurgedAt?.toISOString() ?? '', version.lastSeq ?? '', version.logCount, after ?? '', JSON.stringify(retentionSettings())]);
}

function tag(parts: unknown[]): string {
  return `"${createHash('sha1').update(parts.join('\n')).digest('base64url')}"`;
}

/** A 304 when the request's If-None-Match names `etag`, else null. */
export function notModified(req: Request, etag: string | null): Response | null {
  if (!etag) return null;
  const sent = req.headers.get('if-none-match');
  if (!sent || !sent.split(',').some((candidate) => candidate.trim().replace(/^W\//, '') === etag)) return null;
  return new Response(null, { status: 304, headers: conditionalHeaders(etag) });
}

/** The headers of a reply that can be polled conditionally: revalidated every time, cached only by the caller. */
export function conditionalHeaders(etag: string | null): Record<string, string> {
  return etag ? { ETag: etag, 'Cache-Control': 'private, no-cache' } : {};
}
