import { sql, type SQL } from 'drizzle-orm';
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
  const rows = auditRows(actor, actions);
  if (rows.length > 0) await db.insert(auditLog).values(rows);
}

function auditRows(actor: AuditActor, actions: AuditAction | AuditAction[]) {
  return (Array.isArray(actions) ? actions : [actions]).map((action) => ({
    ...action,
    actorType: actor.type,
    actorAccountId: actor.accountId ?? null,
    actorApiKeyId: actor.apiKeyId ?? null,
  }));
}

/**
 * The same entries as recordAudit writes, as an INSERT to use inside a larger statement (a
 * data-modifying CTE), so the entry costs no round trip of its own.
 */
export function auditInsert(actor: AuditActor, actions: AuditAction[]): SQL {
  const values = auditRows(actor, actions).map(
    (row) => sql`(${row.actorType}, ${row.actorAccountId}::uuid, ${row.actorApiKeyId}::uuid, ${row.action}, ${row.targetType},
      ${row.targetId ?? null}, ${row.accountId ?? null}::uuid, ${row.details ? JSON.stringify(row.details) : null}::jsonb)`,
  );
  return sql`INSERT INTO audit_log (actor_type, actor_account_id, actor_api_key_id, action, target_type, target_id, account_id, details)
    VALUES ${sql.join(values, sql`, `)}`;
}
