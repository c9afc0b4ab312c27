// The error taxonomy of spec section 6 (its nine types), plus TARGET_UNAVAILABLE for a target
// that answered with a transient server error. An engine classifies a failure once, where it is
// raised, by throwing one of these classes; the worker never string-matches messages later.

export const errorTypes = [
  'TIMEOUT',
  'TARGET_BLOCKED',
  'RATE_LIMITED',
  'INVALID_URL',
  'CONTENT_TOO_LARGE',
  'CAPTCHA_DETECTED',
  'PROXY_CONNECTION_FAILED',
  'SELECTOR_NOT_FOUND',
  'INTERNAL_ERROR',
  'TARGET_UNAVAILABLE',
  'EXTRACTION_FAILED',
] as const;

export type ErrorType = (typeof errorTypes)[number];

export const errorSuggestions: Record<ErrorType, string[]> = {
  PROXY_CONNECTION_FAILED: [
    'Try a different proxy region',
    'Use a higher-tier engine (Browser or Stealth)',
    'Check if the target URL is accessible',
    'Contact support if the issue persists',
  ],
  TARGET_BLOCKED: [
    'Use the Stealth engine',
    'Try a different proxy region',
    'Reduce request frequency to the target',
  ],
  TIMEOUT: [
    'Increase the timeout parameter (timeoutMs)',
    'Use the Browser or Stealth engine',
    'Check the target site performance',
  ],
  INVALID_URL: ['Verify the URL format', 'Ensure the URL is publicly accessible'],
  SELECTOR_NOT_FOUND: [
    'Verify the CSS selector',
    'Check if the page content loads dynamically',
    'Increase the wait timeout (waitTimeoutMs)',
  ],
  CAPTCHA_DETECTED: ['Use the Stealth engine', 'Reduce request frequency to the target'],
  CONTENT_TOO_LARGE: ['Request a specific format (text or markdown) instead of full HTML'],
  RATE_LIMITED: ['Wait and retry', 'Reduce request frequency to the target'],
  INTERNAL_ERROR: ['Retry the job', 'Contact support if the issue persists'],
  TARGET_UNAVAILABLE: [
    'Retry the job later: the target site reported a temporary problem',
    'Check the target site status',
    'Contact the site owner if the issue persists',
  ],
  EXTRACTION_FAILED: [
    'Check the selector of the field named in the message against the page (it may have changed)',
    'Mark the field optional (`required: false`, or leave it out of the schema\'s `required`)',
    'Use the Browser engine if the field is added by JavaScript',
  ],
};

export abstract class ScrapeError extends Error {
  abstract readonly type: ErrorType;
  abstract readonly retryable: boolean;
  /** Short reason used in "Retry {attempt} of {max}: {reason}". */
  get reason(): string {
    return this.message;
  }
}

export class TimeoutError extends ScrapeError {
  readonly type = 'TIMEOUT';
  readonly retryable = true;
}

/**
 * A transient upstream failure (HTTP 500-504 or a reset connection): worth another try. Its own
 * type, not TIMEOUT: a fast 503 is no slow page, and more time would not help.
 */
export class TargetUnavailableError extends ScrapeError {
  readonly type = 'TARGET_UNAVAILABLE';
  readonly retryable = true;
  constructor(
    message: string,
    readonly statusCode?: number,
  ) {
    super(message);
  }
}

export class TargetBlockedError extends ScrapeError {
  readonly type = 'TARGET_BLOCKED';
  readonly retryable = false;
}

export class RateLimitedError extends ScrapeError {
  readonly type = 'RATE_LIMITED';
  readonly retryable = true;
}

export class InvalidUrlError extends ScrapeError {
  readonly type = 'INVALID_URL';
  readonly retryable = false;
  constructor(
    message: string,
    /** The target's HTTP status when it answered one (404 and 410 tell change tracking the page was removed). */
    readonly statusCode?: number,
  ) {
    super(message);
  }
}

/** The egress guard refused an address; never retried, the answer will not change. */
export class EgressDeniedError extends ScrapeError {
  readonly type = 'INVALID_URL';
  readonly retryable = false;
}

export class ContentTooLargeError extends ScrapeError {
  readonly type = 'CONTENT_TOO_LARGE';
  readonly retryable = false;
}

export class CaptchaDetectedError extends ScrapeError {
  readonly type = 'CAPTCHA_DETECTED';
  readonly retryable = false;
}

export class ProxyConnectionError extends ScrapeError {
  readonly type = 'PROXY_CONNECTION_FAILED';
  readonly retryable = true;
}

/** No proxy in the pool serves the requested country: another try would meet the same pool. */
export class NoProxyAvailableError extends ScrapeError {
  readonly type = 'PROXY_CONNECTION_FAILED';
  readonly retryable = false;
}

/** The browser crashed, disconnected or could not start: worth another try on a fresh one. */
export class BrowserError extends ScrapeError {
  readonly type = 'INTERNAL_ERROR';
  readonly retryable = true;
}

export class SelectorNotFoundError extends ScrapeError {
  readonly type = 'SELECTOR_NOT_FOUND';
  readonly retryable = false;
}

/**
 * Extraction rules met a page without a required field, output that breaks the job's JSON
 * Schema, or a page that is not HTML. The message names the field; another try reads the same page.
 */
export class ExtractionFailedError extends ScrapeError {
  readonly type = 'EXTRACTION_FAILED';
  readonly retryable = false;
}

export class InternalScrapeError extends ScrapeError {
  readonly type = 'INTERNAL_ERROR';
  readonly retryable = false;
}

/** The job's error for anything unclassified; the worker's own log keeps what was thrown. */
export const unexpectedErrorMessage = 'The job stopped on an unexpected internal error';

/**
 * Wraps anything thrown that is not already classified. A library's message (puppeteer's advice
 * to raise a setting, a stack's text) means nothing to the job's owner, so it is never the job's.
 */
export function toScrapeError(error: unknown): ScrapeError {
  if (error instanceof ScrapeError) return error;
  return new InternalScrapeError(unexpectedErrorMessage);
}
