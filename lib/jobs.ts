// Job states, engines, formats and prices: the pure rules of spec section 2, shared by the
// web app and the worker.

/** A job, batch or key id as the API writes it (UUID). */
export const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const jobStatuses = ['queued', 'processing', 'completed', 'failed', 'cancelled', 'expired'] as const;
export type JobStatus = (typeof jobStatuses)[number];

export const terminalStatuses = ['completed', 'failed', 'cancelled', 'expired'] as const satisfies JobStatus[];
export const activeStatuses = ['queued', 'processing'] as const satisfies JobStatus[];

export function isTerminal(status: JobStatus): boolean {
  return (terminalStatuses as readonly string[]).includes(status);
}

export const engines = ['http', 'browser', 'stealth'] as const;
export type Engine = (typeof engines)[number];

export const engineLabels: Record<Engine, string> = { http: 'HTTP', browser: 'Browser', stealth: 'Stealth' };

/** Credits charged for a completed or failed job, priced when the job is created. */
export const enginePrices: Record<Engine, number> = { http: 1, browser: 5, stealth: 10 };

/** Only these outcomes are charged; cancelled and expired jobs cost nothing. */
export function isCharged(status: JobStatus): boolean {
  return status === 'completed' || status === 'failed';
}

export const resultFormats = ['html', 'json', 'markdown', 'text'] as const;
export type ResultFormat = (typeof resultFormats)[number];

export const formatExtensions: Record<ResultFormat, string> = {
  html: 'html',
  json: 'json',
  markdown: 'md',
  text: 'txt',
};

/** `scrapifie-{first 8 of id}-{format}.{ext}` (spec section 6). */
export function resultFilename(jobId: string, format: ResultFormat, contentType?: string | null): string {
  const ext = contentType && !isTextual(contentType) ? binaryExtension(contentType) : formatExtensions[format];
  return `scrapifie-${jobId.slice(0, 8)}-${format}.${ext}`;
}

/** `scrapifie-{first 8 of id}-screenshot.png`. */
export function screenshotFilename(jobId: string): string {
  return `scrapifie-${jobId.slice(0, 8)}-screenshot.png`;
}

export function isTextual(contentType: string): boolean {
  const type = contentType.split(';')[0].trim().toLowerCase();
  return (
    type.startsWith('text/') ||
    type === 'application/json' ||
    type.endsWith('+json') ||
    type === 'application/xml' ||
    type.endsWith('+xml') ||
    type === 'application/javascript'
  );
}

const binaryExtensions: Record<string, string> = {
  'image/png': 'png',
  'image/jpeg': 'jpg',
  'image/gif': 'gif',
  'image/webp': 'webp',
  'application/pdf': 'pdf',
  'application/zip': 'zip',
};

function binaryExtension(contentType: string): string {
  return binaryExtensions[contentType.split(';')[0].trim().toLowerCase()] ?? 'bin';
}

export const logLevels = ['DEBUG', 'INFO', 'WARN', 'ERROR'] as const;
export type LogLevel = (typeof logLevels)[number];

/** Spec section 5: at most this many log entries per job; the oldest DEBUG go first. */
export const maxLogEntriesPerJob = 200;

/** Spec section 2: 1 initial attempt and 2 retries; backoff 1 s, 4 s, 16 s. */
export const maxAttempts = 3;
export function retryDelayMs(attempt: number): number {
  return 1000 * 4 ** (attempt - 1);
}
