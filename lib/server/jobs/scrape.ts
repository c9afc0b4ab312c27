import type { Database } from '@/db/client';
import type { AuditActor } from '@/db/queries/audit';
import { findJob } from '@/db/queries/jobs';
import { getResult } from '@/db/queries/results';
import type { Account, ApiKey } from '@/db/schema';
import { isTerminal, isTextual } from '@/lib/jobs';
import type { ScrapeBody } from '@/lib/schemas/jobs';
import { waitForJobFinished } from '@/lib/server/job-events';
import { loadJobDetail } from './read';
import { submitJob } from './submit';

/** Results up to this size come inline in a synchronous scrape's reply; larger ones are fetched from /result. */
export const maxInlineResultBytes = 5 * 1024 * 1024;

export type InlineResult = {
  format: string;
  contentType: string;
  size: number;
  /** utf8 for textual content, base64 for binary. */
  encoding: 'utf8' | 'base64';
  /** null when the result is larger than the inline limit (or was purged): fetch it from /result. */
  content: string | null;
};

/**
 * POST /api/v1/scrape: an ordinary job (listed, logged, charged once), submitted and then waited
 * for up to `wait` seconds. `finished` says whether it reached a terminal state in time.
 */
export async function scrapeAndWait(
  db: Database,
  {
    account,
    apiKey,
    body,
    signal,
    actor,
  }: { account: Account; apiKey: Pick<ApiKey, 'id' | 'kind'>; body: ScrapeBody; signal?: AbortSignal; actor?: AuditActor },
) {
  const { wait, ...jobBody } = body;
  const job = await submitJob(db, { account, apiKey, body: jobBody, actor });
  const finished = await waitForJobFinished(job.id, {
    timeoutMs: wait * 1000,
    signal,
    isFinished: async () => isTerminal((await findJob(db, job.id))?.job.status ?? 'queued'),
  });
  const row = (await findJob(db, job.id))!;
  return {
    finished,
    job: await loadJobDetail(db, row),
    result: finished ? await inlineResult(db, job.id) : null,
  };
}

async function inlineResult(db: Database, jobId: string): Promise<InlineResult | null> {
  const result = await getResult(db, { jobId, kind: 'content' });
  if (!result) return null;
  const encoding = isTextual(result.contentType) ? 'utf8' : 'base64';
  const inline = result.content && result.size <= maxInlineResultBytes ? result.content : null;
  return {
    format: result.format,
    contentType: result.contentType,
    size: result.size,
    encoding,
    content: inline ? inline.toString(encoding) : null,
  };
}
