import { getResult } from '@/db/queries/results';
import { ApiError } from '@/lib/api-errors';
import { screenshotFilename } from '@/lib/jobs';
import { retentionMessages } from '@/lib/retention';
import { withApiAuth } from '@/lib/server/api/route';
import { getOwnedJob } from '@/lib/server/jobs/access';
import { retentionSettings } from '@/lib/server/retention';

// GET /api/v1/jobs/{id}/screenshot: the job's PNG screenshot, shown inline (Browser and Stealth jobs)
export const GET = withApiAuth<{ id: string }>(async ({ params, db, account }) => {
  const { job } = await getOwnedJob(db, { id: params.id, accountId: account.id });
  const screenshot = await getResult(db, { jobId: job.id, kind: 'screenshot' });
  if (!screenshot) {
    throw new ApiError('not_found', job.status === 'completed' ? 'This job has no screenshot' : `Job is ${job.status}; it has no screenshot`);
  }
  if (screenshot.purgedAt || !screenshot.content) {
    throw new ApiError('gone', retentionMessages.screenshotPurged(retentionSettings()));
  }
  return new Response(new Uint8Array(screenshot.content), {
    headers: {
      'Content-Type': 'image/png',
      'Content-Length': String(screenshot.content.length),
      'Content-Disposition': `inline; filename="${screenshotFilename(job.id)}"`,
      'Cache-Control': 'private, max-age=3600',
    },
  });
});
