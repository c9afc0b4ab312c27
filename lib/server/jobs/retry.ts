import type { Database } from '@/db/client';
import type { AuditActor } from '@/db/queries/audit';
import { firstActiveKey } from '@/db/queries/accounts';
import type { Account } from '@/db/schema';
import { ApiError } from '@/lib/api-errors';
import { isTerminal } from '@/lib/jobs';
import { getOwnedJob } from './access';
import type { JobJson } from './serialize';
import { submitJob, type KeyedReply } from './submit';

/**
 * A user retry: a new job with the original's URL, engine, configuration, name, tags and priority, linked by
 * parent id, priced at today's price. A revoked key is replaced by the account's first active
 * key of the same kind (live or test). `account` is the job's owner, who is charged; `actor` is
 * who the audit log names (the owner, or an admin retrying it for them). Returns the new job as
 * its reply shows it (`maskSecrets` for a dashboard session).
 */
export async function retryJob(
  db: Database,
  {
    id,
    account,
    actor,
    idempotency,
    maskSecrets = false,
  }: { id: string; account: Account; actor: AuditActor; idempotency?: KeyedReply | null; maskSecrets?: boolean },
): Promise<JobJson> {
  const { job, apiKey } = await getOwnedJob(db, { id, accountId: account.id });
  if (!isTerminal(job.status)) {
    throw new ApiError('conflict', `Job is ${job.status}; only finished jobs can be retried`, { status: job.status });
  }
  const key = apiKey.revokedAt ? await firstActiveKey(db, { accountId: account.id, kind: apiKey.kind }) : apiKey;
  if (!key) {
    throw new ApiError('conflict', 'No active API keys. Create a new key to retry.');
  }
  return submitJob(db, {
    account,
    apiKey: key,
    body: { ...job.config, url: job.url, engine: job.engine, name: job.name ?? undefined, tags: job.tags, priority: job.priority, webhookUrl: job.webhookUrl ?? undefined },
    parentJobId: job.id,
    actor,
    idempotency,
    maskSecrets,
  });
}
