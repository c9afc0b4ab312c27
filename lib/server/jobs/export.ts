import type { Database } from '@/db/client';
import { countMatchingJobs, type JobFilterQuery } from '@/db/queries/counts';
import { exportAllowance, exportPage, extractedFieldNames, recordExport, type ExportCursor, type ExportRow } from '@/db/queries/exports';
import { ApiError } from '@/lib/api-errors';
import { localToday } from '@/lib/date-ranges';
import {
  csvBom,
  csvHeader,
  csvHeaderWith,
  csvRecord,
  exportFilename,
  exportRateLimitMessage,
  exportsPerHour,
  exportWarning,
  jsonEnd,
  jsonRecord,
  maxExportRows,
  type ExportFormat,
  type ExportRecord,
} from '@/lib/export';
import { creditsShown } from './serialize';

const exportLimit = { perWindow: exportsPerHour, windowSeconds: 60 * 60 };
/** Rows fetched per query while streaming. */
const pageSize = 500;

function toRecord(row: ExportRow, withExtracted: boolean): ExportRecord {
  return {
    jobId: row.id,
    status: row.status,
    targetUrl: row.url,
    engine: row.engine,
    apiKeyName: row.keyName,
    credits: creditsShown(row),
    durationSeconds: row.durationMs === null ? null : row.durationMs / 1000,
    createdAt: row.createdAt.toISOString(),
    completedAt: row.finishedAt?.toISOString() ?? null,
    errorType: row.status === 'failed' ? row.errorType : null,
    name: row.name,
    tags: row.tags,
    priority: row.priority,
    ...(withExtracted ? { extracted: row.extracted } : {}),
  };
}

/**
 * GET /api/v1/jobs/export?count=1: what an export of these filters would hold, for the dashboard's
 * warning and its disabled button, without using one of the hour's exports.
 */
export async function exportSummary(db: Database, { accountId, filters }: { accountId: string; filters: JobFilterQuery }) {
  const [{ total }, allowance] = await Promise.all([
    countMatchingJobs(db, { accountId, filters }),
    exportAllowance(db, { accountId, limit: exportLimit }),
  ]);
  return {
    count: total,
    rows: Math.min(total, maxExportRows),
    maxRows: maxExportRows,
    warning: exportWarning(total),
    exportsRemaining: allowance.remaining,
    retryAfterSeconds: allowance.remaining === 0 ? allowance.retryAfterSeconds : null,
  };
}

/**
 * Starts an export: takes one of the hour's exports (429 past the limit) and returns the file's
 * headers and its body, a stream of pages of up to 500 jobs, most recent first, 10,000 at most.
 */
export async function startExport(
  db: Database,
  { accountId, filters, format, extracted = false }: { accountId: string; filters: JobFilterQuery; format: ExportFormat; extracted?: boolean },
): Promise<{ headers: Record<string, string>; body: ReadableStream<Uint8Array> }> {
  const { total } = await countMatchingJobs(db, { accountId, filters });
  const rows = Math.min(total, maxExportRows);
  const limited = await recordExport(db, { accountId, format, rows, limit: exportLimit });
  if (limited) {
    throw new ApiError('rate_limited', exportRateLimitMessage(limited.retryAfterSeconds), limited, {
      'Retry-After': String(limited.retryAfterSeconds),
    });
  }
  const warning = exportWarning(total);
  const headers: Record<string, string> = {
    'Content-Type': format === 'csv' ? 'text/csv; charset=utf-8' : 'application/json; charset=utf-8',
    'Content-Disposition': `attachment; filename="${exportFilename(localToday(filters.tz ?? 0), format)}"`,
    'Cache-Control': 'no-store',
    'X-Export-Total': String(total),
    'X-Export-Rows': String(rows),
    ...(warning ? { 'X-Export-Warning': warning } : {}),
  };
  const fields = extracted && format === 'csv' ? await extractedFieldNames(db, { accountId, filters, rows }) : [];
  return { headers, body: exportStream(db, { accountId, filters, format, extracted, fields }) };
}

function exportStream(
  db: Database,
  { accountId, filters, format, extracted, fields }: { accountId: string; filters: JobFilterQuery; format: ExportFormat; extracted: boolean; fields: string[] },
): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let cursor: ExportCursor | undefined;
  let written = 0;
  return new ReadableStream<Uint8Array>({
    start(controller) {
      if (format === 'csv') controller.enqueue(encoder.encode(csvBom + (extracted ? csvHeaderWith(fields) : csvHeader)));
    },
    async pull(controller) {
      const limit = Math.min(pageSize, maxExportRows - written);
      const page = limit > 0 ? await exportPage(db, { accountId, filters, cursor, limit, withExtracted: extracted }) : [];
      const text = page
        .map((row, i) => (format === 'csv' ? csvRecord(toRecord(row, extracted), fields) : jsonRecord(toRecord(row, extracted), written + i)))
        .join('');
      written += page.length;
      const last = page.at(-1);
      if (last) cursor = { createdAt: last.createdAt, id: last.id };
      const finished = page.length < limit || written >= maxExportRows;
      controller.enqueue(encoder.encode(finished && format === 'json' ? text + jsonEnd(written) : text));
      if (finished) controller.close();
    },
  });
}
