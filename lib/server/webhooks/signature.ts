import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

// Stripe-style signatures: `Scrapifie-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256>` over
// "<t>.<raw body>". The timestamp inside the signed text lets receivers refuse replays. While a
// rotated secret is still valid (24 hours), the header carries one `v1` per secret, the new one
// first: a receiver accepts the delivery when any of them matches its secret.

export const signatureHeader = 'Scrapifie-Signature';
/** Receivers should refuse a signature whose `t` is further than this from their clock. */
export const signatureToleranceSeconds = 5 * 60;
/** How long a rotated-out secret keeps signing deliveries. */
export const previousSecretValidMs = 24 * 60 * 60 * 1000;

export function generateWebhookSecret(): string {
  return `whsec_${randomBytes(24).toString('base64url')}`;
}

/** `whsec_••••` and the last four characters: enough to recognise a secret in a list. */
export function maskSecret(secret: string): string {
  return `whsec_••••••••${secret.slice(-4)}`;
}

const hmac = (secret: string, timestamp: number, body: string) => createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');

export function signWebhook({ secrets, body, timestamp }: { secrets: string[]; body: string; timestamp: number }): string {
  return [`t=${timestamp}`, ...secrets.map((secret) => `v1=${hmac(secret, timestamp, body)}`)].join(',');
}

/** The secrets that sign now: the current one, and the previous one until it expires. */
export function signingSecrets({ secret, previous, previousExpiresAt, now = new Date() }: { secret: string; previous: string | null; previousExpiresAt: Date | null; now?: Date }): string[] {
  return previous && previousExpiresAt && previousExpiresAt > now ? [secret, previous] : [secret];
}

/** The check a receiver makes (the README's snippet does the same): any `v1` may match. */
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
  const parts = header.split(',').map((part) => part.split('=', 2) as [string, string]);
  const timestamp = Number(parts.find(([key]) => key === 't')?.[1]);
  if (!Number.isInteger(timestamp) || Math.abs(now / 1000 - timestamp) > signatureToleranceSeconds) return false;
  const expected = Buffer.from(hmac(secret, timestamp, body));
  return parts.some(([key, value = '']) => key === 'v1' && value.length === expected.length && timingSafeEqual(Buffer.from(value), expected));
}
