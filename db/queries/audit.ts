import type { Db } from '../client';
import { auditLog, type NewAuditEntry } from '../schema';

/** Who did something, as the audit log records it. */
export type AuditActor = {
  type: 'user' | 'api_key' | 'admin' | 'operator' | 'system';
  accountId?: string | null;
  apiKeyId?: string | null;
};

export type AuditAction = Pick<NewAuditEntry, 'action' | 'targetType' | 'targetId' | 'accountId' | 'details'>;

/**
 * Writes audit entries. Call it with the transaction that makes the change, so an entry exists
 * exactly when the change does.
 */
export async function recordAudit(db: Db, actor: AuditActor, actions: AuditAction | AuditAction[]): Promise<void> {
  const rows = (Array.isArray(actions) ? actions : [actions]).map((action) => ({
    ...action,
    actorType: actor.type,
    actorAccountId: actor.accountId ?? null,
    actorApiKeyId: actor.apiKeyId ?? null,
  }));
  if (rows.length > 0) await db.insert(auditLog).values(rows);
}
