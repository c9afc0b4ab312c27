import { withApiAuth } from '@/lib/server/api/route';
import { accountWebhookSecret } from '@/lib/server/webhooks/endpoints';

// GET /api/v1/webhooks/secret: the account's secret for jobs' and batches' own webhookUrl (created on first use)
export const GET = withApiAuth(async ({ db, account }) => {
  return Response.json({ secret: await accountWebhookSecret(db, account.id) }, { headers: { 'Cache-Control': 'no-store' } });
});
