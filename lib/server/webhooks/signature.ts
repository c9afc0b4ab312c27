import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

// Stripe-style signatures: `Scrapifie-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256>` over
// "<t>.<raw body>". The timestamp inside the signed text lets receivers refuse replays.

export const signatureHeader = 'Scrapifie-Signature';
/** Receivers should refuse a signature whose `t` is further than this from their clock. */
export const signatureToleranceSeconds = 5 * 60;

export function generateWebhookSecret(): string {
  return `whsec_${randomBytes(24).toString('base64url')}`;
}

/** `whsec_••••` and the last four characters: enough to recognise a secret in a list. */
export function maskSecret(secret: string): string {
  return `whsec_••••••••${secret.slice(-4)}`;
}

export function signWebhook({ secret, body, timestamp }: { secret: string; body: string; timestamp: number }): string {
  const digest = createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
  return `t=${timestamp},v1=${digest}`;
}

/** The check a receiver makes (the README's snippet does the same). */
export function verifyWebhookSignature({
  secret,
  header,
  body,
  now = Date.now(),
}: {
  secret: string;
  header: string;
  body: string;
  now?: number;
}): boolean {
  const parts = new Map(header.split(',').map((part) => part.split('=', 2) as [string, string]));
  const timestamp = Number(parts.get('t'));
  const signature = parts.get('v1') ?? '';
  if (!Number.isInteger(timestamp) || Math.abs(now / 1000 - timestamp) > signatureToleranceSeconds) return false;
  const expected = createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
  return signature.length === expected.length && timingSafeEqual(Buffer.from(signature), Buffer.from(expected));
}
