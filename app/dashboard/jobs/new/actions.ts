'use server';

import { getDb } from '@/db/client';
import { ApiError, validationError, type ApiErrorBody } from '@/lib/api-errors';
import { createJobBodySchema } from '@/lib/schemas/jobs';
import { restoreKeptSecrets, type MaskedSecrets } from '@/lib/secret-masking';
import { requestActor } from '@/lib/server/admin/actor';
import { errorResponse } from '@/lib/server/api/route';
import { idempotencyHeader, replyResponse, withIdempotency } from '@/lib/server/idempotency';
import { getOwnedJob } from '@/lib/server/jobs/access';
import { submissionKey, submitJob } from '@/lib/server/jobs/submit';
import { rateLimitedError, takeRateLimit } from '@/lib/server/rate-limit';
import { getDashboardAccount } from '@/lib/server/session';

export type CloneReply = { ok: true; id: string } | { ok: false; status: number; error: ApiErrorBody['error'] };

type CloneInput = { from: string; body: unknown; kept: MaskedSecrets; idempotencyKey?: string };

const accepted = (id: string) => ({ status: 202, body: { id }, headers: {} });

/**
 * Submits a cloned job whose form kept some of the original's secret values (the browser only
 * ever saw them masked): those come from the original job here, on the server. Otherwise the
 * same as POST /api/v1/jobs from a dashboard session: its schema, default key, rate limit, audit,
 * and its Idempotency-Key, so a submit retried after a lost answer or a 5xx replays the job the
 * first try committed instead of making a second one.
 */
export async function submitClonedJob(input: CloneInput): Promise<CloneReply> {
  const response = await cloneResponse(input).catch(errorResponse);
  const reply = await response.json();
  return response.ok ? { ok: true, id: reply.id } : { ok: false, status: response.status, error: reply.error };
}

async function cloneResponse({ from, body, kept, idempotencyKey }: CloneInput): Promise<Response> {
  const account = await getDashboardAccount();
  if (!account) throw new ApiError('unauthorized', 'Your session has ended. Sign in again.');
  const db = getDb();
  // The same request, key and body stand for the same clone, as a POST to the API would.
  const req = new Request('http://dashboard.local/dashboard/jobs/new/clone', {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(idempotencyKey ? { [idempotencyHeader]: idempotencyKey } : {}) },
    body: JSON.stringify({ from, body, kept }),
  });
  return withIdempotency({ req, db, account }, async (claim) => {
    const limit = await takeRateLimit(db, { name: 'create', account, apiKey: null });
    if (limit && !limit.allowed) throw rateLimitedError('create', limit);
    const original = await getOwnedJob(db, { id: from, accountId: account.id });
    const parsed = createJobBodySchema.safeParse(restoreKeptSecrets(asRecord(body), { original: original.job.config, kept }));
    if (!parsed.success) throw validationError(parsed.error, 'body');
    const key = await submissionKey(db, { account, apiKey: null });
    const job = await submitJob(db, {
      account,
      apiKey: key,
      body: parsed.data,
      actor: requestActor({ account, apiKey: null }),
      idempotency: claim && { claim, reply: (detail) => accepted(detail.id) },
    });
    return replyResponse(accepted(job.id));
  });
}

const asRecord = (body: unknown): { headers?: Record<string, string>; cookies?: Record<string, string> } =>
  typeof body === 'object' && body !== null ? (body as Record<string, never>) : {};
