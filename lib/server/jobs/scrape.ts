import type { Database } from '@/db/client';
import type { AuditActor } from '@/db/queries/audit';
import { findJob } from '@/db/queries/jobs';
import { getExtracted, getResult } from '@/db/queries/results';
import type { Account, ApiKey } from '@/db/schema';
import { isTerminal, isTextual } from '@/lib/jobs';
import type { ScrapeBody } from '@/lib/schemas/jobs';
import type { IdempotencyClaim, IdempotentReply } from '@/lib/server/idempotency';
import { waitForJobFinished } from '@/lib/server/job-events';
import { readJob } from './read';
import type { JobJson } from './serialize';
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
  extracted: Record<string, unknown> | null;
};

export type ScrapeReply = { finished: boolean; job: JobJson; result: InlineResult | null };

/**
 * POST /api/v1/scrape: an ordinary job (listed, logged, charged once), submitted and then waited
 * for up to `wait` seconds. `finished` says whether it reached a terminal state in time.
 *
 * With an Idempotency-Key, the submission's transaction keeps the reply "not finished yet" (202,
 * the job as submitted, a Location to poll) with the key, in flight, and the final reply replaces
 * it after the wait: a repeat meanwhile is a 409, and once the first request is over without its
 * final reply (it died, or its database went away) a repeat gets the 202, never a second job.
 */
export async function scrapeAndWait(
  db: Database,
  {
    account,
    apiKey,
    body,
    signal,
    actor,
    idempotency,
    reply,
    maskSecrets = false,
  }: {
    account: Account;
    apiKey: Pick<ApiKey, 'id' | 'kind'>;
    body: ScrapeBody;
    signal?: AbortSignal;
    actor?: AuditActor;
    idempotency?: IdempotencyClaim | null;
    reply: (outcome: ScrapeReply) => IdempotentReply;
    /** For a dashboard session: the replies' request headers and cookies masked. */
    maskSecrets?: boolean;
  },
): Promise<IdempotentReply> {
  const { wait, ...jobBody } = body;
  const submitted = await submitJob(db, {
    account,
    apiKey,
    body: jobBody,
    actor,
    idempotency: idempotency && { claim: idempotency, reply: (job) => ({ ...reply({ finished: false, job, result: null }), pending: true }) },
    maskSecrets,
  });
  const finished = await waitForJobFinished(submitted.id, {
    timeoutMs: wait * 1000,
    signal,
    isFinished: async () => isTerminal((await findJob(db, submitted.id))?.job.status ?? 'queued'),
  });
  const final = reply({
    finished,
    job: await readJob(db, { id: submitted.id, accountId: account.id, maskSecrets }),
    result: finished ? await inlineResult(db, submitted.id) : null,
  });
  await idempotency?.keep(db, final);
  return final;
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
    extracted: (await getExtracted(db, jobId)) as Record<string, unknown> | null,
  };
}
