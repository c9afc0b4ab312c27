import { and, desc, eq, gt, inArray, sql } from 'drizzle-orm';
import type { ListJobsQuery } from '@/lib/schemas/jobs';
import type { Db } from '../client';
import { apiKeys, jobs } from '../schema';
import { jobFilters, type JobWithKey } from './jobs';

// What the account's live stream (GET /api/v1/jobs/stream) reads when notified: the jobs that
// changed, through the jobs list's own filter builder so both agree on what matches.

const keySummary = { id: apiKeys.id, name: apiKeys.name, kind: apiKeys.kind, revokedAt: apiKeys.revokedAt };

/** Jobs of the account among `ids` (or, with `batchId`, of that batch) that match the filters. */
export async function findChangedJobs(
  db: Db,
  { accountId, ids, batchId, filters, limit }: { accountId: string; ids: string[]; batchId?: string; filters: Partial<ListJobsQuery>; limit: number },
): Promise<JobWithKey[]> {
  const which = batchId ? eq(jobs.batchId, batchId) : inArray(jobs.id, ids);
  return db
    .select({ job: jobs, apiKey: keySummary })
    .from(jobs)
    .innerJoin(apiKeys, eq(apiKeys.id, jobs.apiKeyId))
    .where(and(...jobFilters(accountId, filters), which))
    .orderBy(desc(jobs.createdAt))
    .limit(limit);
}

/**
 * Jobs whose last state change (created, started or finished) is after `since`, oldest change
 * first: what a reconnecting account stream missed. Only jobs created within `windowSeconds`
 * before `since` are looked at, which keeps the read on the account's created-at index.
 */
export async function findJobsChangedSince(
  db: Db,
  { accountId, since, filters, windowSeconds, limit }: { accountId: string; since: Date; filters: Partial<ListJobsQuery>; windowSeconds: number; limit: number },
): Promise<JobWithKey[]> {
  const changedAt = sql`greatest(${jobs.createdAt}, ${jobs.startedAt}, ${jobs.finishedAt})`;
  return db
    .select({ job: jobs, apiKey: keySummary })
    .from(jobs)
    .innerJoin(apiKeys, eq(apiKeys.id, jobs.apiKeyId))
    .where(
      and(
        ...jobFilters(accountId, filters),
        gt(jobs.createdAt, new Date(since.getTime() - windowSeconds * 1000)),
        sql`${changedAt} > ${since.toISOString()}::timestamptz`,
      ),
    )
    .orderBy(changedAt)
    .limit(limit);
}
