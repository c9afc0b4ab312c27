import { getResult } from '@/db/queries/results';
import { ApiError } from '@/lib/api-errors';
import { resultFilename, type ResultFormat } from '@/lib/jobs';
import { retentionMessages } from '@/lib/retention';
import { resultQuerySchema } from '@/lib/schemas/jobs';
import { parseQuery, withApiAuth } from '@/lib/server/api/route';
import { getOwnedJob } from '@/lib/server/jobs/access';
import { retentionSettings } from '@/lib/server/retention';

// GET /api/v1/jobs/{id}/result: the result content with its content type and download name
// (`?part=extracted`: the extracted document of a job with extraction rules, as JSON)
export const GET = withApiAuth<{ id: string }>(async ({ req, params, db, account }) => {
  const { part } = parseQuery(req, resultQuerySchema);
  const { job } = await getOwnedJob(db, { id: params.id, accountId: account.id });
  const kind = part === 'extracted' ? 'extracted' : 'content';
  const result = await getResult(db, { jobId: job.id, kind });
  if (!result) {
    if (kind === 'extracted') throw new ApiError('not_found', job.config.extract ? `Job is ${job.status}; it has no extracted data` : 'This job has no extraction rules');
    throw new ApiError('not_found', job.status === 'completed' ? 'This job has no result' : `Job is ${job.status}; it has no result`);
  }
  if (result.purgedAt || !result.content) {
    throw new ApiError('gone', retentionMessages.resultPurged(retentionSettings()));
  }
  const filename = kind === 'extracted' ? `scrapifie-${job.id.slice(0, 8)}-extracted.json` : resultFilename(job.id, result.format as ResultFormat, result.contentType);
  return new Response(new Uint8Array(result.content), {
    headers: {
      'Content-Type': result.contentType,
      'Content-Length': String(result.content.length),
      'Content-Disposition': `attachment; filename="${filename}"`,
      'Cache-Control': 'private, max-age=3600',
    },
  });
});
