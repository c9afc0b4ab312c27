import type { Db } from '@/db/client';
import { countActiveApiKeys, findAccountByEmail, getApiKey, grantCredits, insertAccount, insertApiKey } from '@/db/queries/accounts';
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

/** Creates a key and returns its secret: the only time the secret exists outside the caller. */
export async function createApiKey(db: Db, { accountId, name, kind }: { accountId: string; name: string; kind: ApiKeyKind }) {
  const { secret, hash, prefix } = generateApiKey(kind);
  const key = await insertApiKey(db, { accountId, name, kind, keyHash: hash, prefix });
  return { key, secret };
}

/** Active keys an account may hold; retries and revoked keys' jobs never need a new one (spec section 13). */
export const maxActiveApiKeys = 25;

/** A key the account's owner creates from the dashboard, within the key limit. */
export async function createUserApiKey(db: Db, args: { accountId: string; name: string; kind: ApiKeyKind }) {
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
