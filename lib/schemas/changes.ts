import { z } from 'zod';

// Change tracking (jobs with trackChanges, a schedule's runs, a crawl's pages): how a run compares
// with the previous completed run of the same URL in the same series.
//
// - new: no previous completed run (or the previous run found the page removed);
// - same / changed: the content's sha256 (the extracted document's, when the job has extraction
//   rules) equals / differs from the previous run's;
// - removed: a previous completed run exists and this run met a not-found page (HTTP 404 or 410).

const timestamp = z.iso.datetime().meta({ example: '2026-03-01T10:30:00.000Z' });

export const changeStatuses = ['new', 'same', 'changed', 'removed'] as const;
export type ChangeStatus = (typeof changeStatuses)[number];

/** The statuses the jobs list's "Changed only" filter and `job.changed` cover. */
export const changedStatuses = ['changed', 'removed'] as const satisfies readonly ChangeStatus[];

export const jobChangeSchema = z.strictObject({
  status: z.enum(changeStatuses),
  series: z.string().describe("The series compared within: `account` (a job with trackChanges), `schedule:<id>` or `crawl:<id>`."),
  previousJobId: z.uuid().nullable().describe('The run this one was compared with; null for a new page.'),
  comparedBy: z.enum(['content', 'extracted']).describe('What was compared: the result content, or the extracted document when the job has extraction rules.'),
  contentHash: z.string().nullable().describe('sha256 (hex) of the result content; null for a removed page.'),
  extractedHash: z.string().nullable().describe('sha256 (hex) of the extracted document (keys sorted), when extracted.'),
  diff: z.string().nullable().describe('A unified diff from the previous run to this one (markdown/content text, or the extracted JSON); null when same, new, removed, or unavailable.'),
  diffTruncated: z.boolean().describe('The diff was cut at 64 KB.'),
  diffNote: z.string().nullable().describe('Why a changed run has no diff, e.g. the previous result was purged by retention (the hashes still tell same from changed).'),
  detectedAt: timestamp,
});
export type JobChangeJson = z.infer<typeof jobChangeSchema>;

/** What a `job.changed` event adds to the job: the status and the run it was compared with. */
export const webhookChangeSchema = z.strictObject({
  status: z.enum(changedStatuses),
  previousJobId: z.uuid().nullable(),
});
