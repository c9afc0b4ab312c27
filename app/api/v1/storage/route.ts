import { storageUsage } from '@/db/queries/storage';
import { withApiAuth } from '@/lib/server/api/route';

// GET /api/v1/storage: bytes of result data, screenshots and logs the account has stored
export const GET = withApiAuth(async ({ db, account }) => {
  const usage = await storageUsage(db, account.id);
  return Response.json({ ...usage, totalBytes: usage.resultsBytes + usage.screenshotsBytes + usage.logsBytes });
}, { rateLimit: 'read' });
