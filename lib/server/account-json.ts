import type { Account, ApiKey } from '@/db/schema';

// JSON shapes of the account and its keys, for /api/v1/account, /api/v1/keys and the dashboard's
// first paint. Pure: rows in, plain objects out; a key's hash never leaves the server.

export function serializeApiKey(key: ApiKey) {
  return {
    id: key.id,
    name: key.name,
    kind: key.kind,
    prefix: key.prefix,
    revoked: key.revokedAt !== null,
    status: key.revokedAt ? ('revoked' as const) : ('active' as const),
    createdAt: key.createdAt.toISOString(),
    lastUsedAt: key.lastUsedAt?.toISOString() ?? null,
    revokedAt: key.revokedAt?.toISOString() ?? null,
  };
}

export function serializeAccount(account: Account) {
  return {
    id: account.id,
    email: account.email,
    credits: account.credits,
    reservedCredits: account.reservedCredits,
    /** What a new job can spend: the balance less the price of unfinished jobs. */
    available: account.credits - account.reservedCredits,
    suspended: account.suspendedAt !== null,
    /** Set once the owner asked to delete the account; it is deleted when its active jobs finish. */
    deletionRequestedAt: account.deletionRequestedAt?.toISOString() ?? null,
  };
}

export type ApiKeyJson = ReturnType<typeof serializeApiKey>;
export type AccountJson = ReturnType<typeof serializeAccount>;
