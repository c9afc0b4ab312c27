import { getResult } from '@/db/queries/results';
import { ApiError } from '@/lib/api-errors';
import { resultFilename, type ResultFormat } from '@/lib/jobs';
import { retentionMessages } from '@/lib/retention';
import { withApiAuth } from '@/lib/server/api/route';
import { getOwnedJob } from '@/lib/server/jobs/access';
import { retentionSettings } from '@/lib/server/retention';

// GET /api/v1/jobs/{id}/result: the result content with its content type and download name
export const GET = withApiAuth<{ id: string }>(async ({ params, db, account }) => {
  const { job } = await getOwnedJob(db, { id: params.id, accountId: account.id });
  const result = await getResult(db, { jobId: job.id, kind: 'content' });
  if (!result) {
    throw new ApiError('not_found', job.status === 'completed' ? 'This job has no result' : `Job is ${job.status}; it has no result`);
  }
  if (result.purgedAt || !result.content) {
    throw new ApiError('gone', retentionMessages.resultPurged(retentionSettings()));
  }
  const filename = resultFilename(job.id, result.format as ResultFormat, result.contentType);
  return new Response(new Uint8Array(result.content), {
    headers: {
      'Content-Type': result.contentType,
      'Content-Length': String(result.content.length),
      'Content-Disposition': `attachment; filename="${filename}"`,
      'Cache-Control': 'private, max-age=3600',
    },
  });
});
