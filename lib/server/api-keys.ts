import { createHash, randomBytes } from 'node:crypto';

// API keys are high-entropy random secrets, so a fast hash (SHA-256) is the right lookup key:
// there is nothing to brute-force. Only the hash and a short prefix are stored.

export type ApiKeyKind = 'live' | 'test';

export function generateApiKey(kind: ApiKeyKind): { secret: string; hash: string; prefix: string } {
  const secret = `sk_${kind}_${randomBytes(24).toString('base64url')}`;
  return { secret, hash: hashApiKey(secret), prefix: secret.slice(0, 12) };
}

export function hashApiKey(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

export function looksLikeApiKey(value: string): boolean {
  return /^sk_(live|test)_[A-Za-z0-9_-]{20,}$/.test(value);
}
