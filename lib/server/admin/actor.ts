import type { AuditActor } from '@/db/queries/audit';
import type { Account, ApiKey } from '@/db/schema';

export type { AuditActor };

/**
 * Who the audit log says acted on a request: the API key that authenticated it, or the signed-in
 * dashboard user. The route handlers pass it down to the function that makes the change.
 */
export function requestActor({ account, apiKey }: { account: Pick<Account, 'id'>; apiKey: Pick<ApiKey, 'id'> | null }): AuditActor {
  return apiKey ? { type: 'api_key', accountId: account.id, apiKeyId: apiKey.id } : { type: 'user', accountId: account.id };
}

/** An admin acting on any account's jobs from the admin page. */
export function adminActor(admin: Pick<Account, 'id'>): AuditActor {
  return { type: 'admin', accountId: admin.id };
}

/** `npm run admin -- ...`: the operator at the command line, who has no account. */
export const operatorActor: AuditActor = { type: 'operator' };
