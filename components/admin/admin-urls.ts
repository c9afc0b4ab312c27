import { deleteJobsBody, jobsApiUrl, type ListParams } from '@/components/jobs/list-params';
import type { AdminJobFilter } from '@/lib/schemas/admin';

// The admin jobs list keeps the jobs list's state in the URL (the same ListParams) and adds the
// account filter, which lives in the page's own state.

/** GET /api/v1/admin/jobs for the list's state: the jobs list's query plus `account`. */
export function adminJobsApiUrl(params: ListParams, tz: number, account: string | undefined): string {
  const url = new URL(jobsApiUrl(params, tz), 'http://local');
  if (account) url.searchParams.set('account', account);
  return `/api/v1/admin/jobs${url.search}`;
}

/** The bulk action's `filter`: what the list shows, without paging. */
export function adminJobFilter(params: ListParams, tz: number, account: string | undefined): AdminJobFilter {
  const { dryRun: _dryRun, ...filter } = deleteJobsBody(params, tz, false);
  return { ...filter, ...(account ? { account } : {}) } as AdminJobFilter;
}
