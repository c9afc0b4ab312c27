'use server';

import { getDb } from '@/db/client';
import { ZodError } from 'zod';
import { ApiError, validationError, type ApiErrorBody } from '@/lib/api-errors';
import { log } from '@/lib/log';
import { createJobBodySchema } from '@/lib/schemas/jobs';
import { restoreKeptSecrets, type MaskedSecrets } from '@/lib/secret-masking';
import { requestActor } from '@/lib/server/admin/actor';
import { getOwnedJob } from '@/lib/server/jobs/access';
import { submissionKey, submitJob } from '@/lib/server/jobs/submit';
import { rateLimitedError, takeRateLimit } from '@/lib/server/rate-limit';
import { getDashboardAccount } from '@/lib/server/session';

export type CloneReply = { ok: true; id: string } | { ok: false; status: number; error: ApiErrorBody['error'] };

/**
 * Submits a cloned job whose form kept some of the original's secret values (the browser only
 * ever saw them masked): those come from the original job here, on the server. Otherwise the
 * same as POST /api/v1/jobs from a dashboard session: its schema, default key, rate limit and audit.
 */
export async function submitClonedJob({ from, body, kept }: { from: string; body: unknown; kept: MaskedSecrets }): Promise<CloneReply> {
  try {
    const account = await getDashboardAccount();
    if (!account) throw new ApiError('unauthorized', 'Your session has ended. Sign in again.');
    const db = getDb();
    const limit = await takeRateLimit(db, { name: 'create', account, apiKey: null });
    if (limit && !limit.allowed) throw rateLimitedError('create', limit);
    const original = await getOwnedJob(db, { id: from, accountId: account.id });
    const parsed = createJobBodySchema.parse(restoreKeptSecrets(asRecord(body), { original: original.job.config, kept }));
    const key = await submissionKey(db, { account, apiKey: null });
    const job = await submitJob(db, { account, apiKey: key, body: parsed, actor: requestActor({ account, apiKey: null }) });
    return { ok: true, id: job.id };
  } catch (error) {
    const known = error instanceof ZodError ? validationError(error) : error;
    if (known instanceof ApiError) return { ok: false, status: known.status, error: known.toBody().error };
    log.error('dashboard: cloned job submission failed', { err: error });
    return { ok: false, status: 500, error: { code: 'internal_error', message: 'Something went wrong on our side. Please try again.' } };
  }
}

const asRecord = (body: unknown): { headers?: Record<string, string>; cookies?: Record<string, string> } =>
  typeof body === 'object' && body !== null ? (body as Record<string, never>) : {};
