import { randomBytes } from 'node:crypto';
import type { Db } from '@/db/client';
import { createAccount, createApiKey } from '@/lib/server/accounts';

export async function createTestAccount(db: Db, { credits = 100, kind = 'live' as 'live' | 'test' } = {}) {
  const email = `user-${randomBytes(4).toString('hex')}@example.com`;
  const account = await createAccount(db, { email, password: 'correct horse battery', credits });
  const { key, secret } = await createApiKey(db, { accountId: account.id, name: kind === 'test' ? 'Test key' : 'Production key', kind });
  return { account, key, secret, email };
}
