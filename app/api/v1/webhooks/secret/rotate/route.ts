import { withApiAuth } from '@/lib/server/api/route';
import { rotateAccountWebhookSecretNow } from '@/lib/server/webhooks/endpoints';

// POST /api/v1/webhooks/secret/rotate: a new secret for jobs' and batches' own webhookUrl; the old one also signs for 24 hours
export const POST = withApiAuth(async ({ db, account }) => {
  const rotated = await rotateAccountWebhookSecretNow(db, account.id);
  return Response.json(rotated, { headers: { 'Cache-Control': 'no-store' } });
});
