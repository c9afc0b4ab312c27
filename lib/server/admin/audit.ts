import type { listAuditEntries } from '@/db/queries/admin';

type AuditRow = Awaited<ReturnType<typeof listAuditEntries>>['rows'][number];

/** An audit entry as GET /api/v1/admin/audit returns it, with the accounts' emails. */
export function serializeAuditEntry({ entry, actorEmail, accountEmail }: AuditRow) {
  return {
    id: entry.id,
    createdAt: entry.createdAt.toISOString(),
    actor: { type: entry.actorType, accountId: entry.actorAccountId, email: actorEmail, apiKeyId: entry.actorApiKeyId },
    action: entry.action,
    target: { type: entry.targetType, id: entry.targetId },
    account: entry.accountId ? { id: entry.accountId, email: accountEmail } : null,
    details: entry.details ?? null,
  };
}

export type AuditEntryJson = ReturnType<typeof serializeAuditEntry>;
