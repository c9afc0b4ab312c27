import type { Engine, JobStatus } from '@/lib/jobs';
import type { Priority } from '@/lib/queue';
import type { ErrorType } from '@/lib/scrape-errors';

// Job export (spec section 10): the fields, the CSV and JSON encodings, the limits and texts.
// Pure, so the encodings are unit-testable and the dashboard can show the same texts.

export const maxExportRows = 10_000;
export const exportsPerHour = 5;
export const exportFormats = ['csv', 'json'] as const;
export type ExportFormat = (typeof exportFormats)[number];

/** One exported job. JSON keys are these names; the CSV header is `exportColumns`' labels, in this order. */
export type ExportRecord = {
  jobId: string;
  status: JobStatus;
  targetUrl: string;
  engine: Engine;
  apiKeyName: string;
  credits: number;
  durationSeconds: number | null;
  createdAt: string;
  completedAt: string | null;
  errorType: ErrorType | null;
  name: string | null;
  tags: string[];
  priority: Priority;
  /** The extracted document, when the export asks for it (`extracted=true`). */
  extracted?: unknown;
};

export const exportColumns: [keyof ExportRecord, string][] = [
  ['jobId', 'Job ID'],
  ['status', 'Status'],
  ['targetUrl', 'Target URL'],
  ['engine', 'Engine'],
  ['apiKeyName', 'API Key Name'],
  ['credits', 'Credits'],
  ['durationSeconds', 'Duration (seconds)'],
  ['createdAt', 'Created At'],
  ['completedAt', 'Completed At'],
  ['errorType', 'Error Type'],
  ['name', 'Name'],
  ['tags', 'Tags'],
  ['priority', 'Priority'],
];

/** `scrapifie-jobs-2026-02-08.csv`, dated in the viewer's timezone. */
export function exportFilename(localDate: string, format: ExportFormat): string {
  return `scrapifie-jobs-${localDate}.${format}`;
}

/** The spec's warning when more jobs match than one export holds; null otherwise. */
export function exportWarning(matching: number): string | null {
  if (matching <= maxExportRows) return null;
  return `Your filters match ${matching.toLocaleString('en-US')} jobs. Only the most recent ${maxExportRows.toLocaleString('en-US')} will be exported.`;
}

export function exportRateLimitMessage(retryAfterSeconds: number): string {
  const minutes = Math.max(1, Math.ceil(retryAfterSeconds / 60));
  return `Export limit reached: at most ${exportsPerHour} exports per hour. Try again in ${minutes} minute${minutes === 1 ? '' : 's'}.`;
}

// ---- CSV: RFC 4180 with CRLF rows, a UTF-8 BOM for Excel, and newlines inside values escaped as
// the two characters \n (and \r), so every job stays on one physical line. ----

export const csvBom = '\uFEFF';

export function csvField(value: string | number | null): string {
  if (value === null) return '';
  const text = String(value).replace(/\r\n|\r|\n/g, (newline) => (newline === '\r' ? '\\r' : '\\n'));
  return /[",]|^\s|\s$/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvRow(values: (string | number | null)[]): string {
  return `${values.map(csvField).join(',')}\r\n`;
}

export const csvHeader = csvRow(exportColumns.map(([, label]) => label));

/** The header with a column per extracted field (`extracted.price`) after the usual ones. */
export function csvHeaderWith(extractedFields: string[]): string {
  return csvRow([...exportColumns.map(([, label]) => label), ...extractedFields.map((field) => `extracted.${field}`)]);
}

/** An extracted value in one cell: text and numbers as they are, lists and objects as JSON. */
function extractedCell(value: unknown): string | number | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string' || typeof value === 'number') return value;
  return typeof value === 'boolean' ? String(value) : JSON.stringify(value);
}

export function csvRecord(record: ExportRecord, extractedFields: string[] = []): string {
  // Tags share one cell, space-separated (a tag has no spaces).
  const document = (record.extracted ?? {}) as Record<string, unknown>;
  return csvRow([
    ...exportColumns.map(([key]) => (key === 'tags' ? record.tags.join(' ') : (record[key] as string | number | null))),
    ...extractedFields.map((field) => extractedCell(document[field])),
  ]);
}

// ---- JSON: one array with 2-space indentation, byte for byte what JSON.stringify(all, null, 2)
// would give, written one record at a time. ----

export function jsonRecord(record: ExportRecord, index: number): string {
  const body = JSON.stringify(record, null, 2).replace(/\n/g, '\n  ');
  return `${index === 0 ? '[\n' : ',\n'}  ${body}`;
}

export function jsonEnd(written: number): string {
  return written === 0 ? '[]\n' : '\n]\n';
}
