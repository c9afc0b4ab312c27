import type { listAllJobs } from '@/db/queries/admin';
import { serializeJobSummary } from '@/lib/server/jobs/serialize';

type AdminJobRow = Awaited<ReturnType<typeof listAllJobs>>['rows'][number];

/** A job in the admin list: the summary every list shows, plus whose it is. */
export function serializeAdminJob({ account, ...row }: AdminJobRow) {
  return { ...serializeJobSummary(row), account: { id: account.id, email: account.email } };
}

export type AdminJobJson = ReturnType<typeof serializeAdminJob>;
