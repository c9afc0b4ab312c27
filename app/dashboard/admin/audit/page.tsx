import type { Metadata } from 'next';
import { AuditLogView } from '@/components/admin/audit-log-view';
import { getPollIntervals } from '@/lib/server/polling-config';
import { requireAdmin } from '../../viewer';

export const metadata: Metadata = { title: 'Audit log · Admin · Scrapifie' };

/** Admin → Audit log. */
export default async function AdminAuditPage() {
  await requireAdmin('/dashboard/admin/audit');
  return <AuditLogView intervalMs={getPollIntervals().listMs} />;
}
