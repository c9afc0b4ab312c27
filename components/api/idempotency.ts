import { ApiClientError } from './fetcher';

/**
 * An Idempotency-Key per dashboard action (issue 13): a submit that got no answer, or a 5xx, is
 * sent again with the same key when the user tries again with the same request, so a job the first
 * try committed is replayed rather than created twice. A changed request, or one that got an
 * answer (success or refusal), gets a new key.
 */
export class IdempotentAction {
  private last: { request: string; key: string } | null = null;

  /** The key for sending `request` (any string that identifies it, such as its body). */
  key(request: string): string {
    if (this.last?.request !== request) this.last = { request, key: newKey() };
    return this.last.key;
  }

  /** The same key as the request's headers. */
  headers(request: string): Record<string, string> {
    return { 'Idempotency-Key': this.key(request) };
  }

  /**
   * After the try: keep the key only when the outcome is unknown: no answer (a fetch or a server
   * action that failed in transit throws something other than an ApiClientError), or a server error.
   */
  settle(error?: unknown): void {
    const answered = error === undefined || (error instanceof ApiClientError && error.status > 0 && error.status < 500);
    if (answered) this.last = null;
  }
}

function newKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return `dash-${Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')}`;
}
