import type { Db } from '@/db/client';
import { findAccountByEmail, grantCredits, insertAccount, insertApiKey } from '@/db/queries/accounts';
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
