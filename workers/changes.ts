import { createHash } from 'node:crypto';
import { createTwoFilesPatch } from 'diff';
import type { Db } from '@/db/client';
import { insertChange, insertChangedEvent, latestChange, lockSeriesUrl, storedResultText } from '@/db/queries/changes';
import type { Job } from '@/db/schema';
import type { ChangeStatus } from '@/lib/schemas/changes';

// Change tracking at the end of a run (README "Change tracking"): the run is compared with the
// newest recorded run of the same account, series and URL, by hash (the extracted document's
// when the job has extraction rules, else the content's), and a changed run gets a unified diff
// of the two texts. Runs inside the transaction that finishes the job, before finishRun.

/** Texts past this are not diffed (the hash still tells same from changed). */
const maxDiffInputBytes = 512 * 1024;
/** The stored diff is cut here. */
export const maxDiffBytes = 64 * 1024;
/** Beyond this many edits the diff is given up: a page rewritten from top to bottom. */
const maxEditLength = 5_000;

export const sha256 = (data: Buffer | string) => createHash('sha256').update(data).digest('hex');

/** JSON with keys sorted, so the same document always hashes and diffs the same. */
export function stableJson(value: unknown): string {
  return JSON.stringify(value, (_, v) => (v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : v), 2);
}

type Tracked = Pick<Job, 'id' | 'accountId' | 'url' | 'changeSeries'>;

export type CompletedRun = { content: Buffer; contentIsText: boolean; extracted?: unknown };

export type ChangeOutcome = { status: ChangeStatus; previousJobId: string | null };

type Diff = { diff: string | null; truncated: boolean; note: string | null };

function unifiedDiff({ before, after, from, to }: { before: string | null; after: string; from: string; to: string }): Diff {
  if (before === null) return { diff: null, truncated: false, note: 'The previous result was purged by retention: the hashes tell that it changed, not how.' };
  if (Buffer.byteLength(before) > maxDiffInputBytes || Buffer.byteLength(after) > maxDiffInputBytes) {
    return { diff: null, truncated: false, note: `The content is larger than ${maxDiffInputBytes / 1024} KB: no diff is kept.` };
  }
  const patch = createTwoFilesPatch(`job ${from}`, `job ${to}`, before, after, undefined, undefined, { context: 3, maxEditLength });
  if (patch === undefined) return { diff: null, truncated: false, note: 'Too many differences to show a diff: the page changed throughout.' };
  const bytes = Buffer.from(patch);
  if (bytes.length <= maxDiffBytes) return { diff: patch, truncated: false, note: null };
  // Cut on a line boundary so the last line shown is whole.
  const cut = bytes.subarray(0, maxDiffBytes).toString('utf8');
  return { diff: cut.slice(0, cut.lastIndexOf('\n') + 1), truncated: true, note: null };
}

/**
 * Records how a completed run compares with the previous one of its series and URL, and writes
 * `job.changed` when it changed. Call inside the finishing transaction, before finishRun.
 */
export async function recordCompletedRun(tx: Db, job: Tracked, run: CompletedRun): Promise<ChangeOutcome> {
  const key = { accountId: job.accountId, series: job.changeSeries!, url: job.url };
  await lockSeriesUrl(tx, key);
  const previous = await latestChange(tx, key);
  const contentHash = sha256(run.content);
  const extractedText = run.extracted === undefined ? null : stableJson(run.extracted);
  const extractedHash = extractedText === null ? null : sha256(extractedText);
  const byExtracted = extractedHash !== null;
  const comparable = previous && previous.status !== 'removed' ? previous : undefined;
  const previousHash = comparable && (byExtracted ? comparable.extractedHash : comparable.contentHash);
  // A previous run without extraction rules has no extracted hash: compare by content then.
  const compareExtracted = byExtracted && Boolean(comparable?.extractedHash);
  const same = comparable ? (compareExtracted ? previousHash === extractedHash : comparable.contentHash === contentHash) : false;
  const status: ChangeStatus = !comparable ? 'new' : same ? 'same' : 'changed';

  let diff: Diff = { diff: null, truncated: false, note: null };
  if (status === 'changed') {
    if (compareExtracted) {
      const before = await storedResultText(tx, { jobId: comparable!.jobId, kind: 'extracted' });
      diff = unifiedDiff({ before: before === null ? null : stableJson(JSON.parse(before)), after: extractedText!, from: comparable!.jobId, to: job.id });
    } else if (run.contentIsText) {
      const before = await storedResultText(tx, { jobId: comparable!.jobId, kind: 'content' });
      diff = unifiedDiff({ before, after: run.content.toString('utf8'), from: comparable!.jobId, to: job.id });
    } else {
      diff = { diff: null, truncated: false, note: 'The content is not text: no diff is kept.' };
    }
  }
  await insertChange(tx, {
    jobId: job.id,
    ...key,
    status,
    contentHash,
    extractedHash,
    previousJobId: previous?.jobId ?? null,
    diff: diff.diff,
    diffKind: status === 'changed' ? (compareExtracted ? 'extracted' : 'content') : null,
    diffTruncated: diff.truncated,
    diffNote: diff.note,
  });
  if (status === 'changed') await insertChangedEvent(tx, { accountId: job.accountId, jobId: job.id });
  return { status, previousJobId: previous?.jobId ?? null };
}

/**
 * A run that met a not-found page (404, 410): `removed` when the newest recorded run found the
 * page; nothing is recorded when there was none, or it was already removed (one event per removal).
 */
export async function recordNotFoundRun(tx: Db, job: Tracked): Promise<ChangeOutcome | undefined> {
  const key = { accountId: job.accountId, series: job.changeSeries!, url: job.url };
  await lockSeriesUrl(tx, key);
  const previous = await latestChange(tx, key);
  if (!previous || previous.status === 'removed') return undefined;
  await insertChange(tx, { jobId: job.id, ...key, status: 'removed', previousJobId: previous.jobId });
  await insertChangedEvent(tx, { accountId: job.accountId, jobId: job.id });
  return { status: 'removed', previousJobId: previous.jobId };
}
