// Exit codes scripts can rely on, and the errors that carry them. Every failure of a command is
// one of these classes, thrown where it is recognised; cli/index.ts prints it and exits with its code.

export const exitCodes = {
  ok: 0,
  /** The API refused the request (402, 409, 429, 5xx...), or a job ended failed, cancelled or expired. */
  failure: 1,
  /** Bad flags or arguments, or input the API rejected as invalid (400). */
  usage: 2,
  /** No API key, or the key was refused (401) or may not do this (403). */
  auth: 3,
  /** The job (or key) does not exist, or was deleted (404, 410). */
  notFound: 4,
  /** The API could not be reached, or what answered is not a Scrapifie server. */
  network: 5,
} as const;

export type ExitCode = (typeof exitCodes)[keyof typeof exitCodes];

export const exitCodeHelp = `Exit codes:
  0  success
  1  the API refused the request, or a job ended failed, cancelled or expired
  2  usage error: bad flags or arguments, or input the API rejected as invalid
  3  authentication: no API key, or the key was refused or may not do this
  4  not found: no such job (or it was deleted)
  5  network: the API could not be reached, or what answered is not Scrapifie`;

export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: ExitCode = exitCodes.failure,
    /** Extra lines printed under the message, such as each invalid field. */
    readonly details: string[] = [],
  ) {
    super(message);
  }
}

export class UsageError extends CliError {
  constructor(message: string, details: string[] = []) {
    super(message, exitCodes.usage, details);
  }
}

export type ApiErrorPayload = { code: string; message: string; details?: unknown };

/** The API answered with its error shape. The exit code follows from the HTTP status. */
export class ApiRequestError extends CliError {
  constructor(
    readonly status: number,
    readonly error: ApiErrorPayload,
    retryAfterSeconds: number | null = null,
  ) {
    const fields = fieldLines(error.details);
    // "Invalid body: url: ...; timeoutMs: ..." lists the fields the lines below list again: say it once.
    const message = fields.length && fields.every((line) => error.message.includes(line)) ? error.message.slice(0, error.message.indexOf(': ')) : error.message;
    const retry = retryAfterSeconds !== null && !/try again/i.test(error.message) ? [`Retry after ${retryAfterSeconds} s.`] : [];
    super(message, exitCodeForStatus(status), [...fields, ...retry]);
  }

  get code(): string {
    return this.error.code;
  }
}

/** The server has no such endpoint: an older server, or a feature not built yet. */
export class UnsupportedError extends CliError {
  constructor(feature: string, request: string, status: number) {
    super(`This server does not support ${feature} yet (${request} answered ${status}).`, exitCodes.failure);
  }
}

export class NetworkError extends CliError {
  constructor(message: string) {
    super(message, exitCodes.network);
  }
}

/** What answered is not the Scrapifie API (a web page, another service): a wrong --api-url. */
export class NotScrapifieError extends CliError {
  constructor(message: string) {
    super(message, exitCodes.network, ['Check the API URL (--api-url, SCRAPIFIE_API_URL or `scrapifie login`).']);
  }
}

function exitCodeForStatus(status: number): ExitCode {
  if (status === 400 || status === 413 || status === 415) return exitCodes.usage;
  if (status === 401 || status === 403) return exitCodes.auth;
  if (status === 404 || status === 410) return exitCodes.notFound;
  return exitCodes.failure;
}

function fieldLines(details: unknown): string[] {
  const fields = (details as { fields?: { field: string; message: string }[] } | undefined)?.fields;
  return Array.isArray(fields) ? fields.map((f) => `${f.field}: ${f.message}`) : [];
}
