import { createHash, timingSafeEqual } from 'node:crypto';
import { ApiError } from '@/lib/api-errors';
import { getEnv } from '@/lib/env';
import { errorResponse } from '@/lib/server/api/route';

// The metrics endpoint answers only a caller holding METRICS_TOKEN (an operator's Prometheus),
// never an account's API key or session: the figures cover every account.

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

/** An error reply when the request may not read the metrics, else null. */
export function authorizeMetrics(req: Request): Response | null {
  const token = getEnv().METRICS_TOKEN;
  // Off until an operator sets a token: nothing to find for anyone else.
  if (!token) return errorResponse(new ApiError('not_found', 'Metrics are off: set METRICS_TOKEN to turn them on.'));
  const given = /^Bearer\s+(\S+)$/i.exec(req.headers.get('authorization')?.trim() ?? '')?.[1];
  // Compared as digests, so the comparison takes the same time whatever the length.
  if (!given || !timingSafeEqual(digest(given), digest(token))) {
    return errorResponse(new ApiError('unauthorized', 'Send "Authorization: Bearer <METRICS_TOKEN>".'));
  }
  return null;
}
