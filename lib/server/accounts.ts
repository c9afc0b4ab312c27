import type { Db } from '@/db/client';
import { countActiveApiKeys, findAccountByEmail, getApiKey, grantCredits, insertAccount, insertApiKey, revokeApiKey } from '@/db/queries/accounts';
import { recordAudit, type AuditActor } from '@/db/queries/audit';
import { ApiError } from '@/lib/api-errors';
import { apiKeyIdSchema } from '@/lib/schemas/accounts';
import { generateApiKey, type ApiKeyKind } from './api-keys';
import { hashPassword } from './passwords';

export async function createAccount(
  db: Db,
  { email, password, credits = 0, role }: { email: string; password: string; credits?: number; role?: 'user' | 'admin' },
) {
  if (await findAccountByEmail(db, email)) throw new Error(`An account with email ${email} already exists`);
  const account = await insertAccount(db, { email, passwordHash: await hashPassword(password), role });
  if (credits > 0) await grantCredits(db, { accountId: account.id, amount: credits });
  return account;
}

/**
 * Creates a key and returns its secret: the only time the secret exists outside the caller. With
 * an `actor`, a `key.create` audit entry is written in the same transaction.
 */
export async function createApiKey(
  db: Db,
  { accountId, name, kind, actor }: { accountId: string; name: string; kind: ApiKeyKind; actor?: AuditActor },
) {
  const { secret, hash, prefix } = generateApiKey(kind);
  const key = await db.transaction(async (tx) => {
    const created = await insertApiKey(tx, { accountId, name, kind, keyHash: hash, prefix });
    if (actor) await recordAudit(tx, actor, { action: 'key.create', targetType: 'api_key', targetId: created.id, accountId, details: { name, kind, prefix } });
    return created;
  });
  return { key, secret };
}

/** Revokes a key and audits it (`key.revoke`) in one transaction; undefined when it was already revoked. */
export async function revokeKey(db: Db, { accountId, keyId, actor }: { accountId: string; keyId: string; actor: AuditActor }) {
  return db.transaction(async (tx) => {
    const key = await revokeApiKey(tx, { accountId, keyId });
    if (key) await recordAudit(tx, actor, { action: 'key.revoke', targetType: 'api_key', targetId: key.id, accountId, details: { name: key.name, prefix: key.prefix } });
    return key;
  });
}

/** Active keys an account may hold; retries and revoked keys' jobs never need a new one (spec section 13). */
export const maxActiveApiKeys = 25;

/** A key the account's owner creates from the dashboard, within the key limit. */
export async function createUserApiKey(db: Db, args: { accountId: string; name: string; kind: ApiKeyKind; actor: AuditActor }) {
  if ((await countActiveApiKeys(db, args.accountId)) >= maxActiveApiKeys) {
    throw new ApiError('conflict', `You have ${maxActiveApiKeys} active API keys, the most an account can hold. Revoke one to create another.`);
  }
  return createApiKey(db, args);
}

/** The account's key, or 404: another account's key is as unknown as a missing one. */
export async function getOwnedApiKey(db: Db, { accountId, keyId }: { accountId: string; keyId: string }) {
  const key = apiKeyIdSchema.safeParse(keyId).success ? await getApiKey(db, { accountId, keyId }) : undefined;
  if (!key) throw new ApiError('not_found', `No API key with id ${keyId}`);
  return key;
}
