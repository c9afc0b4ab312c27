import type { Db } from '@/db/client';
import { findAccountByEmail, grantCredits, setAccountSuspended } from '@/db/queries/accounts';
import { setAccountRole } from '@/db/queries/admin';
import { recordAudit } from '@/db/queries/audit';
import { operatorActor } from './actor';

// What `npm run admin -- ...` changes on accounts, each with its audit entry (actor: operator) in
// the same transaction. scripts/admin.ts parses the command line and prints the JSON.

export class UnknownAccountError extends Error {
  constructor(email: string) {
    super(`No account with email ${email}`);
  }
}

/** grant-admin / revoke-admin: the account gets (or loses) the admin page and the admin API. */
export async function setAdmin(db: Db, { email, admin }: { email: string; admin: boolean }) {
  const account = await findAccountByEmail(db, email);
  if (!account) throw new UnknownAccountError(email);
  return db.transaction(async (tx) => {
    const updated = (await setAccountRole(tx, { accountId: account.id, role: admin ? 'admin' : 'user' }))!;
    if (account.role !== updated.role) {
      await recordAudit(tx, operatorActor, {
        action: admin ? 'account.grant_admin' : 'account.revoke_admin',
        targetType: 'account',
        targetId: account.id,
        accountId: account.id,
        details: { email: account.email },
      });
    }
    return { accountId: updated.id, email: updated.email, role: updated.role };
  });
}

/** grant-credits: adds credits (a ledger row) and audits `credits.grant`. */
export async function grantCreditsAsOperator(db: Db, { accountId, amount }: { accountId: string; amount: number }) {
  return db.transaction(async (tx) => {
    const account = await grantCredits(tx, { accountId, amount });
    if (account) {
      await recordAudit(tx, operatorActor, {
        action: 'credits.grant',
        targetType: 'account',
        targetId: accountId,
        accountId,
        details: { amount, balanceAfter: account.credits },
      });
    }
    return account;
  });
}

/** suspend-account / unsuspend-account, audited as `account.suspend` / `account.unsuspend`. */
export async function setSuspendedAsOperator(db: Db, { accountId, suspended }: { accountId: string; suspended: boolean }) {
  return db.transaction(async (tx) => {
    const account = await setAccountSuspended(tx, { accountId, suspended });
    if (account) {
      await recordAudit(tx, operatorActor, {
        action: suspended ? 'account.suspend' : 'account.unsuspend',
        targetType: 'account',
        targetId: accountId,
        accountId,
        details: null,
      });
    }
    return account;
  });
}
