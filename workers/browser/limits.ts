// How long one browser attempt may take, from the job's own limits, and the CDP protocol timeout
// that outlasts every such attempt. The job's deadline must always be what ends a slow page: a
// protocol timeout shorter than it (puppeteer's own, or the 60 s this pool once set) ended a
// 120 s navigation at 60 s with puppeteer's internal message instead of the job's TIMEOUT.

import { maxTimeoutMs } from '@/lib/schemas/jobs';
import type { EngineRequest } from '@/workers/engines/types';

/** Beyond the page's own timeouts, time for the screenshot and extraction before the attempt is cut off. */
export const extractionBudgetMs = 15_000;

/** The attempt's deadline: loading the page, waiting for its selector, then extracting. */
export function attemptBudgetMs(request: Pick<EngineRequest, 'timeoutMs' | 'waitForSelector' | 'waitTimeoutMs'>): number {
  return request.timeoutMs + (request.waitForSelector ? request.waitTimeoutMs : 0) + extractionBudgetMs;
}

/** The longest attempt any valid job can ask for (both timeouts at their maximum). */
export const maxAttemptBudgetMs = attemptBudgetMs({ timeoutMs: maxTimeoutMs, waitForSelector: '*', waitTimeoutMs: maxTimeoutMs });

/** Each CDP call's bound: past every job's deadline, so a job's own limits decide when it times out. */
export const protocolTimeoutMs = maxAttemptBudgetMs + 5_000;
