import { withApiAuth } from '@/lib/server/api/route';
import { jobStream } from '@/lib/server/streams/job-stream';

// GET /api/v1/jobs/{id}/stream: the job live as Server-Sent Events (status, log entries, end); resumes with Last-Event-ID
export const GET = withApiAuth<{ id: string }>(async ({ req, params, db, account, apiKey }) =>
  jobStream({ req, db, id: params.id, accountId: account.id, maskSecrets: apiKey === null }),
);
