import { describe, expect, it } from 'vitest';
import { errorSuggestions, errorTypes, TargetUnavailableError, toScrapeError, unexpectedErrorMessage } from '@/lib/scrape-errors';
import { maxTimeoutMs } from '@/lib/schemas/jobs';
import { attemptBudgetMs, maxAttemptBudgetMs, protocolTimeoutMs } from '@/workers/browser/limits';
import { assertSuccessStatus } from '@/workers/engines/http';

const specTypes = [
  'PROXY_CONNECTION_FAILED',
  'TARGET_BLOCKED',
  'TIMEOUT',
  'INVALID_URL',
  'SELECTOR_NOT_FOUND',
  'CAPTCHA_DETECTED',
  'CONTENT_TOO_LARGE',
  'RATE_LIMITED',
  'INTERNAL_ERROR',
];

describe('the error taxonomy', () => {
  it('keeps the nine spec types with suggestions, and the transient upstream and extraction types beside them', () => {
    for (const type of specTypes) expect(errorSuggestions[type as keyof typeof errorSuggestions]?.length).toBeGreaterThan(0);
    expect([...errorTypes].sort()).toEqual([...specTypes, 'TARGET_UNAVAILABLE', 'EXTRACTION_FAILED'].sort());
    expect(errorSuggestions.TARGET_UNAVAILABLE.join(' ')).not.toMatch(/timeout/i);
  });

  it('types a fast 503 as TARGET_UNAVAILABLE, retryable, with the status in its message', () => {
    let error: unknown;
    try {
      assertSuccessStatus(503, 'https://example.com/a');
    } catch (thrown) {
      error = thrown;
    }
    expect(error).toBeInstanceOf(TargetUnavailableError);
    expect(error).toMatchObject({ type: 'TARGET_UNAVAILABLE', retryable: true, statusCode: 503 });
    expect((error as Error).message).toBe('Target returned HTTP 503 Service Unavailable for https://example.com/a');
  });

  it('never gives a job a library\'s internal message', () => {
    const wrapped = toScrapeError(new Error("Page.navigate timed out. Increase the 'protocolTimeout' setting in launch/connect calls"));
    expect(wrapped).toMatchObject({ type: 'INTERNAL_ERROR', message: unexpectedErrorMessage });
  });
});

describe('browser attempt limits', () => {
  it('bounds every CDP call past the longest attempt a job can ask for', () => {
    expect(attemptBudgetMs({ timeoutMs: 120_000, waitForSelector: undefined, waitTimeoutMs: 10_000 })).toBe(135_000);
    expect(maxAttemptBudgetMs).toBe(2 * maxTimeoutMs + 15_000);
    expect(protocolTimeoutMs).toBeGreaterThan(maxAttemptBudgetMs);
  });
});
